"""Reading a customer CSV: its encoding, its header, and each row as the services take it.

Nothing here touches the database: a file that cannot be read as a whole is an
``ImportFileError`` before anything is saved, and a row's unreadable cell is a
``ValidationError`` naming its field, reported against the row.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from customers import csv_io, import_parts, validators
from customers.extensions import import_columns
from customers.import_errors import ImportFileError
from customers.import_readers import AUTO, table_rows
from customers.import_sources import (
    ACTIVE,
    FIRST_NAME,
    FIRST_VISIT,
    LAST_NAME,
    LAST_VISIT,
    NOTE_HTML,
    ORDERS,
    OTHER_PHONE,
    PARTS,
    REFERENCE,
    SPENT,
    YMD,
    ImportSource,
)
from customers.models import EDITABLE_FIELDS, STORE_FIELDS, CustomerStatus

STATUS_VALUES = {"active": CustomerStatus.ACTIVE, "inactive": CustomerStatus.INACTIVE}
# The identity columns: a file needs one of them to say anything about a customer.
IDENTITY_FIELDS = ("name", "email", "phone")
NAME_COLUMNS = (FIRST_NAME, LAST_NAME)
IGNORE = "ignore"


def column_targets() -> dict[str, str]:
    """Every target a column can be mapped to: the fields, the parts, and ``ignore``."""
    targets = {csv_io.header_key(header): name for name, header in csv_io.columns()}
    targets.update({csv_io.header_key(name): name for name, _ in csv_io.columns()})
    for column in import_columns():  # those read but not exported, too
        targets[csv_io.header_key(column.header)] = targets[csv_io.header_key(column.field)] = (
            column.field
        )
    targets.update({csv_io.header_key(part): part for part in sorted(PARTS)})
    targets[IGNORE] = IGNORE
    return targets


def parse_column_map(specs) -> dict[str, str]:
    """Read ``"Mobile=phone, E-Mail Address=email"`` (or a list of them): header -> field.

    A column may also be mapped to a part (``Town=address.city``) or ignored
    (``Fax=ignore``): the import page's mapping sends what the Manager chose so.
    """
    if isinstance(specs, str):
        specs = [specs]
    targets = column_targets()
    mapping = {}
    for spec in specs or ():
        for part in spec.split(","):
            if not part.strip():
                continue
            header, separator, target = part.rpartition("=")
            field_name = targets.get(csv_io.header_key(target))
            if not separator or not header.strip() or field_name is None:
                expected = ", ".join(header for _, header in csv_io.columns())
                raise ImportFileError(
                    f'Map a column as "Header in the file=column", the column one of: {expected} '
                    f'(got "{part.strip()}").'
                )
            mapping[csv_io.header_key(header)] = field_name
    return mapping


def records(binary, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of every row, the header first (``customers.import_readers``)."""
    yield from table_rows(binary, encoding)


def blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def count_rows(binary, *, encoding: str = AUTO) -> int:
    """Return how many data rows (not blank, after the header) a file has; reads it once."""
    count = 0
    header_seen = False
    for _, cells in records(binary, encoding):
        if blank(cells):
            continue
        if header_seen:
            count += 1
        header_seen = True
    return count


@dataclass
class Header:
    positions: dict[str, int]  # field -> cell index
    titles: dict[str, str]  # field or part -> header as written in the file
    ignored: list[str]
    parts: dict[str, int] = field(default_factory=dict)  # a part (import_sources) -> index
    source: ImportSource | None = None
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (header, field or part)


def read_header(
    cells: list[str], column_map: dict[str, str], source: ImportSource | None = None
) -> Header:
    """Return which cell holds which field or part; refuse a header that names no customer.

    A column the Manager mapped wins, then the source's preset; a file from no
    known source is read by the headers every file may use
    (``csv_io.known_headers``). A preset's file is read by the preset alone: its
    "Mobile" is a second phone, not a second phone column.
    """
    # "active": true/false, or active/inactive.
    known = source.columns if source else csv_io.known_headers() | {"active": ACTIVE}
    header = Header(positions={}, titles={}, ignored=[], source=source)
    for index, title in enumerate(cells):
        key = csv_io.header_key(title)
        target = column_map.get(key) or known.get(key)
        title = title.strip().lstrip("\ufeff")
        if target is None or target == IGNORE:
            if title:
                header.ignored.append(title)
            continue
        if target in header.titles:
            raise ImportFileError(
                f'Two columns are both {target}: "{header.titles[target]}" and "{title}".'
            )
        (header.parts if target in PARTS else header.positions)[target] = index
        header.titles[target] = title
        header.mapping.append((title, target))
    named = any(name in header.positions for name in IDENTITY_FIELDS)
    if not named and not any(part in header.parts for part in NAME_COLUMNS):
        expected = ", ".join(header for _, header in csv_io.columns())
        raise ImportFileError(
            f"No column of the file is a customer field. Expected a header row with {expected}, "
            'or map your headers with the column option ("Mobile=phone").'
        )
    return header


