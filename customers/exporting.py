"""Export customers as CSV, streamed: the command, the list page's button and the API use it.

The columns are the ones the import reads (``customers.csv_io``), so an export
imports back unchanged. Rows are read from the database in chunks and written
one by one, so a million customers never sit in memory together. Every cell is
neutralised against spreadsheet formulas. Records merged into another customer
or erased on request are left out: the survivor stands for the first, and the
second holds nothing to export.
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from customers import csv_io
from customers.models import Customer

CHUNK_SIZE = 2000
# Excel opens a UTF-8 file correctly only with it; the import ignores it.
BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    """A file-like object that hands back what ``csv.writer`` writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def customer_export_rows(queryset: QuerySet[Customer]) -> Iterator[list[str]]:
    """Yield the header, then one neutralised row per customer of ``queryset``, in its order."""
    columns = csv_io.columns()
    yield [header for _, header in columns]
    fields = [name for name, _ in columns]
    rows = queryset.filter(merge_record__isnull=True, erasure__isnull=True)
    stored = [name for name in fields if name != "tags"]
    # Tags in the same query as their customers: the export stays one query.
    rows = rows.only(*stored).with_tag_names()
    for customer in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [csv_io.neutralise(_cell(customer, name)) for name in fields]


def _cell(customer: Customer, name: str):
    # The phone as staff read it (the national format re-imports as the same number).
    if name == "phone":
        return customer.phone_display
    if name == "tags":
        return csv_io.export_value(name, customer.tag_name_list())
    return csv_io.export_value(name, getattr(customer, name))


def csv_lines(rows: Iterable[list], *, byte_order_mark: bool = True) -> Iterator[str]:
    """Yield the CSV text of ``rows`` line by line (Windows line endings, as RFC 4180)."""
    if byte_order_mark:
        yield BYTE_ORDER_MARK
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


def export_response(queryset: QuerySet[Customer]) -> StreamingHttpResponse:
    """Return the customers of ``queryset`` as a CSV download, streamed row by row."""
    response = StreamingHttpResponse(
        csv_lines(customer_export_rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.csv"'
    return response
