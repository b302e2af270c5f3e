"""Tell an htmx request that its session is gone, instead of answering with the login page.

A page's htmx request (a search, a filter, a form) made after the session expired
was redirected to the login page, which the browser followed silently: the login
form was swapped into the list as if it were results. Such a request now gets a
401, which the app shell (``static/classicpos/app.js``) turns into "You were
logged out", with a link to log in, leaving the page and what was typed as they are.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url

from classicpos.htmx_cache import HTMX_REQUEST_HEADER


class HtmxLoginMiddleware:
    """Turn the redirect to the login page of an htmx request into a 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get(HTMX_REQUEST_HEADER) == "true"
            and response.status_code == 302
            and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            return HttpResponse(
                "You were logged out.", status=401, content_type="text/plain; charset=utf-8"
            )
        return response
