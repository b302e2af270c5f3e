"""WSGI entry point for gunicorn: ``gunicorn classicpos.wsgi``.

A served process collects its young objects less often than Python's default:
after every 50,000 allocations instead of 700. A request to the API allocates
thousands of short-lived objects (querysets, expressions, form fields), most of
which reference counting frees; with the default, a search set off a young
collection every few requests and an older one every few dozen, which landed on
whichever request was running (a customer search's p99 went from 11-12 ms to
7-8 ms in process, its p50 and p95 over HTTP 3-5 % lower; 1M customers, bench database).
Cycles are still collected, in batches: a few MB at most between collections.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "classicpos.settings")

application = get_wsgi_application()

SERVING_GC_THRESHOLDS = (50_000, 20, 100)
gc.set_threshold(*SERVING_GC_THRESHOLDS)
