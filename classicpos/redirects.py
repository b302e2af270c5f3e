"""Where a page goes back to after a POST: the ``next`` it was given, when that is safe.

One home for every app (issue 28): CRM once kept a copy without the check for a
path, and ``redirect("-1")`` read ``-1`` as a view name, a 500 NoReverseMatch.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """Return the ``next`` path to go back to, when it is a path on this site; else ``fallback``.

    ``next`` is read from the POST body, then the query string. Only a path
    ("/customers/?page=2") is taken: ``redirect()`` reads anything else ("-1",
    "²", "customers") as a view name, and another host ("//evil.example/")
    would send staff off the site.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return fallback
