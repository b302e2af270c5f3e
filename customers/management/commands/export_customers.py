"""``manage.py export_customers [--output FILE]``: every customer as CSV, streamed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from customers.exporting import csv_lines, customer_export_rows
from customers.selectors import STATUS_CHOICES, CustomerListFilters, customer_queryset


class Command(BaseCommand):
    help = (
        "Write customers as CSV (name, email, phone, address, loyaltyPoints, status: the "
        "columns import_customers reads) to FILE or standard output, streamed row by row. "
        "Cells a spreadsheet would run as formulas are neutralised."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="Default: standard output.")
        parser.add_argument(
            "--status",
            choices=STATUS_CHOICES,
            default="all",
            help="Which customers (default all).",
        )
        parser.add_argument("--search", default="", help="Only customers matching this search.")
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, *args, **options):
        filters = CustomerListFilters(search=options["search"], status=options["status"])
        lines = csv_lines(customer_export_rows(customer_queryset(filters=filters)))
        output = options["output"]
        if not output:
            self._write(lines, lambda line: self.stdout.write(line, ending=""))
        else:
            path = Path(output)
            if path.exists() and not options["force"]:
                raise CommandError(f"{path} exists; use --force to overwrite it.")
            with path.open("w", encoding="utf-8", newline="") as stream:
                count = self._write(lines, stream.write)
            self.stderr.write(f"Exported {count:,} customers to {path}.")

    def _write(self, lines, write) -> int:
        """Write every line; return how many customers (records after the header) there were."""
        count = -1
        for line in lines:
            write(line)
            count += line.endswith("\n")
        return count
