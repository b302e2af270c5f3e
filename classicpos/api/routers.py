"""The router every app's API uses: routes match with and without a trailing slash."""

from rest_framework.routers import DefaultRouter


class OptionalSlashRouter(DefaultRouter):
    """A router whose routes match ``/api/customers`` and ``/api/customers/`` alike.

    Each app registers its viewsets on its own router (``<app>/api/urls.py``);
    the root API gathers them, so the browsable root lists every app's resources.
    """

    include_root_view = False

    def __init__(self):
        super().__init__()
        # The constructor only knows "/" or ""; the regex "/?" accepts both.
        self.trailing_slash = "/?"
