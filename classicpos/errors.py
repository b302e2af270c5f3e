"""Error pages: problem documents under ``/api/``, friendly HTML pages elsewhere."""

from django.views import defaults

from classicpos.api.problems import problem_json_response


def _is_api(request) -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def page_not_found(request, exception=None):
    if _is_api(request):
        return problem_json_response(status=404, detail="No such resource.", slug="not-found")
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return problem_json_response(
            status=403,
            detail="You do not have permission to perform this action.",
            slug="permission-denied",
        )
    return defaults.permission_denied(request, exception)


def bad_request(request, exception=None):
    if _is_api(request):
        return problem_json_response(status=400, detail="Bad request.", slug="bad-request")
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return problem_json_response(
            status=500,
            detail="Something went wrong on our side. It has been logged; please try again.",
            slug="internal-error",
        )
    return defaults.server_error(request)
