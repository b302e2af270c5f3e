"""Import customers from a CSV file: the command, the upload page and the API call this.

Every row goes through the customer services' validation (``customer_check``,
``customer_update``), so a file is held to the same rules as the form and the
API. Reading the file is ``customers.import_file``; which existing customer a
row is about (by email or phone, never by name alone) is
``customers.import_matching``; what the import did is ``customers.import_report``.
A row that matches a customer updates them (or is left alone with
``skip_existing``); a row that changes nothing counts as unchanged, so running
the same file twice changes nothing the second time. New customers are created
in bulk per batch, with the extra columns other modules registered (loyalty's
opening points).

Rows are handled in batches, each one transaction: a bad row is reported and
skipped, never stopping the good ones; an unexpected error rolls back its whole
batch and stops the import, leaving earlier batches saved (running the file
again finishes it). A dry run does all of it and rolls everything back.
"""

from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers import services
from customers.extensions import import_columns
from customers.import_file import (
    Header,
    ImportFileError,
    Row,
    blank,
    continued_rows,
    count_rows,
    parse_column_map,
    parse_row,
    read_header,
    records,
)
from customers.import_matching import ImportMatches
from customers.import_readers import AUTO
from customers.import_report import (
    CustomerUpdate,
    ImportReport,
    ImportStopped,
    RowError,
    write_error_report,
)
from customers.import_sources import ImportSource, import_source, import_sources, recognise
from customers.models import CONTACT_FIELDS, PROFILE_FIELDS, Channel, Customer, CustomerStatus
from customers.prior_history import prior_history_record

BATCH_SIZE = 500

__all__ = [
    "BATCH_SIZE",
    "ImportFileError",
    "ImportReport",
    "ImportStopped",
    "RowError",
    "count_rows",
    "customer_import",
    "parse_column_map",
    "write_error_report",
]


class _Batch:
    """One transaction's worth of rows: matched against the database once, created in bulk."""

    def __init__(self, *, header: Header, skip_existing: bool, user, created_ids: set[int]):
        self.header = header
        self.source = header.source
        self.skip_existing = skip_existing
        self.user = user
        self.change_by = {"actor": user, "channel": Channel.IMPORT}
        self.report = ImportReport()
        self.matches = ImportMatches(self.source.name if self.source else "")
        # What the old system said of the customers, kept once they are saved.
        self.prior: list[tuple[Customer, Row]] = []
        # Customers this run added (a dry run's batches see earlier ones' before the
        # rollback): a later row about them is not an update of an existing customer.
        self.created_ids = created_ids
        self.new: list[tuple[Customer, dict, int]] = []

    def parse(self, number: int, cells: list[str]) -> Row | None:
        try:
            return parse_row(self.header, number, cells)
        except ValidationError as error:
            self.report.add_error(number, error, self.header.titles)
            return None

    def handle(self, row: Row) -> None:
        try:
            existing, matched_by = self.matches.match(row)
            if existing is None:
                self.create(row)
            elif self.skip_existing:
                self.report.unchanged += 1
            else:
                self.update(existing, row, matched_by)
        except ValidationError as error:
            self.report.add_error(row.number, error, self.header.titles)

    def create(self, row: Row) -> None:
        customer = services.customer_check(data=row.data, email_owners=self.matches.by_email)
        customer.status = row.status or CustomerStatus.ACTIVE
        self.new.append((customer, row.extra, row.number))
        self.matches.remember(customer, reference=row.reference)
        if row.reference or row.history:
            self.prior.append((customer, row))
        self.report.created += 1
        if not row.has_contact:
            self.report.new_without_contact += 1

    def update(self, existing: Customer, row: Row, matched_by: str) -> None:
        if row.reference or row.history:
            self.prior.append((existing, row))
        candidate = services.customer_check(
            customer=existing, data=row.data, email_owners=self.matches.by_email
        )
        changed = {
            name: getattr(candidate, name)
            for name in row.data
            if name != "tags" and getattr(candidate, name) != getattr(existing, name)
        }
        old_tags = _tags_of(existing) if "tags" in row.data else []
        if "tags" in row.data and _tag_key(candidate.pending_tags) != _tag_key(old_tags):
            changed["tags"] = candidate.pending_tags
        status_changes = row.status is not None and row.status != existing.status
        if not changed and not status_changes:
            self.report.unchanged += 1
            return
        if existing.pk is not None and existing.pk not in self.created_ids:
            old = {name: getattr(existing, name) for name in changed if name != "tags"}
            if "tags" in changed:
                old["tags"] = old_tags
            changes = {name: (old[name], new) for name, new in changed.items()}
            if status_changes:
                changes["status"] = (existing.status, row.status)
            self.report.updates.append(
                CustomerUpdate(
                    row=row.number,
                    customer_id=existing.pk,
                    name=existing.name,
                    matched_by=matched_by,
                    changes=changes,
                )
            )
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
        self.matches.remember(existing)
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
        self.created_ids.update(customer.pk for customer in customers if customer.pk)
        for column in import_columns():
            values = [
                (customer, extra[column.field])
                for customer, extra, _ in self.new
                if customer.pk is not None and column.field in extra
            ]
            if values:
                column.apply_to_new(values=values, user=self.user)

    def save_prior(self) -> None:
        """Keep the old system's ids and figures of the batch's customers (``prior_history``)."""
        if self.source is not None and self.prior:
            prior_history_record(
                source_name=self.source.name, source_label=self.source.label, rows=self.prior
            )

    def save_one_by_one(self) -> None:
        for customer, _, number in self.new:
            try:
                values = {name: getattr(customer, name) for name in CONTACT_FIELDS + PROFILE_FIELDS}
                if hasattr(customer, "pending_tags"):
                    values["tags"] = customer.pending_tags
                created = services.customer_create(**values, **self.change_by)
            except ValidationError as error:
                self.report.created -= 1
                if not (customer.email or customer.phone):
                    self.report.new_without_contact -= 1
                self.report.add_error(number, error, self.header.titles)
                continue
            if customer.status == CustomerStatus.INACTIVE:
                services.customer_deactivate(customer=created, **self.change_by)
            customer.pk = created.pk


