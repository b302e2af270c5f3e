"""``manage.py import_customers FILE.csv``: customers from a spreadsheet, row by row validated."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from customers.importing import (
    ImportFileError,
    ImportStopped,
    customer_import,
    parse_column_map,
    write_error_report,
)
from customers.templatetags.customer_tags import timeline_value

BAR_WIDTH = 30
SHOWN = 20  # updates and errors printed; the error report file has every error


class ProgressBar:
    """A bar redrawn in place on a terminal; a line per tenth when the output is a file."""

    def __init__(self, stream):
        self.stream = stream
        self.interactive = stream.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1
        filled = int(BAR_WIDTH * fraction)
        line = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:4.0%} {done:,}/{total:,} rows"
        )
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
            if done >= total:
                self.stream.write("")
            self.stream.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(line)


class Command(BaseCommand):
    help = (
        "Import customers from a CSV file with a header row (name, email, phone, address, "
        "loyaltyPoints, status). Every row is validated as the customer form does; a row "
        "matching a customer by email or phone updates them (a name alone never matches), so "
        "importing the same file twice changes nothing. Loyalty points are opening balances "
        "of the customers the import creates. Rows with errors are skipped and listed in an "
        "error report (row, column, message)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or .xlsx file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would happen; change nothing.",
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="Leave customers that already exist (same email or phone) as they are.",
        )
        parser.add_argument(
            "--encoding",
            default="auto",
            help=(
                "The file's text encoding, e.g. cp1252 (default: detected, UTF-8 with or without "
                "BOM, UTF-16 or cp1252)."
            ),
        )
        parser.add_argument(
            "--columns",
            action="append",
            metavar='"HEADER=column,..."',
            help='Map other headers onto the columns, e.g. --columns "Mobile=phone,Client=name".',
        )
        parser.add_argument(
            "--source",
            default="",
            metavar="NAME",
            help=(
                "The system the file comes from (shopify, square, woocommerce, lightspeed-ecom, "
                "lightspeed-x, loyverse, odoo, ...); recognised from the header when left out."
            ),
        )
        parser.add_argument(
            "--errors",
            metavar="PATH",
            help="Where to write the error report (default FILE.errors.csv, only when rows fail).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The staff user recorded on the opening points (default: none).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        user = self._user(options["user"])
        try:
            column_map = parse_column_map(options["columns"] or [])
            with path.open("rb") as file:
                report = customer_import(
                    file=file,
                    user=user,
                    encoding=options["encoding"],
                    column_map=column_map,
                    dry_run=options["dry_run"],
                    skip_existing=options["skip_existing"],
                    progress=ProgressBar(self.stderr),
                    source_name=options["source"],
                )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except ImportStopped as stopped:
            self._summary(stopped.report)
            raise CommandError(
                f"Stopped by an unexpected error ({stopped.__cause__!r}) in the batch starting at "
                f"row {stopped.first_row}: nothing of that batch was saved, rows before it were. "
                "Run the same file again to finish: rows already imported are left unchanged."
            ) from stopped
        if report.source:
            self.stdout.write(f"Recognised a {report.source}.")
        for column in report.ignored_columns:
            self.stdout.write(f'Ignored column "{column}" (map it with --columns to import it).')
        self._summary(report)
        self._updates(report)
        if report.errors:
            errors_path = Path(options["errors"] or path.with_suffix(".errors.csv"))
            with errors_path.open("w", newline="", encoding="utf-8") as stream:
                write_error_report(report.errors, stream)
            for error in report.errors[:SHOWN]:
                column = f" {error.column}:" if error.column else ""
                self.stdout.write(f"Row {error.row}:{column} {error.message}")
            if len(report.errors) > SHOWN:
                self.stdout.write(f"... and {len(report.errors) - SHOWN} more.")
            self.stdout.write(f"Error report: {errors_path}")

    def _updates(self, report) -> None:
        """List the customers the file changes (or would), field by field: old → new."""
        verb = "Would update" if report.dry_run else "Updated"
        for update in report.updates[:SHOWN]:
            changes = "; ".join(
                f"{name}: {timeline_value(old)} → {timeline_value(new)}"
                for name, (old, new) in update.changes.items()
            )
            self.stdout.write(
                f"{verb} #{update.customer_id} {update.name} (row {update.row}, "
                f"found by {update.matched_by}): {changes}"
            )
        if len(report.updates) > SHOWN:
            self.stdout.write(f"... and {len(report.updates) - SHOWN} more.")
        if report.new_without_contact:
            verb = "would be added" if report.dry_run else "were added"
            self.stdout.write(
                f"{report.new_without_contact} {verb} with neither email nor phone: a name alone "
                "never matches anyone, so importing the file again adds them again."
            )

    def _summary(self, report) -> None:
        prefix = "Dry run, nothing saved: would have " if report.dry_run else ""
        verbs = ("created", "updated", "left unchanged")
        counts = (report.created, report.updated, report.unchanged)
        parts = ", ".join(f"{verb} {count}" for verb, count in zip(verbs, counts, strict=True))
        self.stdout.write(
            f"{prefix}{parts}; {len({error.row for error in report.errors})} rows with errors."
        )

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"There is no staff user {username}.")
        return user
