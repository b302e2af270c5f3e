"""Joining what other systems split, and reading their words, for one import row.

A name in parts ("Anna" + "van" + "Dijk"), an address in parts (street and
house number together, then city, region, postal code, country: the order a
letter is written), a second phone column, consent written as
``Subscribed``/``Unsubscribed``/``Unknown`` or ``True``/``False``, a note in
HTML, dates day-first or month-first, an amount written ``$1,234.50``. The
presets (``customers.import_sources``) say which cell is which part; this
module turns the parts into the values the customer services take.
"""

import html
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from classicpos.limits import parse_amount
from customers.import_sources import (
    CITY,
    COUNTRY,
    DMY,
    HOUSE_EXTENSION,
    HOUSE_NUMBER,
    MDY,
    NAME_PARTS,
    POSTAL_CODE,
    REGION,
    STREET,
    STREET_2,
)

# Consent as the systems write it; "unknown" (Square) says nothing, so nothing changes.
CONSENT_WORDS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "subscribed": True,
    "opted in": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "unsubscribed": False,
    "not subscribed": False,
    "opted out": False,
}
NO_ANSWER = frozenset({"unknown", "pending", "none", "-"})
ACTIVE_WORDS = {"true": True, "yes": True, "1": True, "active": True}
ACTIVE_WORDS |= {"false": False, "no": False, "0": False, "inactive": False, "archived": False}
_BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/div|/li)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def joined_name(parts: dict[str, str]) -> str:
    """ "Anna" + "van" + "Dijk" -> "Anna van Dijk"; a first name alone is a name."""
    return " ".join(parts[key] for key in NAME_PARTS if parts.get(key))


def joined_address(parts: dict[str, str]) -> str:
    """Street and house number together, then the rest in the order a letter is written."""
    number = " ".join(parts[key] for key in (HOUSE_NUMBER, HOUSE_EXTENSION) if parts.get(key))
    first_line = " ".join(text for text in (parts.get(STREET, ""), number) if text)
    lines = (first_line, *(parts.get(key, "") for key in (STREET_2, CITY, REGION, POSTAL_CODE)))
    return ", ".join(text for text in (*lines, parts.get(COUNTRY, "")) if text)


def html_text(markup: str) -> str:
    """A note written as HTML as plain text: line breaks kept, tags dropped, entities decoded."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", markup))
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def consent(text: str) -> bool | None:
    """Return a consent cell as True/False, None when it says nothing; ValueError if unreadable."""
    word = " ".join(text.casefold().split())
    if word in NO_ANSWER:
        return None
    if word not in CONSENT_WORDS:
        raise ValueError("Enter yes or no.")
    return CONSENT_WORDS[word]


def active(text: str) -> bool:
    word = text.strip().casefold()
    if word not in ACTIVE_WORDS:
        raise ValueError("Enter true or false.")
    return ACTIVE_WORDS[word]


def day(text: str, order: str) -> date | None:
    """Read a date (and drop a time after it); None for a date without a year ("09-21").

    ``order`` says how the source writes a date with slashes: day first or month
    first (a date with the year first is read as such whatever the source).
    """
    text = text.strip().split(" ")[0].split("T")[0]
    numbers = [int(part) for part in re.split(r"[-/.]", text) if part.isdigit()]
    if len(numbers) == 2:
        return None
    if len(numbers) != 3:
        raise ValueError("Enter a date, e.g. 1985-03-14.")
    if numbers[0] > 31:
        year, month, number = numbers
    elif order == DMY:
        number, month, year = numbers
    elif order == MDY:
        month, number, year = numbers
    else:
        year, month, number = numbers
    try:
        return date(year, month, number)
    except ValueError:
        raise ValueError("Enter a date, e.g. 1985-03-14.") from None


def amount(text: str) -> Decimal:
    """An amount as a system's report writes it ("$1,234.50", "1.234,50 €"), as a Decimal."""
    digits = re.sub(r"[^\d.,-]", "", text)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits and len(digits.rsplit(",", 1)[1]) in (1, 2):
        decimal_mark = ","
    else:
        decimal_mark = "."
    thousands = "." if decimal_mark == "," else ","
    try:
        value = Decimal(digits.replace(thousands, "").replace(decimal_mark, "."))
    except InvalidOperation:
        raise ValueError("Enter an amount, e.g. 1234.50.") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError("Enter an amount, e.g. 1234.50.")
    return value.quantize(Decimal("0.01"))


def imported_balance(text: str, message: str) -> Decimal:
    """A balance another system exported ("$1,250.00"): 0 or more, as a money column holds it.

    Loyalty's and accounting's import columns both read their opening balances
    with it; ``message`` says which balance a refused cell was.
    """
    try:
        value = parse_amount(text.replace(",", "").lstrip("$").strip())
    except ValidationError:
        raise ValidationError(message) from None
    if value < 0:
        raise ValidationError(message)
    return value


def count(text: str) -> int:
    digits = text.strip().replace(",", "")
    if not digits.isdecimal() or len(digits) > 9:
        raise ValueError("Enter a whole number.")
    return int(digits)


def iso_day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None
