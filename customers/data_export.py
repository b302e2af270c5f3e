"""A customer's "Download my data" (GDPR articles 15 and 20): everything held about them.

One JSON document, ``{"exportedAt", "customer": {...profile...}, "sections": {name:
[rows]}}``, or the same as a ZIP of CSV files. ``customers`` names no other module:
each module registers a :class:`customers.extensions.DataExportSection` with its own
rows about the customer (sales, points, invoices...), as it registers its merge step,
and this module assembles them in the sections' order. Customers' own records (the
history of changes, ids from an imported system, merges) are sections like the rest.

Each download is a ``customer.data_exported`` event (who, through which channel): a
shop must be able to show when it handed a person's data out, and to whom.
"""

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from customers.alerts import customer_alert
from customers.csv_io import neutralise
from customers.distinct import DistinctCustomers
from customers.events import record_event
from customers.exporting import BYTE_ORDER_MARK
from customers.extensions import (
    DataExportSection,
    data_export_sections,
    register_data_export_section,
)
from customers.history import event_summary
from customers.models import Customer, CustomerEvent, CustomerEventKind, CustomerMerge
from customers.prior_history import CustomerPriorHistory, CustomerReference

# The models the profile itself reads (besides the sections' models).
PROFILE_MODELS = ("customers.Customer", "customers.CustomerErasure")
# A number a spreadsheet reads as a number, never as a formula ("-12.50" is one).
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def plain(value):
    """Return ``value`` as JSON holds it: amounts and dates as text, moments in UTC."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def customer_profile(customer: Customer) -> dict:
    """Return the customer's own record: what the API shows, with what became of it."""
    customer = (
        Customer.objects.select_related("home_store", "erasure", "merge_record")
        .with_tag_names()
        .get(pk=customer.pk)
    )
    erasure = getattr(customer, "erasure", None)
    merge = getattr(customer, "merge_record", None)
    return plain(
        {
            "id": customer.pk,
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "address": customer.address,
            "birthday": customer.birthday,
            "preferredContact": customer.preferred_contact,
            "marketingConsent": {
                "email": bool(customer.email_consent),
                "sms": bool(customer.sms_consent),
            },
            "note": customer.note,
            "alert": customer_alert(customer),
            "tags": customer.tag_name_list(),
            "homeStore": customer.home_store.name if customer.home_store else None,
            "loyaltyPoints": customer.loyalty_points,
            "status": customer.status,
            "createdAt": customer.created_at,
            "updatedAt": customer.updated_at,
            "mergedInto": merge.survivor_id if merge else None,
            "erasedAt": erasure.erased_at if erasure else None,
        }
    )


def customer_data_export(customer: Customer) -> dict:
    """Return everything held about ``customer``: the profile and every module's section."""
    return {
        "exportedAt": plain(timezone.now()),
        "customer": customer_profile(customer),
        "sections": {
            section.name: plain(section.rows(customer=customer))
            for section in data_export_sections()
        },
    }


@transaction.atomic
def customer_data_download(*, customer: Customer, actor, channel: str) -> dict:
    """Return the customer's data export and record that it was handed out (an event)."""
    export = customer_data_export(customer)
    record_event(customer, CustomerEventKind.DATA_EXPORTED, actor=actor, channel=channel)
    return export


