"""API endpoints that belong to no single app: getting and revoking a token."""

import logging

from django.contrib.auth import authenticate
from django.db import transaction
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from classicpos.api.authentication import (
    TokenAuthentication,
    purge_expired_tokens,
    stamp_for_new_token,
)
from classicpos.api.parsers import JSONParser
from classicpos.api.problems import problem_json_response
from classicpos.devices import device_remember
from classicpos.throttling import LoginRateThrottle

security_log = logging.getLogger("classicpos.security")


class TooManyLogins(exceptions.Throttled):
    default_detail = "Too many failed logins. Try again later or ask a Manager to unlock you."
    default_code = "too-many-logins"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenView(APIView):
    """``POST``: a staff user's username and password for an API token (shown once).
    ``DELETE``: revoke the token the request is made with."""

    # The API's JSON parser, which answers JSON nested too deeply with a 400.
    parser_classes = [JSONParser, parsers.FormParser]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        # Counted in the database, per the address the socket or the trusted proxy saw.
        return [LoginRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        summary="Get an API token for a username and password",
        request=CredentialsSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request=request, **credentials.validated_data)
        # django-axes refuses a locked-out login inside authenticate(), which then
        # answers None as for a wrong password; the request carries the difference.
        if getattr(request, "axes_locked_out", False):
            security_log.warning(
                "Token login refused: locked out (user %r, address %s)",
                credentials.validated_data["username"],
                getattr(request, "axes_ip_address", "?"),
            )
            raise TooManyLogins()
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}
            )
        with transaction.atomic():
            stamp_for_new_token(user)
            purge_expired_tokens(user)
            instance, token = AuthToken.objects.create(user)
            device_remember(request=request, user=user, new=False)
        return Response({"token": token, "expiry": instance.expiry})

    @extend_schema(
        summary="Revoke the token this request is made with",
        request=None,
        responses={204: OpenApiResponse(description="The token no longer works.")},
    )
    def delete(self, request):
        if not isinstance(request.successful_authenticator, TokenAuthentication):
            raise exceptions.ValidationError(
                {"Authorization": ["Send the token to revoke: Authorization: Token <token>."]}
            )
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Answer an unknown ``/api/`` path (or a non-numeric id) with a 404 problem document."""
    return problem_json_response(status=404, detail="No such resource.", slug="not-found")
