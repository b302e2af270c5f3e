"""Serializer fields whose schema states a rule that the service enforces.

Services validate text (trimming, required names, lengths) so that pages and the
API give the same message; these fields leave the checking to them and only tell
the OpenAPI schema what the service will accept, so clients and fuzzers know.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.drainage import set_override
from rest_framework import serializers

from classicpos.limits import parse_amount

# Python's ``str.split()`` whitespace, which services trim: a text made only of
# these is blank. (ECMA's ``\s`` differs: it lacks \x1c-\x1f and \x85, and has \ufeff.)
PYTHON_WHITESPACE = (
    "\\t\\n\\u000b\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
# DRF refuses NUL characters in every text field.
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{PYTHON_WHITESPACE}][^\\u0000]*$"


class ServiceCheckedTextField(serializers.CharField):
    """Plain text in, untouched (the service trims and checks it, with its own messages).

    ``required_text`` documents that the service refuses a blank value (which
    still reaches it, so the API says what the page says); ``max_length``
    documents its limit on the text as sent.
    """

    def __init__(
        self,
        *,
        required_text: bool = False,
        max_length: int | None = None,
        pattern: str | None = None,
        **kwargs,
    ):
        self.required_text = required_text
        # Not "allow_blank" for required text, so the schema does not offer "" either;
        # run_validation() still hands "" to the service.
        super().__init__(trim_whitespace=False, allow_blank=not required_text, **kwargs)
        schema = {"type": "string"}
        if required_text:
            schema.update(minLength=1, pattern=NOT_BLANK)
        if pattern is not None:
            # A stricter rule of the service's (it must still refuse NUL and blanks).
            schema["pattern"] = pattern
        if max_length is not None:
            schema["maxLength"] = max_length
        set_override(self, "field", schema)

    def run_validation(self, data=serializers.empty):
        if self.required_text and data == "":
            return data
        return super().run_validation(data)


class ServiceCheckedIntegerField(serializers.IntegerField):
    """A whole number the service checks (with its message); the schema states its range."""

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None, **kwargs):
        super().__init__(**kwargs)
        schema = {"type": "integer"}
        if minimum is not None:
            schema["minimum"] = minimum
        if maximum is not None:
            schema["maximum"] = maximum
        set_override(self, "field", schema)


class ServiceCheckedChoiceField(serializers.CharField):
    """A code the service checks against a registry; the schema lists the codes it knows.

    ``choices`` is called each time the field is built, so codes registered by
    other apps' ``ready()`` are all there when the schema is generated.
    """

    def __init__(self, *, choices, **kwargs):
        super().__init__(**kwargs)
        set_override(self, "field", {"type": "string", "enum": list(choices())})


def amount_pattern(*, positive: bool = False, whole_digits: int = 10, places: int = 2) -> str:
    """Return the pattern of an amount string: no sign, at least one digit, cents at most.

    ``positive`` also needs a digit other than 0 (the service refuses 0.00).
    """
    nonzero = "(?=[^1-9]*[1-9])" if positive else ""
    return rf"^{nonzero}(?:\d{{1,{whole_digits}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


class AmountField(serializers.DecimalField):
    """An amount of money as a string ("12.50"), never negative; the schema says so.

    ``positive`` documents that the service refuses zero too (with its own message).
    """

    def __init__(self, *, positive: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        pattern = amount_pattern(
            positive=positive,
            whole_digits=self.max_digits - self.decimal_places,
            places=self.decimal_places,
        )
        set_override(self, "field", {"type": "string", "format": "decimal", "pattern": pattern})

    def to_internal_value(self, data):
        """Read the amount as every amount is read (``classicpos.limits.parse_amount``).

        DRF's own ``Decimal(data)`` also takes Unicode digits, ``1_000`` and exponents,
        and words its refusals differently from the services and pages.
        """
        try:
            return parse_amount(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["amount"]) from None
