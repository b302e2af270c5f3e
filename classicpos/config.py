"""Reading the shop's numbers from its settings: once, at start-up, or stop with a message.

``classicpos/settings.py`` reads every number from the environment through these
functions, and the modules that read a setting when used (so a test or a shop can
change it) pass it through the same one: a malformed value then stops start-up
with ``ImproperlyConfigured`` naming the setting and what it takes, instead of
Python's ``ValueError`` or ``decimal.InvalidOperation``, which name neither.

Nothing here may import Django settings or an app: ``settings.py`` imports it.
"""

import re
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured, ValidationError

from classicpos.limits import is_whole_number, parse_amount

# A plain decimal number as a person writes one in a setting: no sign, exponent or
# Unicode digits (``Decimal()`` alone takes "1e3", "Infinity" and "١٢").
DECIMAL_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+", re.ASCII)
WHOLE_TEXT = re.compile(r"[0-9]+", re.ASCII)


def whole_number(name: str, raw, *, minimum: int = 0, unit: str) -> int:
    """Return ``raw`` (text or an int) as a whole number of ``unit``, ``minimum`` or more."""
    if is_whole_number(raw):
        number = raw
    elif isinstance(raw, str) and WHOLE_TEXT.fullmatch(raw.strip()):
        number = int(raw.strip())
    else:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of {unit} ({minimum} or more).")
    return number


def decimal_number(name: str, raw, *, example: str) -> Decimal:
    """Return ``raw`` (text or a Decimal) as a finite Decimal of 0 or more."""
    if isinstance(raw, Decimal) and raw.is_finite() and raw >= 0:
        return raw
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        text = str(raw).strip()
        if DECIMAL_TEXT.fullmatch(text):
            return Decimal(text)
    raise ImproperlyConfigured(
        f"{name} must be a number such as {example}, 0 or more (not {raw!r})."
    )


def amount(name: str, raw, *, example: str) -> Decimal:
    """Return ``raw`` as an amount of money of 0 or more, read as every amount is."""
    try:
        value = parse_amount(raw)
    except ValidationError:
        value = None
    if value is None or value < 0:
        raise ImproperlyConfigured(
            f"{name} must be an amount such as {example}, 0 or more (not {raw!r})."
        )
    return value.quantize(Decimal("0.01"))
