"""What the OpenAPI schema says beyond each view: the errors every endpoint may answer.

Every error is an RFC 9457 problem document (``classicpos/api/exceptions.py``);
this hook documents them once for all operations instead of per view, and says
that request bodies refuse unknown keys (``StrictInputMixin``) and that an empty
query parameter counts as left out, so clients and fuzzers read the contract the
server keeps.
"""

import re

from classicpos.api.fields import NO_NUL, NOT_BLANK

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
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": NOT_BLANK},
    "description": "A retry with the same key and body replays the first answer; "
    "the same key with another body is a 409.",
}
PUBLIC_PATHS = re.compile(r"^/api/auth/token/?$")
# drf-spectacular's pattern for a decimal string, e.g. ^-?\d{0,10}(?:\.\d{0,2})?$ ...
SPECTACULAR_DECIMAL = re.compile(
    r"\^(?P<sign>-\?)?\\d\{0,(?P<whole>\d+)\}\(\?:\\\.\\d\{0,(?P<places>\d+)\}\)\?\$"
)


def _decimal_pattern(pattern: str) -> str:
    """Return the pattern of a decimal string that needs a digit ("", "-" and "." are no number)."""
    match = SPECTACULAR_DECIMAL.fullmatch(pattern)
    if match is None:
        return pattern
    sign, whole, places = match["sign"] or "", match["whole"], match["places"]
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


# Rules of a request body that no single field states (one of two ids, a list that
# cannot be empty), registered by each app beside its serializers.
_BODY_RULES: dict[str, list[dict]] = {}


def document_body_rule(component: str, rule) -> None:
    """Add ``rule`` (JSON Schema keywords) to the request body ``component`` (``allOf``).

    ``rule`` may be a function returning them, to read registries filled by ``ready()``.
    """
    _BODY_RULES.setdefault(component, [])
    if rule not in _BODY_RULES[component]:
        _BODY_RULES[component].append(rule)


def _text_without_nul(schema: dict) -> None:
    """Say that a request's text fields refuse NUL characters, as every DRF text field does."""
    for prop in schema.get("properties", {}).values():
        constrained = {"pattern", "format", "enum", "readOnly"} & set(prop)
        if prop.get("type") == "string" and not constrained:
            prop["pattern"] = NO_NUL


def _fix_decimal_patterns(schema) -> None:
    if isinstance(schema, dict):
        if schema.get("format") == "decimal" and "pattern" in schema:
            schema["pattern"] = _decimal_pattern(schema["pattern"])
        for value in schema.values():
            _fix_decimal_patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            _fix_decimal_patterns(value)


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
            for parameter in operation.get("parameters", []):
                # ``?customer=`` is the same as leaving it out (django-filter, forms).
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter.setdefault("allowEmptyValue", True)
            if method == "post" and not PUBLIC_PATHS.match(path):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
                    parameters.append(IDEMPOTENCY_KEY)
    _fix_decimal_patterns(schemas)
    for name, schema in schemas.items():
        # Request bodies refuse keys they do not declare (StrictInputMixin): say so.
        if name.endswith("Request") and schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
            _text_without_nul(schema)
            if name in _BODY_RULES:
                rules = [rule() if callable(rule) else rule for rule in _BODY_RULES[name]]
                schema["allOf"] = [*schema.get("allOf", []), *rules]
    return result
