"""Invoices, payments, refund credits and store credit in the customer timeline."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.dateformat import format as format_date

from accounting import services
from accounting.models import Invoice, InvoicePayment, StoreCreditEntry
from accounting.reversals import invoice_payment_reverse
from accounting.timeline import (
    CREDIT_SOURCE,
    INVOICE_SOURCE,
    PAYMENT_SOURCE,
    REVERSAL_SOURCE,
    STORE_CREDIT_SOURCE,
    invoice_credit_entries,
    invoice_entries,
    invoice_payment_entries,
    invoice_payment_reversal_entries,
    store_credit_entries,
)
from customers.timeline import TimelinePage, customer_timeline
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import refund, ring_up
from tests.timeline_walk import walk_source, walk_timeline

pytestmark = pytest.mark.django_db

MOMENT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
ACCOUNTING_SOURCES = {INVOICE_SOURCE, PAYMENT_SOURCE, CREDIT_SOURCE, STORE_CREDIT_SOURCE}
SOURCES = {
    INVOICE_SOURCE: invoice_entries,
    PAYMENT_SOURCE: invoice_payment_entries,
    CREDIT_SOURCE: invoice_credit_entries,
    REVERSAL_SOURCE: invoice_payment_reversal_entries,
    STORE_CREDIT_SOURCE: store_credit_entries,
}


@contextmanager
def at(moment):
    """Make every row written inside stamp ``moment`` (``auto_now_add`` reads ``now()``)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _history(customer, cashier, manager):
    """Store credit given, a sale on account paid in part (cash, store credit), a sale paid
    with store credit, then the first sale refunded: one row of every kind."""
    give_credit(customer, "500.00", manager)
    services.store_credit_adjust(customer=customer, amount="20.00", reason="Goodwill", user=manager)
    on_account = sell_on_account(customer, "40.00", cashier)
    invoice = Invoice.objects.get(sale=on_account)
    services.invoice_record_payment(
        invoice=invoice, amount="10.00", method="cash", user=manager, reference="T-1"
    )
    pay(invoice, "5.00", manager, method="store_credit")
    with_credit = ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "5.00")])
    refund(sale=on_account, user=manager)
    return on_account, with_credit, Invoice.objects.get(pk=invoice.pk)


def _accounting(entries):
    return [entry for entry in entries if entry.source in ACCOUNTING_SOURCES]


def test_every_kind_is_an_entry_with_summary_actor_and_link(cashier, manager):
    customer = CustomerFactory()
    on_account, with_credit, invoice = _history(customer, cashier, manager)
    invoice_url = reverse("accounting:invoice_detail", kwargs={"pk": invoice.pk})
    due = format_date(invoice.due_on, "M j, Y")

    timeline = customer_timeline(customer=customer, user=manager, limit=100)

    assert [(e.kind, e.summary, e.actor, e.link) for e in _accounting(timeline.entries)] == [
        (
            "store_credit.refunded",
            f"+$15.00 store credit from a refund of sale {on_account.number} (balance $25.00)",
            "manager",
            reverse("sales:sale_detail", kwargs={"pk": on_account.pk}),
        ),
        (
            "invoice.credited",
            f"$25.00 taken off invoice {invoice.number} by a refund of sale {on_account.number}",
            "manager",
            invoice_url,
        ),
        (
            "store_credit.spent",
            f"\u2212$5.00 store credit spent on sale {with_credit.number} (balance $10.00)",
            "cashier",
            reverse("sales:sale_detail", kwargs={"pk": with_credit.pk}),
        ),
        (
            "store_credit.paid_invoice",
            f"\u2212$5.00 store credit paid invoice {invoice.number} (balance $15.00)",
            "manager",
            invoice_url,
        ),
        (
            "invoice.paid",
            f"$5.00 paid on invoice {invoice.number} by store credit",
            "manager",
            invoice_url,
        ),
        (
            "invoice.paid",
            f"$10.00 paid on invoice {invoice.number} by cash (reference T-1)",
            "manager",
            invoice_url,
        ),
        (
            "invoice.issued",
            f"Invoice {invoice.number} for sale {on_account.number}: $40.00, due {due}; now paid",
            "cashier",
            invoice_url,
        ),
        (
            "store_credit.adjusted",
            "+$20.00 store credit adjusted: Goodwill (balance $20.00)",
            "manager",
            f"{customer.get_absolute_url()}#account-panel",
        ),
    ]
    keys = [entry.key for entry in _accounting(timeline.entries)]
    assert keys == sorted(keys, reverse=True)


def test_other_customers_rows_stay_out(cashier, manager):
    customer, other = CustomerFactory(), CustomerFactory()
    _history(other, cashier, manager)
    for entries in SOURCES.values():
        assert entries(TimelinePage(customer=customer)) == []


def test_a_store_credit_row_without_a_user_has_no_actor():
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="1.00", reason="x", user=None)
    [entry] = store_credit_entries(TimelinePage(customer=customer))
    assert entry.actor is None


def _shared_timestamps(customer, cashier, manager):
    """Nine payments and nine store credit rows, seven of each at one instant."""
    give_credit(customer, "1000.00", manager)
    with at(MOMENT - timedelta(days=1)):
        invoice = Invoice.objects.get(sale=sell_on_account(customer, "500.00", cashier))
        pay(invoice, "1.00", manager)
        services.store_credit_adjust(customer=customer, amount="100.00", reason="a", user=manager)
    with at(MOMENT):
        for _ in range(7):
            pay(invoice, "1.00", manager)
            services.store_credit_adjust(customer=customer, amount="1.00", reason="b", user=manager)
    with at(MOMENT + timedelta(seconds=1)):
        pay(invoice, "1.00", manager)
        services.store_credit_adjust(customer=customer, amount="1.00", reason="c", user=manager)
    return invoice


