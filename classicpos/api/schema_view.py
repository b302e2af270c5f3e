"""``GET /api/schema/``: the OpenAPI document, built once per process.

drf-spectacular builds the document from every view and serializer on each
request (about 300 ms); eight tills fetching it at start-up kept a worker busy
for seconds while sales waited. The document depends only on the code, the
language and the API version, never on who asks: ``SERVE_PUBLIC`` is on, so
every staff user is shown the whole API (what they may call is the permissions'
business, not the document's). It is kept per process under that key.
"""

import threading

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_documents: dict[tuple, dict] = {}
_building = threading.Lock()


class SchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, answering from the process's copy of the document."""

    def _get_schema_response(self, request):
        if not self.serve_public:
            # A document filtered by the user's permissions would need a key per user.
            return super()._get_schema_response(request)
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        document = _documents.get(key)
        if document is None:
            # One thread builds it; the others wait for it instead of building it too.
            with _building:
                document = _documents.get(key)
                if document is None:
                    response = super()._get_schema_response(request)
                    document = _documents[key] = response.data
        filename = self._get_filename(request, version)
        return Response(
            data=document, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