class _CheckedSoFar:
    """A dry run's new customers from its earlier batches, which were rolled back.

    A later row about one of them (the same email or phone) must read as a change to
    that new customer, as the real import will, not as a second new one: each later
    batch is offered those its rows name. Kept unsaved (no id), so they are never
    reported as updates of existing customers.
    """

    def __init__(self) -> None:
        self.matches = ImportMatches()

    def keep(self, customers: Iterable[Customer]) -> None:
        for customer in customers:
            customer.pk = None
            self.matches.remember(customer)

    def offer(self, rows: list[Row], matches: ImportMatches) -> None:
        for row in rows:
            if row.email and row.email in self.matches.by_email:
                matches.remember(self.matches.by_email[row.email])
            for customer in self.matches.by_phone.get(row.phone, []) if row.phone else []:
                matches.remember(customer)


def _tags_of(customer: Customer) -> list[str]:
    """Return a customer's tag names; one created earlier in the batch has them pending."""
    if customer.pk is None:
        return getattr(customer, "pending_tags", [])
    return [tag.name for tag in customer.tags.all()]


def _tag_key(names) -> list[str]:
    return sorted(name.lower() for name in names)


def _source(name: str, header_cells: list[str]) -> ImportSource | None:
    if not name:
        return recognise(header_cells)
    source = import_source(name)
    if source is None:
        known = ", ".join(source.name for source in import_sources())
        raise ImportFileError(f'There is no source "{name}": name one of {known}.')
    return source


def customer_import(
    *,
    file,
    user=None,
    encoding: str = AUTO,
    column_map: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_existing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    saved: Callable[[int], None] | None = None,
    start_after: int = 0,
    batch_size: int = BATCH_SIZE,
    source_name: str = "",
) -> ImportReport:
    """Import the CSV in the binary ``file`` and return what it did, row errors included.

    Raises ``ImportFileError`` (nothing changed) when the file cannot be read,
    and ``ImportStopped`` when an unexpected error rolled back a batch.
    ``progress(rows_done, rows_total)`` is called after every batch; ``saved(rows_done)``
    inside each batch's transaction of a real import, so whoever records it (a
    background job) knows, even after a crash, exactly which rows were saved:
    ``start_after`` that many rows resumes there, and rows with a name alone are
    never added twice. The report then covers the rows after them.
    The system the file comes from is recognised from its header
    (``customers.import_sources``), or named by ``source_name``.
    """
    total = count_rows(file, encoding=encoding)
    report = ImportReport(dry_run=dry_run)
    rows_read = ((number, cells) for number, cells in records(file, encoding) if not blank(cells))
    header_cells = next(rows_read, None)
    if header_cells is None:
        raise ImportFileError("The file is empty: it needs a header row and a row per customer.")
    source = _source(source_name, header_cells[1])
    header = read_header(header_cells[1], column_map or {}, source)
    if source is not None and source.continued_in:
        rows_read = continued_rows(rows_read, header, source.continued_in)
    report.ignored_columns = header.ignored
    report.source = source.label if source else ""
    report.columns = header.mapping

    def batches() -> Iterator[list[tuple[int, list[str]]]]:
        batch = []
        for index, record in enumerate(rows_read):
            if index < start_after:
                continue
            batch.append(record)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    done = start_after
    created_ids: set[int] = set()
    carried = _CheckedSoFar()
    # Batch by batch, each its own short transaction, so tills keep selling during a
    # long import. A dry run rolls each batch back at once: one transaction for the
    # whole check held SQLite's write lock, and every till's sale, until it ended. It
    # takes no row locks; on SQLite each batch still holds the write lock while it
    # runs (it writes, then rolls back), which is why a job rests between batches.
    for batch_rows in batches():
        batch = _Batch(
            header=header, skip_existing=skip_existing, user=user, created_ids=created_ids
        )
        try:
            # Reading the cells needs no database: done before the transaction, which on
            # SQLite holds the one write lock every till's sale waits for.
            rows = [row for row in (batch.parse(n, c) for n, c in batch_rows) if row]
            with transaction.atomic():
                batch.matches.load(rows, lock=not dry_run)
                carried.offer(rows, batch.matches)
                for row in rows:
                    batch.handle(row)
                batch.save_new()
                batch.save_prior()
                if dry_run:
                    transaction.set_rollback(True)
                elif saved is not None:
                    saved(done + len(batch_rows))
        except Exception as error:
            raise ImportStopped(report, batch_rows[0][0]) from error
        if dry_run:
            carried.keep(customer for customer, _, _ in batch.new)
        report.add(batch.report)
        done += len(batch_rows)
        if progress is not None:
            progress(done, total)
    report.errors.sort(key=lambda error: error.row)
    report.updates.sort(key=lambda update: update.row)
    return report