@pytest.mark.parametrize(
    ("source", "model"),
    [(PAYMENT_SOURCE, InvoicePayment), (STORE_CREDIT_SOURCE, StoreCreditEntry)],
)
def test_paging_with_shared_timestamps_loses_and_repeats_nothing(
    cashier, manager, django_assert_num_queries, source, model
):
    customer = CustomerFactory()
    _shared_timestamps(customer, cashier, manager)
    expected = list(model.objects.order_by("-created_at", "-id").values_list("id", flat=True))
    with django_assert_num_queries(4):  # one query per page: three of three, one empty
        entries, sizes = walk_source(SOURCES[source], customer, limit=3)
    assert [entry.id for entry in entries] == expected
    assert sizes == [3, 3, 3, 0]


def test_the_timeline_pages_through_every_accounting_row(cashier, manager):
    """Payments and store credit tie at one instant across sources; the merged pages keep
    every row once, in (at, source, id) order."""
    customer = CustomerFactory()
    _shared_timestamps(customer, cashier, manager)
    expected = sorted(
        [(row.created_at, INVOICE_SOURCE, row.pk) for row in Invoice.objects.all()]
        + [(row.created_at, PAYMENT_SOURCE, row.pk) for row in InvoicePayment.objects.all()]
        + [(row.created_at, STORE_CREDIT_SOURCE, row.pk) for row in StoreCreditEntry.objects.all()],
        reverse=True,
    )
    entries, _ = walk_timeline(customer, manager, limit=3)
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys))
    assert [entry.key for entry in _accounting(entries)] == expected

    only_store_credit, sizes = walk_timeline(customer, manager, limit=4, kind="store_credit")
    assert [entry.id for entry in only_store_credit] == [
        key[2] for key in expected if key[1] == STORE_CREDIT_SOURCE
    ]
    assert sizes == [4, 4, 1]


def test_one_query_per_source_per_page(cashier, manager, django_assert_num_queries):
    customer = CustomerFactory()
    for _ in range(2):
        _history(customer, cashier, manager)
        paid = pay(sell_on_account(customer, "10.00", cashier).invoice, "1.00", cashier)
        invoice_payment_reverse(payment=paid, reason="Bounced", user=manager)
    for entries in SOURCES.values():
        with django_assert_num_queries(1):
            first = entries(TimelinePage(customer=customer, limit=2))
        with django_assert_num_queries(1):
            entries(TimelinePage(customer=customer, limit=2, cursor=first[-1].key))
    manager.has_perm("accounting.view_invoice")  # the user's permission cache, loaded once
    with django_assert_num_queries(4):  # the four invoice sources
        timeline = customer_timeline(customer=customer, user=manager, kind="invoice")
    assert {entry.kind for entry in timeline.entries} == {
        "invoice.issued",
        "invoice.paid",
        "invoice.credited",
        "invoice.payment_reversed",
    }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "store_credit",
            {
                "store_credit.refunded",
                "store_credit.spent",
                "store_credit.paid_invoice",
                "store_credit.adjusted",
            },
        ),
        ("store_credit.spent", {"store_credit.spent"}),
        ("invoice", {"invoice.issued", "invoice.paid", "invoice.credited"}),
        ("invoice.paid", {"invoice.paid"}),
        ("invoice.pa", set()),
        ("points", set()),
    ],
)
def test_the_kind_filter_is_a_prefix_by_dotted_part(cashier, manager, kind, expected):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    timeline = customer_timeline(customer=customer, user=manager, limit=100, kind=kind)
    assert {entry.kind for entry in _accounting(timeline.entries)} == expected


def test_a_narrowed_store_credit_page_is_still_full(cashier, manager):
    """The kind narrows the query, not the page after it: three spends come back, not none."""
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="50.00", reason="x", user=manager)
    for _ in range(3):
        ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "1.00")])
    for _ in range(3):
        services.store_credit_adjust(customer=customer, amount="1.00", reason="y", user=manager)
    page = TimelinePage(customer=customer, limit=3, kind="store_credit.spent")
    assert [entry.kind for entry in store_credit_entries(page)] == ["store_credit.spent"] * 3


def test_each_source_answers_to_its_page_permission(cashier, manager):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    nobody = UserFactory()  # staff, in no role
    assert not _accounting(customer_timeline(customer=customer, user=nobody).entries)

    store_credit_only = UserFactory()
    store_credit_only.user_permissions.add(
        Permission.objects.get(
            codename="view_storecreditentry", content_type__app_label="accounting"
        )
    )
    timeline = customer_timeline(customer=customer, user=store_credit_only, limit=100)
    assert {entry.source for entry in _accounting(timeline.entries)} == {STORE_CREDIT_SOURCE}
    assert ACCOUNTING_SOURCES & set(timeline.sources) == {STORE_CREDIT_SOURCE}

    seen = customer_timeline(customer=customer, user=cashier, limit=100)
    assert {entry.source for entry in _accounting(seen.entries)} == ACCOUNTING_SOURCES
