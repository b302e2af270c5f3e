"""Import customers from a CSV file: the command, the upload page and the API call this.

Every row goes through the customer services' validation (``customer_check``,
``customer_update``), so a file is held to the same rules as the form and the
API. A row matching an existing customer by email, or by phone number when the
phone is theirs alone, updates that customer (or is left alone with
``skip_existing``); a row that changes nothing counts as unchanged, so running
the same file twice changes nothing the second time. New customers are created
in bulk per batch, with the extra columns other modules registered (loyalty's
opening points).

Rows are handled in batches, each one transaction: a bad row is reported and
skipped, never stopping the good ones; an unexpected error rolls back its whole
batch and stops the import, leaving earlier batches saved (running the file
again finishes it). A dry run does all of it and rolls everything back.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from customers import csv_io, services, validators
from customers.extensions import import_columns
from customers.models import (
    CONTACT_FIELDS,
    EDITABLE_FIELDS,
    PROFILE_FIELDS,
    Channel,
    Customer,
    CustomerStatus,
)

BATCH_SIZE = 500
STATUS_VALUES = {"active": CustomerStatus.ACTIVE, "inactive": CustomerStatus.INACTIVE}
# The identity columns: a file needs one of them to say anything about a customer.
IDENTITY_FIELDS = ("name", "email", "phone")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, header); nothing was changed."""


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the header in the file ("" when the row as a whole is refused)
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def add(self, other: "ImportReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
            "ignoredColumns": self.ignored_columns,
            "dryRun": self.dry_run,
        }


class ImportStopped(Exception):
    """An unexpected error stopped the import; ``report`` holds what was saved before."""

    def __init__(self, report: ImportReport, first_row: int):
        super().__init__(f"The import stopped at row {first_row}.")
        self.report = report
        self.first_row = first_row


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


def _text_stream(binary, encoding: str) -> io.TextIOWrapper:
    try:
        codec = codecs.lookup(encoding or "utf-8").name
    except LookupError:
        raise ImportFileError(f'Unknown encoding "{encoding}"; try utf-8 or cp1252.') from None
    if codec == "utf-8":
        codec = "utf-8-sig"  # a byte order mark from Excel is not part of the first header
    return io.TextIOWrapper(binary, encoding=codec, newline="")


