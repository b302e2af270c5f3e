"""What the OpenAPI schema says beyond each view: the errors every endpoint may answer.

Every error is an RFC 9457 problem document (``classicpos/api/exceptions.py``);
this hook documents them once for all operations instead of per view, and says
that request bodies refuse unknown keys (``StrictInputMixin``), so clients and
fuzzers read the contract the server keeps.
"""

import re

PROBLEM = "Problem"
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Messages per field, named as in the request (lines[0].quantity).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "A retry with the same key and body replays the first answer; "
    "the same key with another body is a 409.",
}
PUBLIC_PATHS = re.compile(r"^/api/auth/token/?$")


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": f"#/components/schemas/{PROBLEM}"}}
        },
    }


def _errors_for(path: str, method: str, operation: dict) -> dict[str, dict]:
    errors = {
        "400": _problem("Invalid input: the problem's errors name each field."),
        "401": _problem("Not logged in (send a token or a session cookie)."),
        "403": _problem("Logged in, but the role may not do this."),
        "405": _problem("The resource does not answer this method."),
        "429": _problem("Too many requests (login throttling)."),
        "500": _problem("An unexpected error, logged with the request id."),
        "503": _problem("The database is unavailable; nothing was saved."),
    }
    # Detail routes: no such resource; lists: a page number past the last page.
    errors["404"] = _problem("No such resource, or no such page of a list.")
    if method in ("post", "put", "patch"):
        errors["409"] = _problem("The Idempotency-Key was used with another body, or is in use.")
        errors["413"] = _problem("The request body is too large.")
        errors["415"] = _problem("The body is not JSON.")
    return errors


def add_problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document error answers and strict bodies."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[PROBLEM] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in _errors_for(path, method, operation).items():
                operation["responses"].setdefault(status, response)
            if method == "post" and not PUBLIC_PATHS.match(path):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
                    parameters.append(IDEMPOTENCY_KEY)
    for name, schema in schemas.items():
        # Request bodies refuse keys they do not declare (StrictInputMixin): say so.
        if name.endswith("Request") and schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
    return result
