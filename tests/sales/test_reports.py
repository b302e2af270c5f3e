"""The day's takings per store and till: API, page and CSV, each store in its own time zone."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sales.models import Refund, Sale
from sales.services import sale_refund
from tests.sales.helpers import refund, ring_up
from tests.stores.factories import StoreFactory, TillFactory

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def _at(sale_or_refund, when: datetime):
    type(sale_or_refund).objects.filter(pk=sale_or_refund.pk).update(created_at=when)


@pytest.fixture
def chain(cashier, manager):
    """Downtown (New York) and Airport (UTC): sales either side of New York's midnight."""
    downtown = TillFactory(
        name="Front", store=StoreFactory(code="DT", name="Downtown", time_zone="America/New_York")
    )
    airport = TillFactory(name="Gate", store=StoreFactory(code="AP", name="Airport"))
    # 02:00 UTC on the 6th is 21:00 on the 5th in New York.
    late = ring_up(customer=None, price="10.00", cashier=cashier, till=downtown)
    _at(late, datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    morning = ring_up(
        customer=None,
        price="30.00",
        cashier=cashier,
        till=downtown,
        payments=[("card", "20.00"), ("cash", "15.00")],
    )
    _at(morning, datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    given = refund(sale=late, user=manager)
    _at(given, datetime(2026, 12, 6, 16, 0, tzinfo=UTC))
    gate = ring_up(customer=None, price="7.00", cashier=cashier, till=airport)
    _at(gate, datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    return downtown, airport


def test_each_store_and_local_day_has_its_figures(manager_client, chain):
    downtown, airport = chain
    rows = manager_client.get(
        "/api/reports/sales-by-store", {"from": "2026-12-05", "to": "2026-12-06"}
    ).json()
    assert rows == [
        {
            "storeId": downtown.store_id,
            "date": "2026-12-05",
            "sales": 1,
            "gross": "10.00",
            "storedValue": "0.00",
            "refunds": "0.00",
            "net": "10.00",
            "tax": "0.00",
            "byMethod": {"cash": "10.00"},
            "drawerCash": "10.00",
        },
        {
            "storeId": airport.store_id,
            "date": "2026-12-06",
            "sales": 1,
            "gross": "7.00",
            "storedValue": "0.00",
            "refunds": "0.00",
            "net": "7.00",
            "tax": "0.00",
            "byMethod": {"cash": "7.00"},
            "drawerCash": "7.00",
        },
        {
            "storeId": downtown.store_id,
            "date": "2026-12-06",
            "sales": 1,
            "gross": "30.00",
            "storedValue": "0.00",
            "refunds": "10.00",
            "net": "20.00",
            "tax": "0.00",
            # 15.00 handed over for 10.00 due: 5.00 change.
            "byMethod": {"card": "20.00", "cash": "10.00"},
            "drawerCash": "0.00",
        },
    ]


def test_one_store_by_till_in_as_few_queries_for_a_week_as_for_a_day(
    manager_client, chain, django_assert_max_num_queries
):
    downtown, _ = chain
    query = {"from": "2026-12-01", "to": "2026-12-07", "storeId": downtown.store_id}
    # The user, the stores, the tills, then sales, payments and refunds per time zone.
    with django_assert_max_num_queries(8):
        rows = manager_client.get("/api/reports/sales-by-store", {**query, "byTill": "true"}).json()
    assert {(row["date"], row["tillId"]) for row in rows} == {
        ("2026-12-05", downtown.pk),
        ("2026-12-06", downtown.pk),
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-12-07", "to": "2026-12-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "9999-12-31"}, "from"),
        ({"storeId": "abc"}, "storeId"),
        ({"storeId": "0"}, "storeId"),
        ({"storeId": "999999"}, "storeId"),
    ],
)
def test_a_bad_period_or_store_is_a_400(manager_client, query, field):
    response = manager_client.get("/api/reports/sales-by-store", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_cashiers_do_not_see_the_takings(cashier_client, cashier_page):
    assert cashier_client.get("/api/reports/sales-by-store").status_code == 403
    assert cashier_page.get("/reports/sales-by-store/").status_code == 403


def test_the_page_and_its_csv_show_the_same_rows(manager_page, chain):
    query = {"from": "2026-12-06", "to": "2026-12-06"}
    page = manager_page.get("/reports/sales-by-store/", query).content.decode()
    assert "Downtown" in page
    assert "Airport" in page
    assert "download=csv" in page
    download = manager_page.get("/reports/sales-by-store/", {**query, "download": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == [
        "Date", "Store", "Sales", "Gross", "Stored value sold", "Refunds", "Net", "Tax", "Card",
        "Cash", "Cash in drawer"
    ]  # fmt: skip
    assert rows[1:] == [
        ["2026-12-06", "AP", "1", "7.00", "0.00", "0.00", "7.00", "0.00", "0.00", "7.00", "7.00"],
        [
            "2026-12-06", "DT", "1", "30.00", "0.00", "10.00", "20.00", "0.00", "20.00", "10.00",
            "0.00",
        ],
    ]  # fmt: skip
    bad = manager_page.get("/reports/sales-by-store/", {"from": "soon"})
    assert bad.status_code == 200
    assert "Enter a date as YYYY-MM-DD." in bad.content.decode()


def test_a_refund_counts_at_the_store_that_gave_it(manager, cashier, manager_client):
    selling = TillFactory(store=StoreFactory(code="DT"))
    giving = TillFactory(store=StoreFactory(code="AP"))
    sale = ring_up(customer=None, price="4.00", cashier=cashier, till=selling)
    sale_refund(sale=sale, user=manager, till_id=giving.pk)
    rows = manager_client.get("/api/reports/sales-by-store").json()
    by_store = {row["storeId"]: (row["sales"], row["refunds"]) for row in rows}
    assert by_store == {selling.store_id: (1, "0.00"), giving.store_id: (0, "4.00")}
    assert Refund.objects.get().store_id == giving.store_id
    assert Sale.objects.get().net_total == Decimal("0.00")
