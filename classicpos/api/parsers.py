"""The API's JSON parser: DRF's, plus an answer for JSON nested too deeply to read."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """Parse JSON; 5,000 nested brackets are a 400, not a crash of the decoder."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.") from None
