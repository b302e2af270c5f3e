"""The routes of the URL conf, and concrete URLs for them that name real rows."""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver

METHODS = ("get", "post", "put", "patch", "delete")
# Each router route also answers with a format suffix (``/api/customers.json``): the same view.
FORMAT_SUFFIX = re.compile(r"\(\?P<format>|<drf_format_suffix:format>")


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def methods(pattern) -> list[str]:
    """Return the methods a route's view handles (a viewset route: its actions)."""
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return sorted(method.upper() for method in actions)
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    if view is None:
        return ["GET"]
    return sorted(method.upper() for method in METHODS if hasattr(view, method))


def url_conf_cells() -> list[tuple[str, str]]:
    """Return ``(route, method)`` for every route outside the admin and every method it handles."""
    return [
        (route, method)
        for route, pattern in routes(get_resolver().url_patterns)
        if not route.startswith("admin/") and not FORMAT_SUFFIX.search(route)
        for method in methods(pattern)
    ]


def cells(pairs) -> list:
    """Return ``(route, method)`` pairs as pytest parameters named "METHOD route"."""
    return [pytest.param(route, method, id=f"{method} {route}") for route, method in pairs]


@dataclass
class Shop:
    """One of each row a URL can name."""

    ids: dict[str, int]

    def url(self, route: str) -> str:
        """Return a concrete URL for ``route``, naming real rows."""
        path = route.replace("^", "").replace("/?$", "/").replace("$", "")
        path = re.sub(
            r"\(\?P<customer_id>[^)]*\)|<int:customer_pk>", str(self.ids["customers"]), path
        )
        path = re.sub(r"<int:lead_pk>", str(self.ids["leads"]), path)
        path = re.sub(r"\(\?P<invoice_id>[^)]*\)|<int:invoice_pk>", str(self.ids["invoices"]), path)
        path = re.sub(r"\(\?P<payment_id>[^)]*\)|<int:payment_pk>", str(self.ids["payments"]), path)

        def row_id(match) -> str:
            # The id names a row of the resource just before it: customers/<pk>/...
            resource = match.group(1).rsplit("/", 1)[-1]
            return f"{match.group(1)}/{self.ids[resource]}"

        path = re.sub(r"([\w-]+)/(?:\(\?P<pk>[^)]*\)|<int:pk>)", row_id, path)
        return "/" + path