def download_response(customer: Customer, export: dict, *, as_zip: bool) -> HttpResponse:
    """Return ``export`` as a file to save: the JSON, or the ZIP of CSVs; never cached."""
    if as_zip:
        response = HttpResponse(customer_data_zip(export), content_type="application/zip")
    else:
        response = HttpResponse(
            json.dumps(export, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    extension = "zip" if as_zip else "json"
    response["Content-Disposition"] = (
        f'attachment; filename="customer-{customer.pk}-data-{stamp}.{extension}"'
    )
    response["Cache-Control"] = "no-store"
    return response


# The ZIP of CSVs -----------------------------------------------------------------------


def _cell(value) -> str:
    """Return a cell's text: lists joined, every other text safe from spreadsheet formulas."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_cell(item) for item in value)
    text = "" if value is None else str(value)
    return text if _PLAIN_NUMBER.fullmatch(text) else neutralise(text)


def _flatten(row: dict, prefix: str = "") -> tuple[dict, dict[str, list[dict]]]:
    """Split a row into its cells (nested dicts as ``a.b``) and its own rows by key."""
    cells, children = {}, {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            nested_cells, nested_children = _flatten(value, f"{name}.")
            cells.update(nested_cells)
            children.update(nested_children)
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            children[name] = value
        else:
            cells[name] = value
    return cells, children


def _tables(name: str, rows: list[dict], tables: dict[str, list[dict]]) -> None:
    """Add ``rows`` as table ``name``, and each row's own rows as ``name.key``.

    A child row starts with its parent's id (``sales.id``), or the parent's row
    number when the parent has none. A key that holds rows in any row is no column
    (a sale without refunds has no "refunds" cell).
    """
    table = tables.setdefault(name, [])
    flattened = [_flatten(row) for row in rows]
    child_keys = {key for _, children in flattened for key in children}
    for number, (row, (cells, children)) in enumerate(zip(rows, flattened, strict=True), 1):
        table.append({key: value for key, value in cells.items() if key not in child_keys})
        parent = row.get("id", number)
        for key, child_rows in children.items():
            _tables(
                f"{name}.{key}",
                [{f"{name}.id": parent, **child} for child in child_rows],
                tables,
            )


def _csv(rows: list[dict]) -> str:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    output = io.StringIO()
    if headers:
        output.write(BYTE_ORDER_MARK)
        writer = csv.writer(output)
        writer.writerow([neutralise(header) for header in headers])
        for row in rows:
            writer.writerow([_cell(row.get(header)) for header in headers])
    return output.getvalue()


def customer_data_zip(export: dict) -> bytes:
    """Return ``export`` as a ZIP: ``customer.csv``, then one CSV per section (and sub-rows).

    A section with no rows is an empty file, so the ZIP names everything a shop could hold.
    """
    tables: dict[str, list[dict]] = {}
    _tables("customer", [export["customer"]], tables)
    for name, rows in export["sections"].items():
        tables.setdefault(name, [])
        _tables(name, rows, tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


# Customers' own sections ----------------------------------------------------------------


def _events(*, customer) -> list[dict]:
    events = CustomerEvent.objects.filter(customer=customer).order_by("at", "id")
    return [
        {
            "id": event.pk,
            "at": event.at,
            "kind": event.kind,
            "summary": event_summary(event),
            "channel": event.channel,
            "otherCustomerId": event.other_customer_id,
            "changes": [
                {"field": field, "old": values[0], "new": values[1]}
                for field, values in (event.changes or {}).items()
            ],
        }
        for event in events
    ]


def _references(*, customer) -> list[dict]:
    references = CustomerReference.objects.filter(customer=customer).order_by("source", "id")
    return [{"source": row.source, "reference": row.reference} for row in references]


def _prior_history(*, customer) -> list[dict]:
    return [
        {**history.as_dict(), "importedAt": history.imported_at}
        for history in CustomerPriorHistory.objects.filter(customer=customer)
    ]


def _merges(*, customer) -> list[dict]:
    merges = CustomerMerge.objects.filter(Q(duplicate=customer) | Q(survivor=customer))
    return [
        {
            "mergedAt": merge.merged_at,
            "duplicateId": merge.duplicate_id,
            "survivorId": merge.survivor_id,
        }
        for merge in merges.order_by("merged_at", "duplicate_id")
    ]


def _not_duplicates(*, customer) -> list[dict]:
    pairs = DistinctCustomers.objects.filter(Q(first=customer) | Q(second=customer))
    return [
        {
            "decidedAt": pair.decided_at,
            "otherCustomerId": pair.second_id if pair.first_id == customer.pk else pair.first_id,
        }
        for pair in pairs.order_by("decided_at", "id")
    ]


def connect() -> None:
    for section in (
        DataExportSection(
            name="events",
            label="History of changes",
            rows=_events,
            models=("customers.CustomerEvent",),
            order=10,
        ),
        DataExportSection(
            name="importedIds",
            label="Ids in systems the shop imported from",
            rows=_references,
            models=("customers.CustomerReference",),
            order=11,
        ),
        DataExportSection(
            name="priorHistory",
            label="History before ClassicPOS",
            rows=_prior_history,
            models=("customers.CustomerPriorHistory",),
            order=12,
        ),
        DataExportSection(
            name="merges",
            label="Merged records",
            rows=_merges,
            models=("customers.CustomerMerge",),
            order=13,
        ),
        DataExportSection(
            name="notTheSamePerson",
            label="Customers said to be other people",
            rows=_not_duplicates,
            models=("customers.DistinctCustomers",),
            order=14,
        ),
    ):
        register_data_export_section(section)
