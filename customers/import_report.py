"""What an import did, or a check would do: counts, row errors, each customer it updates.

The report is the same for the command, the upload page and the API, so a
Manager reads the same words wherever they import from. A check (dry run)
reports exactly what the import would do, because it *is* the import, rolled
back; its list of updates is how a Manager sees which existing customers a
file would change, and how, before anything is saved.
"""

import csv
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst

from customers import csv_io
from customers.extensions import import_columns
from customers.import_sources import PART_LABELS
from customers.models import Customer


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the header in the file ("" when the row as a whole is refused)
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def _plain(value):
    """Return a value as JSON writes it: dates as ISO 8601, lists as they are."""
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class CustomerUpdate:
    """One existing customer a row changes: who, found how, and each field's old and new value."""

    row: int
    customer_id: int
    name: str  # before the change, as the Manager knows them
    matched_by: str  # "email" or "phone": never a name alone
    changes: dict  # field -> (old, new); "status" too

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "customerId": self.customer_id,
            "name": self.name,
            "matchedBy": self.matched_by,
            "changes": {
                name: [_plain(old), _plain(new)] for name, (old, new) in self.changes.items()
            },
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Added with neither email nor phone: nothing can find them again, so importing
    # the same file again adds them again (a name alone never matches).
    new_without_contact: int = 0
    errors: list[RowError] = field(default_factory=list)
    updates: list[CustomerUpdate] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    source: str = ""  # the system the file was recognised as ("Shopify customer export")
    columns: list[tuple[str, str]] = field(default_factory=list)  # (file header, what it fills)

    def add(self, other: "ImportReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.new_without_contact += other.new_without_contact
        self.errors.extend(other.errors)
        self.updates.extend(other.updates)

    def add_error(self, number: int, error: ValidationError, titles: dict[str, str]) -> None:
        """Record a row's ``ValidationError``, each field under its header in the file."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else titles.get(name, name)
                for message in messages:
                    self.errors.append(RowError(number, column, message))
        else:
            for message in error.messages:
                self.errors.append(RowError(number, "", message))

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "newWithoutContact": self.new_without_contact,
            "errors": [error.as_dict() for error in self.errors],
            "updates": [update.as_dict() for update in self.updates],
            "ignoredColumns": self.ignored_columns,
            "dryRun": self.dry_run,
            "source": self.source,
            "columns": [{"header": header, "fills": target} for header, target in self.columns],
        }


def _field_label(name: str) -> str:
    try:
        return capfirst(Customer._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))  # a column another module reads: "store credit"


def column_for_page(header: str, target: str) -> tuple[str, str]:
    """A file column and what it fills, as the import page lists them."""
    return header, PART_LABELS.get(target) or _field_label(target)


def mapping_for_page(report: ImportReport) -> dict:
    """Each column of a checked file with what it fills, and every choice, for the page to change.

    The page sends the choices back as ``Header=target`` pairs (``map``), which
    the import reads like the columns option; nothing is remembered between uploads.
    """
    choices = [(name, PART_LABELS.get(name) or _field_label(name)) for name, _ in csv_io.columns()]
    choices += [
        (column.field, _field_label(column.field))
        for column in import_columns()
        if not column.exported
    ]
    choices += [(part, label) for part, label in PART_LABELS.items()]
    choices.append(("ignore", "Leave it out"))
    rows = [(header, target) for header, target in report.columns]
    rows += [(header, "ignore") for header in report.ignored_columns]
    # A header with "," or "=" cannot travel as a pair: the columns option maps it.
    rows = [(header, target) for header, target in rows if "," not in header and "=" not in header]
    return {"rows": rows, "choices": choices}


def update_for_page(update: CustomerUpdate) -> dict:
    """Return an update as the import page lists it: each field's label, old and new value."""
    return {
        "row": update.row,
        "customer_id": update.customer_id,
        "name": update.name,
        "matched_by": update.matched_by,
        "changes": [(_field_label(name), old, new) for name, (old, new) in update.changes.items()],
    }


def report_from_dict(data: dict) -> ImportReport:
    """Rebuild a report from ``ImportReport.as_dict()`` (a background job keeps it so)."""
    return ImportReport(
        created=data["created"],
        updated=data["updated"],
        unchanged=data["unchanged"],
        new_without_contact=data["newWithoutContact"],
        errors=[RowError(e["row"], e["column"], e["message"]) for e in data["errors"]],
        updates=[
            CustomerUpdate(
                row=u["row"],
                customer_id=u["customerId"],
                name=u["name"],
                matched_by=u["matchedBy"],
                changes={name: tuple(pair) for name, pair in u["changes"].items()},
            )
            for u in data["updates"]
        ],
        ignored_columns=data["ignoredColumns"],
        dry_run=data["dryRun"],
        source=data.get("source", ""),
        columns=[(column["header"], column["fills"]) for column in data.get("columns", [])],
    )


class ImportStopped(Exception):
    """An unexpected error stopped the import; ``report`` holds what was saved before."""

    def __init__(self, report: ImportReport, first_row: int):
        super().__init__(f"The import stopped at row {first_row}.")
        self.report = report
        self.first_row = first_row


def write_error_report(errors: list[RowError], stream) -> None:
    """Write the row errors as CSV (row, column, message) to a text ``stream``."""
    writer = csv.writer(stream)
    writer.writerow(["row", "column", "message"])
    for error in errors:
        writer.writerow(
            [error.row, csv_io.neutralise(error.column), csv_io.neutralise(error.message)]
        )