def continued_rows(rows, header: Header, column: str) -> Iterator[tuple[int, list[str]]]:
    """Join to each record the lines that continue it (only ``column`` filled), e.g. Odoo's tags."""
    index = header.positions.get(column)
    held = None
    for number, cells in rows:
        rest = [cell for position, cell in enumerate(cells) if position != index]
        if held is not None and index is not None and index < len(cells) and blank(rest):
            extended = list(held[1]) + [""] * (index + 1 - len(held[1]))
            extended[index] = ",".join(text for text in (extended[index], cells[index]) if text)
            held = (held[0], extended)
            continue
        if held is not None:
            yield held
        held = (number, cells)
    if held is not None:
        yield held


def _normalized_or_none(normalize, value):
    try:
        return normalize(value)
    except ValidationError:
        return None


@dataclass
class Row:
    number: int
    data: dict  # editable fields given (non-empty cells)
    status: str | None
    extra: dict  # registered column field -> parsed value
    email: str | None  # normalised as saved, for matching; None when absent or invalid
    phone: str | None
    reference: str = ""  # the customer's id in the system the file comes from
    history: dict = field(default_factory=dict)  # what they spent there: spent, orders, visits

    @property
    def has_contact(self) -> bool:
        """Whether the row can be found again: a name alone never identifies anyone."""
        return bool(self.email or self.phone or self.reference)


def _field_value(name: str, text: str, date_order: str):
    """A field's cell as the services take it; None when it says nothing (consent "Unknown")."""
    if name in ("email_consent", "sms_consent"):
        return import_parts.consent(text)
    if name == "birthday":
        birthday = import_parts.day(text, date_order)
        return birthday.isoformat() if birthday else None  # a year-less birthday is left out
    return csv_io.import_value(name, text)


HISTORY_READERS = {
    SPENT: lambda text, order: import_parts.amount(text),
    ORDERS: lambda text, order: import_parts.count(text),
    FIRST_VISIT: import_parts.day,
    LAST_VISIT: import_parts.day,
}


def parse_row(header: Header, number: int, cells: list[str]) -> Row:
    """Return a row's cells as service input; raise ``ValidationError`` naming unreadable cells."""
    source = header.source
    date_order = source.date_order if source else YMD

    def text_at(index: int | None) -> str:
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        if source is not None and source.leading_apostrophe and value.startswith("'"):
            return value[1:].strip()
        return csv_io.restore(value)

    parts = {part: text for part, index in header.parts.items() if (text := text_at(index))}
    # A file's rows are not rung up at a till: they name no home store.
    texts = {
        name: text_at(header.positions.get(name))
        for name in EDITABLE_FIELDS
        if name not in STORE_FIELDS
    }
    # A whole column wins over the parts it would be joined from.
    texts["name"] = texts["name"] or import_parts.joined_name(parts)
    texts["address"] = texts["address"] or import_parts.joined_address(parts)
    texts["phone"] = texts["phone"] or parts.get(OTHER_PHONE, "")
    if not texts["note"] and NOTE_HTML in parts:
        texts["note"] = import_parts.html_text(parts[NOTE_HTML])
    errors = {}
    data = {}
    for name, text in texts.items():
        if not text:
            continue
        try:
            value = _field_value(name, text, date_order)
        except ValueError as error:
            errors[name] = [str(error)]
            continue
        if value is not None:
            data[name] = value
    status = text_at(header.positions.get("status")).casefold() or None
    if status is not None and status not in STATUS_VALUES:
        errors["status"] = ["Enter active or inactive."]
    if ACTIVE in parts:
        try:
            status = "active" if import_parts.active(parts[ACTIVE]) else "inactive"
        except ValueError as error:
            errors[ACTIVE] = [str(error)]
    history = {}
    for part, read in HISTORY_READERS.items():
        if part in parts:
            try:
                value = read(parts[part], date_order)
            except ValueError as error:
                errors[part] = [str(error)]
                continue
            if value is not None:
                history[part] = value
    extra = {}
    for column in import_columns():
        text = text_at(header.positions.get(column.field))
        if not text:
            continue
        try:
            extra[column.field] = column.parse(text)
        except ValidationError as error:
            errors[column.field] = error.messages
    if errors:
        raise ValidationError(errors)
    return Row(
        number=number,
        data=data,
        status=STATUS_VALUES.get(status),
        extra=extra,
        email=_normalized_or_none(validators.normalize_email, data.get("email")),
        phone=_normalized_or_none(validators.normalize_phone, data.get("phone")),
        reference=parts.get(REFERENCE, "")[:100],
        history=history,
    )