def _records(binary, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of every row, the header first, reading the file once."""
    binary.seek(0)
    stream = _text_stream(binary, encoding)
    try:
        yield from enumerate(csv.reader(stream), start=1)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"The file is not {encoding or 'UTF-8'} text. Choose the encoding it was saved in "
            "(for example cp1252 for older Excel files)."
        ) from None
    except csv.Error as error:
        raise ImportFileError(f"The file is not readable as CSV: {error}.") from None
    finally:
        # Hand the binary file back open; it may already be closed if abandoned.
        with suppress(ValueError):
            stream.detach()


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


@dataclass
class _Header:
    positions: dict[str, int]  # field -> cell index
    titles: dict[str, str]  # field -> header as written in the file
    ignored: list[str]


def _read_header(cells: list[str], column_map: dict[str, str]) -> _Header:
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
    return _Header(positions=positions, titles=titles, ignored=ignored)


def _normalized_or_none(normalize, value):
    try:
        return normalize(value)
    except ValidationError:
        return None


@dataclass
class _Row:
    number: int
    data: dict  # editable fields given (non-empty cells)
    status: str | None
    extra: dict  # registered column field -> parsed value
    email: str | None
    phone: str | None
    name: str | None


class _Batch:
    """One transaction's worth of rows: matched against the database once, created in bulk."""

    def __init__(self, *, header: _Header, skip_existing: bool, user):
        self.header = header
        self.skip_existing = skip_existing
        self.user = user
        self.change_by = {"actor": user, "channel": Channel.IMPORT}
        self.report = ImportReport()
        self.by_email: dict[str, Customer] = {}
        self.by_phone: dict[str, list[Customer]] = {}
        self.by_name_only: dict[str, Customer] = {}
        self.new: list[tuple[Customer, dict, int]] = []

    def error(self, number: int, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else self.header.titles.get(name, name)
                for message in messages:
                    self.report.errors.append(RowError(number, column, message))
        else:
            for message in error.messages:
                self.report.errors.append(RowError(number, "", message))

    def parse(self, number: int, cells: list[str]) -> _Row | None:
        def cell(name: str) -> str:
            index = self.header.positions.get(name)
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
            self.error(number, ValidationError(errors))
            return None
        return _Row(
            number=number,
            data=data,
            status=STATUS_VALUES.get(status),
            extra=extra,
            email=_normalized_or_none(validators.normalize_email, data.get("email")),
            phone=_normalized_or_none(validators.normalize_phone, data.get("phone")),
            name=_normalized_or_none(validators.normalize_name, data.get("name")),
        )

    def load_matches(self, rows: list[_Row]) -> None:
        """Fetch the customers the batch's rows may match: two indexed queries."""
        candidates = Customer.objects.filter(merge_record__isnull=True, erasure__isnull=True)
        emails = {row.email for row in rows if row.email}
        phones = {row.phone for row in rows if row.phone}
        found = []
        if emails:
            # The unique index's own condition and expression, so the lookup uses it.
            found += candidates.alias(email_lower=Lower("email")).filter(
                Q(email__isnull=False) & ~Q(email=""), email_lower__in=emails
            )
        if phones:
            found += candidates.filter(phone__in=phones)
        names = {row.name for row in rows if row.name and not row.email and not row.phone}
        if names:
            found += candidates.filter(name__in=names, email__isnull=True, phone__isnull=True)
        for customer in sorted(set(found), key=lambda item: item.pk):
            self.remember(customer)

    def remember(self, customer: Customer) -> None:
        if not customer.email and not customer.phone:
            self.by_name_only.setdefault(customer.name, customer)
        if customer.email:
            self.by_email[customer.email] = customer
        if customer.phone:
            owners = self.by_phone.setdefault(customer.phone, [])
            if customer not in owners:
                owners.append(customer)

    def match(self, row: _Row) -> Customer | None:
        """Return the customer a row is about, or None for a new one.

        The email decides when it is known. Otherwise a phone number held by one
        customer is theirs, unless row and customer each have a different email
        (a family sharing a phone). A row with neither is the customer with the
        same name and neither, so such rows too import only once.
        """
        if not row.email and not row.phone and row.name in self.by_name_only:
            return self.by_name_only[row.name]
        if row.email and row.email in self.by_email:
            return self.by_email[row.email]
        owners = self.by_phone.get(row.phone, []) if row.phone else []
        if len(owners) > 1 and not row.email:
            ids = ", ".join(f"#{owner.pk}" for owner in owners if owner.pk)
            raise ValidationError(
                {
                    "phone": [
                        f"This phone number belongs to {len(owners)} customers ({ids}); "
                        "add an email to say which."
                    ]
                }
            )
        if len(owners) == 1 and not (row.email and owners[0].email):
            return owners[0]
        return None

    def handle(self, row: _Row) -> None:
        try:
            existing = self.match(row)
            if existing is None:
                self.create(row)
            elif self.skip_existing:
                self.report.unchanged += 1
            else:
                self.update(existing, row)
        except ValidationError as error:
            self.error(row.number, error)

    def create(self, row: _Row) -> None:
        customer = services.customer_check(data=row.data, email_owners=self.by_email)
        customer.status = row.status or CustomerStatus.ACTIVE
        self.new.append((customer, row.extra, row.number))
        self.remember(customer)
        self.report.created += 1

    def update(self, existing: Customer, row: _Row) -> None:
        candidate = services.customer_check(
            customer=existing, data=row.data, email_owners=self.by_email
        )
        changed = {
            name: getattr(candidate, name)
            for name in row.data
            if name != "tags" and getattr(candidate, name) != getattr(existing, name)
        }
        if "tags" in row.data and _tag_key(candidate.pending_tags) != _tag_key(_tags_of(existing)):
            changed["tags"] = candidate.pending_tags
        status_changes = row.status is not None and row.status != existing.status
        if not changed and not status_changes:
            self.report.unchanged += 1
            return
        if existing.pk is None:
            # Created by an earlier row of this batch: not saved yet, so change it in place.
            for name, value in changed.items():
                setattr(existing, "pending_tags" if name == "tags" else name, value)
            if status_changes:
                existing.status = row.status
        else:
            if changed:
                services.customer_update(customer=existing, data=changed, **self.change_by)
            if status_changes and row.status == CustomerStatus.INACTIVE:
                services.customer_deactivate(customer=existing, **self.change_by)
            elif status_changes:
                services.customer_restore(customer=existing, **self.change_by)
        self.remember(existing)
        self.report.updated += 1

    def save_new(self) -> None:
        """Create the batch's new customers in bulk, then their registered columns."""
        if not self.new:
            return
        customers = [customer for customer, _, _ in self.new]
        try:
            with transaction.atomic():
                services.customer_create_many(customers=customers, **self.change_by)
        except IntegrityError:
            # A till saved one of these emails meanwhile: create one by one, as the form would.
            self.save_one_by_one()
        for column in import_columns():
            values = [
                (customer, extra[column.field])
                for customer, extra, _ in self.new
                if customer.pk is not None and column.field in extra
            ]
            if values:
                column.apply_to_new(values=values, user=self.user)

    def save_one_by_one(self) -> None:
        for customer, _, number in self.new:
            try:
                values = {name: getattr(customer, name) for name in CONTACT_FIELDS + PROFILE_FIELDS}
                if hasattr(customer, "pending_tags"):
                    values["tags"] = customer.pending_tags
                created = services.customer_create(**values, **self.change_by)
            except ValidationError as error:
                self.report.created -= 1
                self.error(number, error)
                continue
            if customer.status == CustomerStatus.INACTIVE:
                services.customer_deactivate(customer=created, **self.change_by)
            customer.pk = created.pk


def _tags_of(customer: Customer) -> list[str]:
    """Return a customer's tag names; one created earlier in the batch has them pending."""
    if customer.pk is None:
        return getattr(customer, "pending_tags", [])
    return [tag.name for tag in customer.tags.all()]


def _tag_key(names) -> list[str]:
    return sorted(name.lower() for name in names)


def count_rows(binary, *, encoding: str = "utf-8") -> int:
    """Return how many data rows (not blank, after the header) a file has; reads it once."""
    count = 0
    header_seen = False
    for _, cells in _records(binary, encoding):
        if _blank(cells):
            continue
        if header_seen:
            count += 1
        header_seen = True
    return count


def customer_import(
    *,
    file,
    user=None,
    encoding: str = "utf-8",
    column_map: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_existing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import the CSV in the binary ``file`` and return what it did, row errors included.

    Raises ``ImportFileError`` (nothing changed) when the file cannot be read,
    and ``ImportStopped`` when an unexpected error rolled back a batch.
    ``progress(rows_done, rows_total)`` is called after every batch.
    """
    total = count_rows(file, encoding=encoding)
    report = ImportReport(dry_run=dry_run)
    records = ((number, cells) for number, cells in _records(file, encoding) if not _blank(cells))
    header_cells = next(records, None)
    if header_cells is None:
        raise ImportFileError("The file is empty: it needs a header row and a row per customer.")
    header = _read_header(header_cells[1], column_map or {})
    report.ignored_columns = header.ignored

    def batches() -> Iterator[list[tuple[int, list[str]]]]:
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    done = 0
    # A dry run is one transaction rolled back at the end; a real import commits
    # batch by batch, so tills keep selling during a long import.
    with transaction.atomic() if dry_run else nullcontext():
        for batch_rows in batches():
            batch = _Batch(header=header, skip_existing=skip_existing, user=user)
            try:
                with transaction.atomic():
                    rows = [row for row in (batch.parse(n, c) for n, c in batch_rows) if row]
                    batch.load_matches(rows)
                    for row in rows:
                        batch.handle(row)
                    batch.save_new()
            except Exception as error:
                raise ImportStopped(report, batch_rows[0][0]) from error
            report.add(batch.report)
            done += len(batch_rows)
            if progress is not None:
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda error: error.row)
    return report


def write_error_report(errors: list[RowError], stream) -> None:
    """Write the row errors as CSV (row, column, message) to a text ``stream``."""
    writer = csv.writer(stream)
    writer.writerow(["row", "column", "message"])
    for error in errors:
        writer.writerow(
            [error.row, csv_io.neutralise(error.column), csv_io.neutralise(error.message)]
        )
