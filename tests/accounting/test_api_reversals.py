"""``POST /api/invoices/:id/payments/:paymentId/reversal`` (issue 27, item 19)."""

from decimal import Decimal

import pytest

from accounting.models import InvoicePaymentReversal
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(cashier, manager):
    """An invoice of 100.00 with a cash payment of 40.00."""
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    return invoice, pay(invoice, "40.00", cashier)


def url(invoice, payment, slash="") -> str:
    return f"/api/invoices/{invoice.pk}/payments/{payment.pk}/reversal{slash}"


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_manager_reverses_a_payment_and_gets_the_invoice(manager_client, paid, slash):
    invoice, payment = paid
    response = post_json(manager_client, url(invoice, payment, slash), {"reason": "Bounced"})
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(f"/api/invoices/{invoice.pk}")
    body = response.json()
    assert body["status"] == "open"
    assert body["amountPaid"] == "0.00"
    assert body["balance"] == "100.00"
    (shown,) = body["payments"]
    assert shown["amount"] == "40.00"
    assert shown["reversal"]["reason"] == "Bounced"
    assert shown["reversal"]["createdBy"] == "manager"


def test_payments_not_reversed_say_so(cashier_client, paid):
    invoice, _ = paid
    body = cashier_client.get(f"/api/invoices/{invoice.pk}").json()
    assert body["payments"][0]["reversal"] is None


def test_a_cashier_may_not_reverse(cashier_client, paid):
    invoice, payment = paid
    assert_problem(post_json(cashier_client, url(invoice, payment), {"reason": "No"}), 403)
    assert not InvoicePaymentReversal.objects.exists()


def test_a_second_reversal_is_a_problem_naming_the_payment(manager_client, paid):
    invoice, payment = paid
    assert (
        post_json(manager_client, url(invoice, payment), {"reason": "Bounced"}).status_code == 201
    )
    body = assert_problem(
        post_json(manager_client, url(invoice, payment), {"reason": "Again"}), 400
    )
    assert "already reversed" in body["errors"]["payment"][0]
    assert InvoicePaymentReversal.objects.count() == 1


def test_a_reversal_needs_a_reason_and_no_unknown_keys(manager_client, paid):
    invoice, payment = paid
    body = assert_problem(post_json(manager_client, url(invoice, payment), {"reason": " "}), 400)
    assert body["errors"] == {"reason": ["Say why the payment is reversed."]}
    body = assert_problem(
        post_json(manager_client, url(invoice, payment), {"reason": "x", "amount": "1"}), 400
    )
    assert body["errors"] == {"amount": ["Unknown field."]}
    assert not InvoicePaymentReversal.objects.exists()


def test_a_payment_of_another_invoice_is_not_found(manager_client, paid, cashier, manager):
    invoice, payment = paid
    other = sell_on_account(invoice.customer, "10.00", cashier).invoice
    assert_problem(post_json(manager_client, url(other, payment), {"reason": "Bounced"}), 404)
    assert not InvoicePaymentReversal.objects.exists()


def test_reversals_honour_the_idempotency_key(manager_client, paid):
    invoice, payment = paid
    first = post_json(
        manager_client, url(invoice, payment), {"reason": "Bounced"}, HTTP_IDEMPOTENCY_KEY="rev-1"
    )
    second = post_json(
        manager_client, url(invoice, payment), {"reason": "Bounced"}, HTTP_IDEMPOTENCY_KEY="rev-1"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert InvoicePaymentReversal.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("100.00")
    conflict = post_json(
        manager_client, url(invoice, payment), {"reason": "Other"}, HTTP_IDEMPOTENCY_KEY="rev-1"
    )
    assert_problem(conflict, 409)


def test_store_credit_given_back_names_the_invoice(manager_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    post_json(
        manager_client,
        f"/api/customers/{customer.pk}/store-credit-adjustments",
        {"amount": "30.00", "reason": "Gift"},
    )
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    payment = pay(invoice, "30.00", cashier, method="store_credit")
    post_json(manager_client, url(invoice, payment), {"reason": "Wrong invoice"})
    rows = manager_client.get(f"/api/customers/{customer.pk}/store-credit").json()["results"]
    assert [(row["kind"], row["amount"], row["invoiceNumber"]) for row in rows] == [
        ("payment_reversal", "30.00", invoice.number),
        ("invoice_payment", "-30.00", invoice.number),
        ("adjustment", "30.00", None),
    ]
