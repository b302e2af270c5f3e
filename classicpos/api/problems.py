"""RFC 9457 problem documents: the one shape every API error takes."""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_type(slug: str) -> str:
    """Return the URI naming a kind of problem, e.g. ``validation-error``."""
    return "urn:classicpos:problem:" + slug.replace("_", "-")


def problem_body(
    *, status: int, detail: str, errors: dict | None = None, slug: str | None = None
) -> dict:
    """Return the problem document for a status, with field errors when there are any."""
    body = {
        "type": problem_type(slug) if slug else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_json_response(*, status: int, detail: str, slug: str | None = None) -> JsonResponse:
    """Return a plain Django problem response, for errors raised outside DRF views."""
    return JsonResponse(
        problem_body(status=status, detail=detail, slug=slug),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
