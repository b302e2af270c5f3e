"""Everything under ``/api/``; every route works with or without a trailing slash.

Each installed app that has an ``api/urls.py`` brings its own routes: its
``urlpatterns`` and the viewsets on its ``router``. This module only gathers
them, so it names no app; the browsable root lists every app's resources.
"""

from django.urls import path, re_path

from classicpos.api.jobs import JobViewSet
from classicpos.api.routers import OptionalSlashRouter
from classicpos.api.schema_view import SchemaView
from classicpos.api.views import TokenView, api_not_found
from classicpos.modules import module_submodules
from classicpos.views import ApiDocsRedocView, ApiDocsSwaggerView


def _root_router(modules) -> OptionalSlashRouter:
    """One router holding every app's viewsets, for the browsable API root."""
    root = OptionalSlashRouter()
    root.include_root_view = True
    root.register("jobs", JobViewSet, basename="job")
    for module in modules:
        router = getattr(module, "router", None)
        if router is not None:
            root.registry.extend(router.registry)
    return root


_modules = module_submodules("api.urls")
DOCS_PAGE = {"url_name": "api-schema", "schema": None, "metadata_class": None}

urlpatterns = [
    path("auth/token", TokenView.as_view(), name="api-token"),
    # The same endpoint with a slash; the schema documents it once.
    path("auth/token/", TokenView.as_view(schema=None)),
    # Built once per process, not per request (classicpos.api.schema_view).
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The documentation pages load nothing from another host and pass axe. They are
    # pages, not API operations: not in the schema, and OPTIONS has no metadata to
    # render as HTML (a 405 problem instead of a 500).
    path("docs/", ApiDocsSwaggerView.as_view(**DOCS_PAGE), name="api-docs"),
    path("redoc/", ApiDocsRedocView.as_view(**DOCS_PAGE), name="api-redoc"),
    # Each app's own paths first: they are more specific than the routers' detail routes.
    *(pattern for module in _modules for pattern in module.urlpatterns),
    *_root_router(_modules).urls,
    # Last: any other /api/ path is a problem document, even with DEBUG on.
    re_path(r"^.*$", api_not_found),
]
