"""The one set of customer field rules, used by the model, forms, API, admin and imports.

Each ``normalize_*`` function returns the value as stored or raises
``ValidationError`` with the message shown beside the field.
"""

import datetime
import re
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from classicpos.api.fields import PYTHON_WHITESPACE
from classicpos.limits import is_id

NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000
TAG_MAX_LENGTH = 40
MAX_TAGS = 20
EARLIEST_BIRTHDAY = datetime.date(1900, 1, 1)
PREFERRED_CONTACTS = ("email", "phone", "sms", "none")
# How loudly the till shows the note (``customers.models.NoteAlert``); none: the page only.
NOTE_ALERTS = ("warn", "block")

# Characters that show nothing: a name made only of these (and spaces) is blank.
INVISIBLE_CHARACTERS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0"
)
# Bidirectional embeddings, overrides and isolates: in a name they reorder the text
# around it on receipts and screens ("Trojan Source"), so they are refused.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"


def _escaped(characters: str) -> str:
    """Write a character class's characters as ``\\u`` escapes for a JSON Schema pattern."""
    return "".join(ch if ch == "-" else f"\\u{ord(ch):04x}" for ch in characters)


# What ``normalize_name`` accepts, as a pattern for the API schema: no NUL or
# text-direction control, and at least one character that shows.
NAME_PATTERN = (
    f"^[^\\u0000{_escaped(BIDI_CONTROLS)}]*"
    f"[^\\u0000{PYTHON_WHITESPACE}{_escaped(INVISIBLE_CHARACTERS)}{_escaped(BIDI_CONTROLS)}]"
    f"[^\\u0000{_escaped(BIDI_CONTROLS)}]*$"
)


MESSAGES = {
    "name_required": "Enter a name.",
    "name_bidi": "Name cannot contain text-direction control characters.",
    "nul": "Remove the NUL character from this field.",
    "name_too_long": f"Name must be {NAME_MAX_LENGTH} characters or fewer.",
    "email_invalid": "Enter a valid email address.",
    "phone_invalid": "Enter a valid phone number, e.g. 555-201-0123 or +44 20 7946 0958.",
    "address_too_long": f"Address must be {ADDRESS_MAX_LENGTH} characters or fewer.",
    "birthday_invalid": "Enter the birthday as a date, e.g. 1985-03-14.",
    "birthday_range": "Enter a birthday between 1900-01-01 and today.",
    "preferred_contact_invalid": "Choose email, phone, sms or none.",
    "consent_invalid": "Choose yes or no.",
    "note_too_long": f"Note must be {NOTE_MAX_LENGTH} characters or fewer.",
    "note_alert_invalid": "Choose warn, block or no alert.",
    "alert_without_note": "Write the note the till should show: an alert needs one.",
    "tag_too_long": f"A tag must be {TAG_MAX_LENGTH} characters or fewer.",
    "tags_invalid": "Give the tags as a list of names.",
    "tag_separator": "A tag cannot contain a comma or a semicolon.",
    "too_many_tags": f"A customer can have at most {MAX_TAGS} tags.",
}


_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def _text(value) -> str:
    """Return ``value`` as stripped text; None becomes the empty string.

    A NUL character is refused: no database column here can hold one.
    """
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise ValidationError(MESSAGES["nul"], code="null_characters_not_allowed")
    return text


def normalize_name(value) -> str:
    """Return the trimmed name, which must have 1 to 200 characters that show.

    Zero-width characters alone make no name, and text-direction controls are
    refused outright (they would reorder what is printed around the name).
    """
    name = " ".join(_text(value).split())
    if not _INVISIBLE.sub("", name).strip():
        raise ValidationError(MESSAGES["name_required"], code="required")
    if _BIDI.search(name):
        raise ValidationError(MESSAGES["name_bidi"], code="invalid")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(MESSAGES["name_too_long"], code="max_length")
    return name


def normalize_email(value) -> str | None:
    """Return the lower-cased email, or None when left empty."""
    email = _text(value).lower()
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(MESSAGES["email_invalid"], code="invalid") from None
    return email


def phone_region() -> str:
    """Return the region used for numbers typed without a country code."""
    return settings.CLASSICPOS_DEFAULT_REGION


def normalize_phone(value) -> str | None:
    """Return the number in E.164 (``+14155550123``), or None when left empty."""
    raw = _text(value)
    if not raw:
        return None
    e164 = _e164(raw, phone_region())
    if e164 is None:
        raise ValidationError(MESSAGES["phone_invalid"], code="invalid")
    return e164


