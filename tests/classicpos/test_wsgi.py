"""The WSGI entry point: what a served process sets up beside the application."""

import gc
import importlib
import sys

import pytest


@pytest.fixture
def gc_thresholds_restored():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_a_served_process_collects_young_objects_in_batches(gc_thresholds_restored):
    gc.set_threshold(700, 10, 10)
    sys.modules.pop("classicpos.wsgi", None)
    wsgi = importlib.import_module("classicpos.wsgi")

    assert callable(wsgi.application)
    assert gc.get_threshold() == wsgi.SERVING_GC_THRESHOLDS
    assert wsgi.SERVING_GC_THRESHOLDS[0] >= 10 * 700
    assert gc.isenabled()
