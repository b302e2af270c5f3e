"""Exporting customers as CSV: the columns the import reads, formula-safe, streamed."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command

from customers import services
from customers.exporting import csv_lines, customer_export_rows
from customers.importing import customer_import
from customers.models import Customer
from loyalty.models import LoyaltyTransaction, PointsLot
from loyalty.services import points_adjust
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def export_text(queryset=None) -> str:
    return "".join(csv_lines(customer_export_rows(queryset or Customer.objects.order_by("pk"))))


def test_an_export_imports_back_unchanged_into_an_empty_shop(manager):
    ada = CustomerFactory(name="Ada Lovelace", address="1 Main St,\nSpringfield")
    points_adjust(customer=ada, points=120, reason="Welcome", user=manager)
    CustomerFactory(name='=HYPERLINK("http://x")', email=None, phone="+442079460958")
    CustomerFactory(name="'Quoted", email="q@example.com", phone=None, address=None)
    services.customer_deactivate(
        actor=None, channel="command", customer=CustomerFactory(name="Gone Away")
    )
    columns = ["name", "email", "phone", "address", "loyalty_points", "status"]
    before = sorted(Customer.objects.values_list(*columns))
    text = export_text()

    again = customer_import(file=io.BytesIO(text.encode()))
    assert (again.created, again.updated, again.errors) == (0, 0, [])
    assert again.unchanged == 4

    # An empty shop (the ledger refuses deletes; its base manager is a plain one). The
    # points' lots go first: each names the ledger row it opened with.
    PointsLot.objects.all().delete()
    LoyaltyTransaction._base_manager.all().delete()
    Customer.objects.all().delete()
    report = customer_import(file=io.BytesIO(text.encode()))
    assert report.created == 4
    assert sorted(Customer.objects.values_list(*columns)) == before


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for name in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        CustomerFactory(name=f"{name}", email=None, phone=None, address=None)
    rows = list(csv.reader(io.StringIO(export_text())))
    names = [row[0] for row in rows[1:]]
    assert all(name.startswith("'") for name in names), names


def test_the_header_is_the_import_header():
    assert export_text().splitlines()[0] == (
        "\ufeffname,email,phone,address,birthday,preferredContact,emailConsent,smsConsent,"
        "tags,note,loyaltyPoints,status"
    )


def test_merged_and_anonymised_records_are_left_out(manager):
    keep, duplicate, erased = CustomerFactory.create_batch(3)
    services.customer_merge(survivor=keep, duplicate=duplicate, actor=manager, channel="command")
    services.customer_anonymise(
        customer=erased, confirm=erased.name, actor=manager, channel="command"
    )
    rows = list(csv.reader(io.StringIO(export_text())))
    assert [row[0] for row in rows[1:]] == [keep.name]


def test_the_export_reads_the_database_in_chunks(django_assert_max_num_queries):
    CustomerFactory.create_batch(5)
    with django_assert_max_num_queries(1):
        assert len(list(customer_export_rows(Customer.objects.all()))) == 6


def test_the_command_writes_a_file_and_filters_like_the_list(tmp_path):
    CustomerFactory(name="Ada Lovelace")
    services.customer_deactivate(
        actor=None, channel="command", customer=CustomerFactory(name="Bob Inactive")
    )
    path = tmp_path / "out.csv"
    err = StringIO()
    call_command("export_customers", "--output", str(path), "--status", "active", stderr=err)
    assert "Exported 1 customers" in err.getvalue()
    content = path.read_text(encoding="utf-8-sig")
    assert "Ada Lovelace" in content
    assert "Bob Inactive" not in content
    out = StringIO()
    call_command("export_customers", "--search", "bob", stdout=out)
    assert "Bob Inactive" in out.getvalue()
