"""A customer whose note blocks sales (issue 32 §5): refused at the quote and at checkout
unless a Manager allows the sale with a reason, recorded once on the customer's timeline;
and what the till is warned of when a customer is picked (``sales.extensions`` pick
warnings, in the quote)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classicpos.reasons import REASON_MAX_LENGTH
from classicpos.registry import Registry
from customers.models import CustomerEvent, CustomerEventKind
from loyalty.models import LoyaltyProgram
from sales import extensions
from sales.extensions import PickWarning, PickWarnings
from sales.models import Sale
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db

REASON = "Paid what he owed at the office this morning"


@pytest.fixture
def blocked():
    return CustomerFactory(name="Barry Barred", note="Bounced two cheques", note_alert="block")


def cart(customer, **extra):
    product = ProductFactory(price=Decimal("4.00"))
    return {
        "customerId": customer.pk,
        "lines": [{"productId": product.pk, "quantity": 1}],
        "payments": [{"method": "cash", "amount": "4.00"}],
        **extra,
    }


def overrides():
    return CustomerEvent.objects.filter(kind=CustomerEventKind.ALERT_OVERRIDDEN)


BLOCKED = (
    "Sales to Barry Barred are blocked: \u201cBounced two cheques\u201d. "
    "A Manager can allow this sale, with a reason."
)


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_a_blocked_customer_is_refused_naming_the_block(cashier_client, blocked, url):
    body = assert_problem(post_json(cashier_client, url, cart(blocked)), 400)
    assert body["errors"] == {"customerId": [BLOCKED]}
    assert Sale.objects.count() == 0


def test_a_manager_allows_the_sale_and_it_is_on_the_customers_timeline(manager_client, blocked):
    payload = cart(blocked, alertOverride={"reason": f"  {REASON}\n"})
    assert post_json(manager_client, "/api/sales/quote", payload).status_code == 200
    assert not overrides().exists()  # a quote records nothing
    response = post_json(manager_client, "/api/sales", payload)
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    event = overrides().get()
    assert (event.customer_id, event.actor.username, event.channel) == (
        blocked.pk,
        "manager",
        "api",
    )
    assert event.changes == {"sale": [None, number], "reason": [None, REASON]}
    entries = manager_client.get(f"/api/customers/{blocked.pk}/timeline").json()["results"]
    override = next(e for e in entries if e["kind"] == "customer.alert_overridden")
    assert override["summary"] == f"Sale {number} allowed despite the block: {REASON} · API"
    assert override["actor"] == "manager"
    assert override["changes"] is None


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_a_cashier_cannot_allow_it(cashier_client, blocked, url):
    body = assert_problem(
        post_json(cashier_client, url, cart(blocked, alertOverride={"reason": REASON})), 403
    )
    assert body["detail"] == (
        "Only a Manager can allow a sale to Barry Barred: sales to them are blocked."
    )
    assert not Sale.objects.exists()
    assert not overrides().exists()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({}, "Say why this sale is allowed."),
        ({"reason": " \n "}, "Say why this sale is allowed."),
        ({"reason": "x" * (REASON_MAX_LENGTH + 1)}, "Keep the reason to 500 characters."),
    ],
)
def test_the_reason_is_required_and_kept_to_one_line_of_500(
    manager_client, blocked, override, message
):
    body = assert_problem(
        post_json(manager_client, "/api/sales", cart(blocked, alertOverride=override)), 400
    )
    assert body["errors"] == {"alertOverride.reason": [message]}
    assert not overrides().exists()


def test_an_override_with_unknown_keys_is_refused(manager_client, blocked):
    payload = cart(blocked, alertOverride={"reason": REASON, "by": "me"})
    body = assert_problem(post_json(manager_client, "/api/sales", payload), 400)
    assert set(body["errors"]) == {"alertOverride.by"}


def test_a_retried_checkout_records_the_override_once(manager_client, blocked):
    payload = cart(blocked, alertOverride={"reason": REASON})
    first = post_json(manager_client, "/api/sales", payload, HTTP_IDEMPOTENCY_KEY="cart-7")
    again = post_json(manager_client, "/api/sales", payload, HTTP_IDEMPOTENCY_KEY="cart-7")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Sale.objects.count() == 1
    assert overrides().count() == 1


def test_a_warning_never_stops_a_sale_and_an_unneeded_override_is_ignored(manager_client):
    warned = CustomerFactory(note="Pays cash only", note_alert="warn")
    assert post_json(manager_client, "/api/sales", cart(warned)).status_code == 201
    unblocked = CustomerFactory(note="Was barred", note_alert=None)
    payload = cart(unblocked, alertOverride={"reason": REASON})
    assert post_json(manager_client, "/api/sales", payload).status_code == 201
    assert not overrides().exists()


def test_refunds_to_a_blocked_customer_go_ahead(manager, cashier, manager_client):
    customer = CustomerFactory(name="Rae Refund")
    sale = ring_up(customer=customer, cashier=cashier, price="10.00")
    customer.note, customer.note_alert = "Returned goods worn", "block"
    customer.save()
    response = post_json(manager_client, f"/api/sales/{sale.pk}/refund", {})
    assert response.status_code == 201, response.content


# --- what the till is warned of at the pick ------------------------------------------------


def test_the_quote_carries_the_modules_pick_warnings_for_those_allowed(cashier_client, monkeypatch):
    customer = CustomerFactory()
    registry = Registry("pick warnings")
    registry.register(
        PickWarnings(
            name="club",
            warnings=lambda customer: [
                PickWarning(level="warn", text=f"{customer.name} owes dues")
            ],
        )
    )
    registry.register(
        PickWarnings(
            name="secret",
            warnings=lambda customer: [PickWarning(level="warn", text="Managers only")],
            permission="sales.view_sales_report",
        )
    )
    monkeypatch.setattr(extensions, "_pick_warnings", registry)
    body = post_json(cashier_client, "/api/sales/quote", cart(customer)).json()
    assert body["customerWarnings"] == [{"level": "warn", "text": f"{customer.name} owes dues"}]
    walk_in = {**cart(customer), "customerId": None}
    assert post_json(cashier_client, "/api/sales/quote", walk_in).json()["customerWarnings"] == []


def test_the_pick_warnings_cost_one_query_however_many_invoices(
    cashier_client, cashier, manager, monkeypatch
):
    from tests.accounting.helpers import give_credit, sell_on_account

    LoyaltyProgram.current()
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    payload = cart(customer)
    post_json(cashier_client, "/api/sales/quote", payload)  # the user's permissions, cached

    def quote_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert post_json(cashier_client, "/api/sales/quote", payload).status_code == 200
        return len(queries)

    with_warnings = quote_queries()
    with monkeypatch.context() as patched:
        patched.setattr(extensions, "_pick_warnings", Registry("pick warnings"))
        without = quote_queries()
    # Accounting's: one aggregate over the unpaid invoices; the account was read for the
    # payment methods' limits already, once per customer (``account_for``).
    assert with_warnings == without + 1
    for _ in range(3):
        sell_on_account(customer, "20.00", cashier)
    assert quote_queries() == with_warnings
