"""Turn every exception an API view raises into an RFC 9457 problem document.

Services raise Django's ``ValidationError`` (the same one forms and the admin
show); this handler is the single place that maps it, DRF's own exceptions and
unexpected failures to HTTP answers. A 500 never carries a traceback to the
client: it is logged with the request id instead.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from classicpos.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from classicpos.api.serializers import CamelCaseFieldsMixin, camel_case

logger = logging.getLogger("classicpos.api")

NON_FIELD_KEY = "nonFieldErrors"


class PayloadTooLarge(exceptions.APIException):
    """The body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (HTTP 413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload-too-large"


class DatabaseUnavailable(exceptions.APIException):
    """The database cannot be reached or written (HTTP 503)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = (
        "The shop's database is unavailable right now; nothing was saved. "
        "Try again in a moment, or ask the administrator to check the server."
    )
    default_code = "unavailable"
    wait = 30


class Conflict(exceptions.APIException):
    """The request clashes with the state of the resource (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into ``{"lines[0].quantity": [...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                # A list serializer's errors are keyed by the item's index.
                flat.update(flatten_errors(value, f"{prefix}[{key}]"))
                continue
            name = NON_FIELD_KEY if key in ("non_field_errors", "__all__") else str(key)
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list) and detail and all(isinstance(i, dict | list) for i in detail):
        for index, value in enumerate(detail):
            flat.update(flatten_errors(value, f"{prefix}[{index}]"))
    else:
        items = detail if isinstance(detail, list) else [detail]
        messages = [str(item) for item in items if str(item)]
        if messages:
            flat[prefix or NON_FIELD_KEY] = messages
    return flat


def _validation_detail(errors: dict[str, list[str]]) -> str:
    """Summarise field errors in one sentence for the ``detail`` member."""
    if len(errors) == 1:
        field, messages = next(iter(errors.items()))
        if field == NON_FIELD_KEY:
            return messages[0]
        return f"{field}: {messages[0]}"
    return "Some fields are invalid: " + ", ".join(errors) + "."


def _api_field_names(view) -> dict[str, str]:
    """Return the model fields the view's serializer shows under other keys (``owner``:
    ``ownerId``); empty for a view without a serializer of the API's own."""
    if getattr(view, "serializer_class", None) is None:
        return {}
    serializer_class = view.get_serializer_class()
    if not issubclass(serializer_class, CamelCaseFieldsMixin):
        return {}
    return serializer_class.api_field_names()


def _as_drf_exception(exc: Exception, view=None) -> exceptions.APIException | None:
    """Return the DRF exception matching a Django one, or None when unknown."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # Services name model fields (``credit_limit``, ``owner``); the API names them
            # camelCase, or as the view's serializer does (``ownerId``).
            renamed = _api_field_names(view)
            detail = {
                renamed.get(field) or camel_case(field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {NON_FIELD_KEY: exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, OperationalError):
        logger.error("Database unavailable: %s", exc)
        return DatabaseUnavailable()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound("No such resource.")
    if isinstance(exc, DjangoPermissionDenied):
        # A service's refusal says why ("Only a Manager can reassign a lead."); keep it.
        return exceptions.PermissionDenied(str(exc) or None)
    return None


def _render_as_json(request) -> str | None:
    """Render the problem as JSON even where the view renders HTML or YAML; return
    the content type to send.

    The API docs pages render templates and the schema renders YAML; their
    errors are problem documents like every other endpoint's. The browsable API
    keeps showing them in its page, which is HTML and says so (it was labelled
    ``application/problem+json``, and a client reading it as JSON failed).
    """
    renderer = getattr(request, "accepted_renderer", None)
    if isinstance(renderer, BrowsableAPIRenderer):
        return None
    if request is not None and not isinstance(renderer, JSONRenderer):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = PROBLEM_CONTENT_TYPE
    return PROBLEM_CONTENT_TYPE


def problem_exception_handler(exc: Exception, context: dict) -> Response:
    """Return a problem document for ``exc``; log and hide anything unexpected."""
    api_exc = _as_drf_exception(exc, context.get("view"))
    request = context.get("request")
    content_type = _render_as_json(request)
    if api_exc is None:
        logger.exception(
            "Unhandled error in %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            # The log filter reads the request id from here, as for django.request.
            extra={"request": getattr(request, "_request", request)},
        )
        body = problem_body(
            status=500,
            detail="Something went wrong on our side. It has been logged; please try again.",
            slug="internal-error",
        )
        return Response(body, status=500, content_type=content_type)

    headers = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header
    if getattr(api_exc, "wait", None):
        headers["Retry-After"] = str(int(api_exc.wait))

    if isinstance(api_exc, exceptions.ValidationError):
        errors = flatten_errors(api_exc.detail)
        body = problem_body(
            status=400, detail=_validation_detail(errors), errors=errors, slug="validation-error"
        )
    else:
        detail = api_exc.detail
        text = str(detail) if not isinstance(detail, dict | list) else str(api_exc.default_detail)
        body = problem_body(status=api_exc.status_code, detail=text, slug=api_exc.default_code)
        if isinstance(api_exc, exceptions.ParseError):
            body["detail"] = f"The request body is not valid JSON: {text}"
    return Response(body, status=api_exc.status_code, headers=headers, content_type=content_type)
