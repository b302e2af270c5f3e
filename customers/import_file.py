"""Reading a customer CSV: its encoding, its header, and each row as the services take it.

Nothing here touches the database: a file that cannot be read as a whole is an
``ImportFileError`` before anything is saved, and a row's unreadable cell is a
``ValidationError`` naming its field, reported against the row.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from customers import csv_io, validators
from customers.extensions import import_columns
from customers.import_errors import ImportFileError
from customers.import_readers import AUTO, table_rows
from customers.models import EDITABLE_FIELDS, CustomerStatus

STATUS_VALUES = {"active": CustomerStatus.ACTIVE, "inactive": CustomerStatus.INACTIVE}
# The identity columns: a file needs one of them to say anything about a customer.
IDENTITY_FIELDS = ("name", "email", "phone")


def parse_column_map(specs) -> dict[str, str]:
    """Read ``"Mobile=phone, E-Mail Address=email"`` (or a list of them): header -> field."""
    if isinstance(specs, str):
        specs = [specs]
    targets = {csv_io.header_key(header): name for name, header in csv_io.columns()}
    targets.update({csv_io.header_key(name): name for name, _ in csv_io.columns()})
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
    titles: dict[str, str]  # field -> header as written in the file
    ignored: list[str]


def read_header(cells: list[str], column_map: dict[str, str]) -> Header:
    """Return which cell holds which field; refuse a header that names no customer field."""
    known = csv_io.known_headers()
    positions, titles, ignored = {}, {}, []
    for index, title in enumerate(cells):
        key = csv_io.header_key(title)
        target = column_map.get(key) or known.get(key)
        if target is None:
            if title.strip():
                ignored.append(title.strip())
            continue
        if target in positions:
            raise ImportFileError(
                f'Two columns are both {target}: "{titles[target]}" and "{title.strip()}".'
            )
        positions[target] = index
        titles[target] = title.strip().lstrip("\ufeff")
    if not any(name in positions for name in IDENTITY_FIELDS):
        expected = ", ".join(header for _, header in csv_io.columns())
        raise ImportFileError(
            f"No column of the file is a customer field. Expected a header row with {expected}, "
            'or map your headers with the column option ("Mobile=phone").'
        )
    return Header(positions=positions, titles=titles, ignored=ignored)


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

    @property
    def has_contact(self) -> bool:
        """Whether the row can be found again: a name alone never identifies anyone."""
        return bool(self.email or self.phone)


def parse_row(header: Header, number: int, cells: list[str]) -> Row:
    """Return a row's cells as service input; raise ``ValidationError`` naming unreadable cells."""

    def cell(name: str) -> str:
        index = header.positions.get(name)
        value = cells[index] if index is not None and index < len(cells) else ""
        return csv_io.restore(value.strip())

    errors = {}
    data = {}
    for name in EDITABLE_FIELDS:
        text = cell(name)
        if not text:
            continue
        try:
            data[name] = csv_io.import_value(name, text)
        except ValueError as error:
            errors[name] = [str(error)]
    status = cell("status").casefold() or None
    if status is not None and status not in STATUS_VALUES:
        errors["status"] = ["Enter active or inactive."]
    extra = {}
    for column in import_columns():
        text = cell(column.field)
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
    )
