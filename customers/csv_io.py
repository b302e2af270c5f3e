"""The customer CSV format: its columns, and cells safe to open in a spreadsheet.

Export and import share these columns, so an exported file imports back
unchanged. A cell that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe, the usual escape, and the import takes that apostrophe off
again; a value that really starts with an apostrophe gets a second one.
"""

import re

from customers.extensions import import_columns

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

# (Customer attribute, header written by the export).
BASE_COLUMNS = (
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("address", "address"),
    ("birthday", "birthday"),
    ("preferred_contact", "preferredContact"),
    ("email_consent", "emailConsent"),
    ("sms_consent", "smsConsent"),
    ("tags", "tags"),
    ("note", "note"),
)
# How a file writes a consent and a list of tags; the import reads the same back.
YES, NO = "yes", "no"
CONSENT_VALUES = {"yes": True, "y": True, "true": True, "1": True}
CONSENT_VALUES |= {"no": False, "n": False, "false": False, "0": False}
TAG_SEPARATOR = "; "
STATUS_COLUMN = ("status", "status")

# Other headers people's files use for the same columns (compared after folding,
# see ``header_key``); the ``--columns`` option maps any others.
ALIASES = {
    "name": ("full name", "customer", "customer name", "client", "contact"),
    "email": ("e-mail", "email address", "e-mail address", "mail"),
    "phone": ("phone number", "telephone", "tel", "mobile", "cell", "mobile phone"),
    "address": ("street address", "postal address", "full address"),
    # Never "state": in Square's and Odoo's files it is part of the address.
    "status": ("customer status",),
    "birthday": ("date of birth", "dob", "birth date"),
    "preferred_contact": ("contact preference", "preferred contact method"),
    "email_consent": ("email marketing", "marketing emails", "email opt in"),
    "sms_consent": ("sms marketing", "marketing texts", "sms opt in"),
    "tags": ("labels", "groups"),
    "note": ("notes", "comment", "comments"),
}


def export_value(field: str, value):
    """Return a customer's value as the file writes it (consents as yes/no, tags joined)."""
    if field in ("email_consent", "sms_consent"):
        return YES if value else NO
    if field == "tags":
        return TAG_SEPARATOR.join(value)
    return value


def import_value(field: str, text: str):
    """Return a cell's text as the service takes it; raise ValueError(message) when unreadable."""
    if field in ("email_consent", "sms_consent"):
        if text.casefold() not in CONSENT_VALUES:
            raise ValueError("Enter yes or no.")
        return CONSENT_VALUES[text.casefold()]
    if field == "tags":
        return [name for name in re.split("[;,]", text) if name.strip()]
    return text


def columns() -> list[tuple[str, str]]:
    """Return the (attribute, header) of every column, in file order."""
    extra = [(column.field, column.header) for column in import_columns() if column.exported]
    return [*BASE_COLUMNS, *extra, STATUS_COLUMN]


def header_key(header: str) -> str:
    """Fold a header for matching: "E-Mail Address", "email_address" -> "emailaddress"."""
    return re.sub(r"[\s_\-.]+", "", (header or "").strip().lstrip("\ufeff")).casefold()


def known_headers() -> dict[str, str]:
    """Return every accepted header (folded) and the attribute it fills."""
    known = {}
    for field, header in columns():
        known[header_key(header)] = field
        known[header_key(field)] = field
        for alias in ALIASES.get(field, ()):
            known[header_key(alias)] = field
    for column in import_columns():
        for name in (column.field, column.header, *column.aliases):
            known[header_key(name)] = column.field
    return known


def neutralise(value) -> str:
    """Return a cell's text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a file."""
    if len(text) > 1 and text[0] == ESCAPE and text[1] in (*FORMULA_TRIGGERS, ESCAPE):
        return text[1:]
    return text
