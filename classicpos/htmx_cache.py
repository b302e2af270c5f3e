"""Keep htmx partials out of the browser's cache and its Back button.

A list page answers the same URL with the full page or, for an htmx swap, only
its results. Without ``Vary: HX-Request`` the browser may later show the cached
fragment as if it were the page (Back after a search showed a bare table). Every
response varies on the header, and the fragments themselves are never stored.
"""

from django.utils.cache import patch_cache_control, patch_vary_headers

HTMX_REQUEST_HEADER = "HX-Request"


class HtmxCacheMiddleware:
    """Add ``Vary: HX-Request`` everywhere and ``Cache-Control: no-store`` to htmx answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, (HTMX_REQUEST_HEADER,))
        if request.headers.get(HTMX_REQUEST_HEADER) == "true":
            patch_cache_control(response, no_store=True)
        return response
