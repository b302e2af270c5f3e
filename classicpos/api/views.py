"""API endpoints that belong to no single app: obtaining a token."""

from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from classicpos.api.problems import problem_json_response


class ObtainTokenView(ObtainAuthToken):
    """Exchange a staff user's username and password for an API token."""

    permission_classes = [AllowAny]
    parser_classes = [parsers.JSONParser, parsers.FormParser]

    @extend_schema(
        summary="Get an API token for a username and password",
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Answer an unknown ``/api/`` path (or a non-numeric id) with a 404 problem document."""
    return problem_json_response(status=404, detail="No such resource.", slug="not-found")