@lru_cache(maxsize=4096)
def _e164(raw: str, region: str) -> str | None:
    """The number in E.164, or None if it is none; remembered, as parsing is the costly part.

    An import reads each row's phone to match it and again when the customer is
    checked: a fifth of a 100,000-row import went on parsing the same numbers twice.
    """
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_address(value) -> str | None:
    """Return the trimmed address (at most 500 characters), or None when left empty."""
    address = _text(value)
    if len(address) > ADDRESS_MAX_LENGTH:
        raise ValidationError(MESSAGES["address_too_long"], code="max_length")
    return address or None


def normalize_birthday(value) -> datetime.date | None:
    """Return the birthday as a date (from 1900 to today), or None when left empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(_text(value))
        except ValueError:
            raise ValidationError(MESSAGES["birthday_invalid"], code="invalid") from None
    if not EARLIEST_BIRTHDAY <= value <= datetime.date.today():
        raise ValidationError(MESSAGES["birthday_range"], code="invalid")
    return value


def normalize_preferred_contact(value) -> str:
    """Return one of ``PREFERRED_CONTACTS``; empty means "none"."""
    choice = _text(value).lower() or "none"
    if choice not in PREFERRED_CONTACTS:
        raise ValidationError(MESSAGES["preferred_contact_invalid"], code="invalid_choice")
    return choice


def normalize_consent(value) -> bool:
    """Return a yes/no consent; only a real yes or no counts (never a guess)."""
    if isinstance(value, bool):
        return value
    raise ValidationError(MESSAGES["consent_invalid"], code="invalid")


def normalize_note(value) -> str | None:
    """Return the trimmed note (at most 2,000 characters), or None when left empty."""
    note = _text(value)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(MESSAGES["note_too_long"], code="max_length")
    return note or None


def normalize_note_alert(value) -> str | None:
    """Return ``warn`` or ``block``, or None (no alert) when left empty."""
    choice = _text(value).lower()
    if not choice:
        return None
    if choice not in NOTE_ALERTS:
        raise ValidationError(MESSAGES["note_alert_invalid"], code="invalid_choice")
    return choice


def normalize_tags(value) -> list[str]:
    """Return tag names trimmed, without repeats (ignoring case), in the order given."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError(MESSAGES["tags_invalid"], code="invalid")
    names, seen = [], set()
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(MESSAGES["tags_invalid"], code="invalid")
        name = " ".join(_text(item).split())
        if not name or name.lower() in seen:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(MESSAGES["tag_too_long"], code="max_length")
        if "," in name or ";" in name:
            raise ValidationError(MESSAGES["tag_separator"], code="invalid")
        seen.add(name.lower())
        names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(MESSAGES["too_many_tags"], code="max_length")
    return names


def normalize_home_store(value, *, current: int | None = None) -> int | None:
    """Return the id of the customer's home store, or None when left empty.

    ``value`` is a store (a form's choice), its id (the API's ``homeStoreId``) or
    nothing. ``current``, the store the customer has now, is taken without asking
    the database: an edit that leaves the store as it was costs no query.
    """
    from stores.models import Store

    if value in (None, ""):
        return None
    if isinstance(value, Store):
        return value.pk
    if value == current and current is not None:
        return current
    if not is_id(value) or not Store.objects.filter(pk=value).exists():
        raise ValidationError(f"There is no store #{value}.", code="invalid")
    return value


def format_phone_national(e164: str | None) -> str:
    """Return a stored number in the shop's national format (international if foreign)."""
    if not e164:
        return ""
    return _format_phone(e164, phone_region())


@lru_cache(maxsize=8192)
def _format_phone(e164: str, region: str) -> str:
    """Parsing and formatting a number was a sixth of a list request's time: the same
    customers come up again and again (the regulars, the first page), so it is kept."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(term: str) -> str:
    """Return the digits of a search term that looks like a phone number, else ''.

    "555-0123", "(415) 555 0123" and "+1 415" count; "john2" does not, so a
    name with a digit in it does not match every phone number containing it.
    """
    stripped = term.strip()
    if not stripped or any(ch not in "0123456789 -().+/" for ch in stripped):
        return ""
    digits = "".join(ch for ch in stripped if ch.isdigit())
    return digits if len(digits) >= 3 else ""
