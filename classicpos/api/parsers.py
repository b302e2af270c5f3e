"""The API's JSON parser: DRF's, plus answers for JSON no handler should see.

JSON nested too deeply crashed the decoder; text with half a surrogate pair
(``"\\ud800"``, legal JSON escape syntax but no Unicode character) reached the
serializers, whose error messages quote what was sent, and the answer then
failed to encode as UTF-8: a 500 for an unknown key or a choice field. Both are
refused here, once, as a 400 before any view runs.
"""

from rest_framework import exceptions, parsers


def _has_lone_surrogate(data) -> bool:
    """Say whether any key or string in parsed JSON cannot be written as UTF-8."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            try:
                value.encode()
            except UnicodeEncodeError:
                return True
    return False


class JSONParser(parsers.JSONParser):
    """Parse JSON; deep nesting and half surrogate pairs are a 400, not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.") from None
        if _has_lone_surrogate(data):
            raise exceptions.ParseError(
                "it holds half of a surrogate pair (a lone \\uD800-\\uDFFF escape), "
                "which is no character; send text as UTF-8."
            )
        return data
