"""The accounting API: accounts, invoices and payments, store credit, statements, checkout."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounting import services
from accounting.models import Invoice, InvoicePayment, StoreCreditEntry
from sales.models import Sale
from tests.accounting.helpers import give_credit, pay, sell_on_account, store_credit
from tests.api_helpers import SLASHES, assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


def patch_json(client, url, data):
    import json

    return client.patch(url, data=json.dumps(data), content_type="application/json")


# ---- /api/customers/:id/account ----


@SLASHES
def test_account_shows_limit_outstanding_overdue_available_and_store_credit(
    cashier_client, cashier, manager, slash
):
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    sell_on_account(customer, "40.00", cashier)
    services.store_credit_adjust(customer=customer, amount="2.50", reason="x", user=manager)
    response = cashier_client.get(f"/api/customers/{customer.pk}/account{slash}")
    assert response.status_code == 200
    assert response.json() == {
        "customerId": customer.pk,
        "creditLimit": "500.00",
        "outstanding": "40.00",
        "overdue": "0.00",
        "availableCredit": "460.00",
        "storeCredit": "2.50",
        "openInvoices": 1,
    }


def test_a_customer_without_an_account_reads_the_default_and_nothing_is_created(
    cashier_client, django_assert_num_queries
):
    customer = CustomerFactory()
    body = cashier_client.get(f"/api/customers/{customer.pk}/account").json()
    assert body["creditLimit"] == "0.00"
    assert body["availableCredit"] == "0.00"
    assert not hasattr(customer, "account") or customer.account is None
    assert cashier_client.get("/api/customers/999999/account").status_code == 404


def test_account_query_count(cashier_client, django_assert_num_queries):
    customer = CustomerFactory()
    # Permissions (1), customer, account, invoice figures.
    with django_assert_num_queries(4):
        cashier_client.get(f"/api/customers/{customer.pk}/account")


def test_only_a_manager_changes_the_credit_limit(cashier_client, manager_client):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/account"
    assert_problem(patch_json(cashier_client, url, {"creditLimit": "500.00"}), 403)
    response = patch_json(manager_client, url, {"creditLimit": "500.00"})
    assert response.status_code == 200, response.content
    assert response.json()["creditLimit"] == "500.00"
    assert response.json()["availableCredit"] == "500.00"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"creditLimit": "-1.00"}, {"creditLimit": ["The credit limit cannot be negative."]}),
        ({"creditLimit": "lots"}, {"creditLimit": ["Enter an amount such as 12.50."]}),
        ({"creditLimit": "5", "storeCredit": "9"}, {"storeCredit": ["Unknown field."]}),
    ],
)
def test_a_bad_credit_limit_is_a_problem_document(manager_client, body, errors):
    customer = CustomerFactory()
    response = patch_json(manager_client, f"/api/customers/{customer.pk}/account", body)
    assert assert_problem(response, 400)["errors"] == errors


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        # Issue 27 #26: an exponent is not how an amount is written.
        ("1e400", "Enter an amount such as 12.50."),
        ("-1e400", "Enter an amount such as 12.50."),
        ("1E+30", "Enter an amount such as 12.50."),
        ("10000000000.00", "Enter an amount of at most 9,999,999,999.99."),
        ("-10000000000.00", "Enter an amount of at most 9,999,999,999.99."),
    ],
)
def test_an_amount_beyond_the_money_columns_is_a_400_on_its_field(
    manager_client, manager, cashier, amount, message
):
    """Issue 13: rounding ``1e400`` to cents overflowed before the size was checked (a 500)."""
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "30.00", cashier)
    invoice = Invoice.objects.get(customer=customer)
    too_much = [message]
    for response, field in [
        (
            patch_json(
                manager_client, f"/api/customers/{customer.pk}/account", {"creditLimit": amount}
            ),
            "creditLimit",
        ),
        (
            post_json(
                manager_client,
                f"/api/invoices/{invoice.pk}/payments",
                {"amount": amount, "method": "cash"},
            ),
            "amount",
        ),
        (
            post_json(
                manager_client,
                f"/api/customers/{customer.pk}/store-credit-adjustments",
                {"amount": amount, "reason": "Too much"},
            ),
            "amount",
        ),
    ]:
        assert assert_problem(response, 400)["errors"] == {field: too_much}
    assert not InvoicePayment.objects.exists()
    assert not StoreCreditEntry.objects.filter(customer=customer).exists()


# ---- /api/invoices ----


def _invoices(cashier, manager):
    """Three customers' invoices: open, partially paid, paid, void, and one overdue."""
    ann, bob = CustomerFactory(name="Ann"), CustomerFactory(name="Bob")
    for customer in (ann, bob):
        give_credit(customer, "1000.00", manager)
    open_one = sell_on_account(ann, "10.00", cashier).invoice
    partly = sell_on_account(ann, "20.00", cashier).invoice
    pay(partly, "5.00", cashier)
    paid = sell_on_account(bob, "30.00", cashier).invoice
    pay(paid, "30.00", cashier)
    from tests.sales.helpers import refund

    void = refund(sale=sell_on_account(bob, "40.00", cashier), user=manager).sale.invoice
    today = timezone.localdate()
    Invoice.objects.filter(pk=open_one.pk).update(
        issued_on=today - timedelta(days=45), due_on=today - timedelta(days=15)
    )
    return {"ann": ann, "bob": bob, "open": open_one, "partly": partly, "paid": paid, "void": void}


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_invoice_list_filters(cashier_client, cashier, manager):
    data = _invoices(cashier, manager)
    today = timezone.localdate()
    get = cashier_client.get
    assert numbers(get("/api/invoices")) == [
        "INV-S-000004",
        "INV-S-000003",
        "INV-S-000002",
        "INV-S-000001",
    ]
    assert numbers(get(f"/api/invoices?customer={data['ann'].pk}")) == [
        "INV-S-000002",
        "INV-S-000001",
    ]
    assert numbers(get("/api/invoices?status=partially_paid")) == ["INV-S-000002"]
    assert numbers(get("/api/invoices?status=void")) == ["INV-S-000004"]
    assert numbers(get("/api/invoices?status=unpaid")) == ["INV-S-000002", "INV-S-000001"]
    assert numbers(get("/api/invoices?overdue=true")) == ["INV-S-000001"]
    assert numbers(get(f"/api/invoices?issuedAfter={today}")) == [
        "INV-S-000004",
        "INV-S-000003",
        "INV-S-000002",
    ]
    assert numbers(get(f"/api/invoices?issuedBefore={today - timedelta(days=1)}")) == [
        "INV-S-000001"
    ]
    assert_problem(get("/api/invoices?status=lost"), 400)
    assert_problem(get("/api/invoices?issuedAfter=yesterday"), 400)


def test_invoice_list_is_paginated_with_constant_queries(
    cashier_client, cashier, manager, django_assert_num_queries
):
    _invoices(cashier, manager)
    # Permissions (1), count, page, payments (with who took them).
    with django_assert_num_queries(4):
        body = cashier_client.get("/api/invoices?pageSize=2").json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (4, 2, True)
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    for _ in range(5):
        pay(sell_on_account(customer, "10.00", cashier).invoice, "1.00", cashier)
    # The same again, the permissions now cached on the user: growth adds no query.
    with django_assert_num_queries(3):
        assert len(cashier_client.get("/api/invoices?pageSize=100").json()["results"]) == 9


@SLASHES
def test_invoice_detail(cashier_client, cashier, manager, slash):
    data = _invoices(cashier, manager)
    invoice = data["partly"]
    body = cashier_client.get(f"/api/invoices/{invoice.pk}{slash}").json()
    payment = InvoicePayment.objects.get(invoice=invoice)
    assert body == {
        "id": invoice.pk,
        "number": "INV-S-000002",
        "customerId": data["ann"].pk,
        "customerName": "Ann",
        "saleId": invoice.sale_id,
        "saleNumber": invoice.sale.number,
        "issuedOn": str(invoice.issued_on),
        "dueOn": str(invoice.due_on),
        "total": "20.00",
        "amountPaid": "5.00",
        "amountCredited": "0.00",
        "balance": "15.00",
        "status": "partially_paid",
        "isOverdue": False,
        "payments": [
            {
                "id": payment.pk,
                "method": "cash",
                "amount": "5.00",
                "reference": "",
                "createdBy": "cashier",
                "createdAt": body["payments"][0]["createdAt"],
                "reversal": None,
            }
        ],
    }
    assert_problem(cashier_client.get("/api/invoices/999999"), 404)


# ---- POST /api/invoices/:id/payments ----


def test_recording_a_payment_returns_the_invoice(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    response = post_json(
        cashier_client,
        f"/api/invoices/{invoice.pk}/payments",
        {"amount": "25.00", "method": "bank_transfer", "reference": "TX-77"},
    )
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(f"/api/invoices/{invoice.pk}")
    body = response.json()
    assert (body["amountPaid"], body["balance"], body["status"]) == (
        "25.00",
        "75.00",
        "partially_paid",
    )
    assert body["payments"][0]["reference"] == "TX-77"


def test_a_payment_over_the_balance_is_refused(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "30.00", cashier).invoice
    url = f"/api/invoices/{invoice.pk}/payments"
    body = assert_problem(
        post_json(cashier_client, url, {"amount": "30.01", "method": "cash"}), 400
    )
    assert body["errors"] == {"amount": ["INV-S-000001 has only 30.00 left to pay."]}
    body = assert_problem(
        post_json(cashier_client, url, {"amount": "1", "method": "cash", "tip": "1"}), 400
    )
    assert body["errors"] == {"tip": ["Unknown field."]}
    body = assert_problem(post_json(cashier_client, url, {"amount": "1", "method": "iou"}), 400)
    assert list(body["errors"]) == ["method"]
    assert InvoicePayment.objects.count() == 0


def test_payments_honour_the_idempotency_key(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    url = f"/api/invoices/{invoice.pk}/payments"
    payload = {"amount": "25.00", "method": "cash"}
    first = post_json(cashier_client, url, payload, HTTP_IDEMPOTENCY_KEY="pay-1")
    second = post_json(cashier_client, url, payload, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert InvoicePayment.objects.count() == 1
    conflict = post_json(
        cashier_client, url, {"amount": "26.00", "method": "cash"}, HTTP_IDEMPOTENCY_KEY="pay-1"
    )
    assert_problem(conflict, 409)


def test_a_user_without_the_permission_cannot_record_payments(client, cashier, manager):
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "10.00", cashier).invoice
    api = APIClient()
    api.force_authenticate(UserFactory(username="nobody"))
    url = f"/api/invoices/{invoice.pk}/payments"
    assert_problem(post_json(api, url, {"amount": "1.00", "method": "cash"}), 403)
    assert_problem(api.get("/api/invoices"), 403)


# ---- Store credit ----


def test_store_credit_ledger_newest_first(cashier_client, cashier, manager):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="10.00", reason="Gift", user=manager)
    sale = ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "4.00")])
    body = cashier_client.get(f"/api/customers/{customer.pk}/store-credit").json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["kind"], first["amount"], first["balanceAfter"], first["saleNumber"]) == (
        "sale",
        "-4.00",
        "6.00",
        sale.number,
    )
    assert (second["kind"], second["reason"], second["createdBy"]) == (
        "adjustment",
        "Gift",
        "manager",
    )


def test_store_credit_ledger_query_count(
    cashier_client, cashier, manager, django_assert_num_queries
):
    customer = CustomerFactory()
    for _ in range(3):
        services.store_credit_adjust(customer=customer, amount="10.00", reason="x", user=manager)
        ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "1.00")])
    # Permissions (1), customer exists, count, page.
    with django_assert_num_queries(4):
        assert cashier_client.get(f"/api/customers/{customer.pk}/store-credit").json()["count"] == 6


def test_manager_adjusts_store_credit_idempotently(manager_client):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/store-credit-adjustments"
    payload = {"amount": "5.00", "reason": "Broken mug"}
    first = post_json(manager_client, url, payload, HTTP_IDEMPOTENCY_KEY="sc-1")
    second = post_json(manager_client, url, payload, HTTP_IDEMPOTENCY_KEY="sc-1")
    assert first.status_code == 201, first.content
    assert first.json() == second.json()
    assert first.json()["balanceAfter"] == "5.00"
    assert store_credit(customer) == Decimal("5.00")
    body = assert_problem(post_json(manager_client, url, {"amount": "-6.00", "reason": "x"}), 400)
    assert "only 5.00 of store credit" in body["errors"]["amount"][0]


def test_a_cashier_cannot_adjust_store_credit(cashier_client):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/store-credit-adjustments"
    assert_problem(post_json(cashier_client, url, {"amount": "5.00", "reason": "x"}), 403)
    assert StoreCreditEntry.objects.count() == 0


# ---- Statement ----


def test_statement_closes_on_the_outstanding_balance(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "60.00", cashier).invoice
    pay(invoice, "15.00", cashier)
    today = timezone.localdate()
    body = cashier_client.get(
        f"/api/customers/{customer.pk}/statement?from={today}&to={today}"
    ).json()
    assert body["openingBalance"] == "0.00"
    assert [(line["kind"], line["amount"], line["balance"]) for line in body["lines"]] == [
        ("invoice", "60.00", "60.00"),
        ("payment", "-15.00", "45.00"),
    ]
    assert body["lines"][0]["reference"] == "INV-S-000001"
    assert body["closingBalance"] == "45.00"
    account = cashier_client.get(f"/api/customers/{customer.pk}/account").json()
    assert body["closingBalance"] == account["outstanding"]
    assert (body["from"], body["to"]) == (str(today), str(today))


def test_statement_defaults_to_the_last_30_days_and_checks_dates(cashier_client):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/statement"
    body = cashier_client.get(url).json()
    today = timezone.localdate()
    assert (body["from"], body["to"]) == (str(today - timedelta(days=30)), str(today))
    body = assert_problem(cashier_client.get(f"{url}?from=2026-02-01&to=2026-01-01"), 400)
    assert body["errors"] == {"from": ["The start date must be on or before the end date."]}
    body = assert_problem(cashier_client.get(f"{url}?from=someday"), 400)
    assert body["errors"] == {"from": ["Enter a date as YYYY-MM-DD."]}


def test_statement_query_count(cashier_client, cashier, manager, django_assert_num_queries):
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    for _ in range(4):
        pay(sell_on_account(customer, "10.00", cashier).invoice, "2.00", cashier)
    # Permissions (1), customer, four opening sums (reversals add back), invoices,
    # payments, credits, reversals.
    with django_assert_num_queries(10):
        body = cashier_client.get(f"/api/customers/{customer.pk}/statement").json()
    assert len(body["lines"]) == 8


# ---- Checkout through the API ----


def test_checkout_on_account_shows_the_invoice_number(cashier_client, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    product = ProductFactory(price=Decimal("12.00"))
    response = post_json(
        cashier_client,
        "/api/sales",
        {
            "customerId": customer.pk,
            "lines": [{"productId": product.pk, "quantity": 1}],
            "payments": [{"method": "on_account", "amount": "12.00"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    invoice = Invoice.objects.get()
    assert (body["invoiceNumber"], body["invoiceId"]) == ("INV-S-000001", invoice.pk)
    cash_sale = ring_up(customer=None, cashier=invoice.sale.cashier, payments=[("cash", "1.00")])
    assert cashier_client.get(f"/api/sales/{cash_sale.pk}").json()["invoiceNumber"] is None


def test_checkout_over_the_limit_is_a_400_on_the_payment_and_saves_nothing(cashier_client, manager):
    customer = CustomerFactory(name="Lim Limit")
    give_credit(customer, "10.00", manager)
    product = ProductFactory(price=Decimal("12.00"))
    response = post_json(
        cashier_client,
        "/api/sales",
        {
            "customerId": customer.pk,
            "lines": [{"productId": product.pk, "quantity": 1}],
            "payments": [
                {"method": "cash", "amount": "1.00"},
                {"method": "on_account", "amount": "11.00"},
            ],
        },
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {
        "payments[1].amount": [
            "Only 10.00 of credit is available to Lim Limit (limit 10.00, owing 0.00); "
            "this payment is 11.00."
        ]
    }
    assert Sale.objects.count() == 0
    assert Invoice.objects.count() == 0


def test_quote_offers_available_credit_and_store_credit(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "50.00", manager)
    sell_on_account(customer, "20.00", cashier)
    services.store_credit_adjust(customer=customer, amount="3.00", reason="x", user=manager)
    product = ProductFactory(price=Decimal("45.00"))
    body = post_json(
        cashier_client,
        "/api/sales/quote",
        {"customerId": customer.pk, "lines": [{"productId": product.pk, "quantity": 1}]},
    ).json()
    offers = {offer["method"]: offer for offer in body["paymentMethods"]}
    assert (offers["on_account"]["maxAmount"], offers["on_account"]["detail"]) == (
        "30.00",
        "Owes $20.00 · $30.00 of $50.00 credit available",
    )
    assert (offers["store_credit"]["maxAmount"], offers["store_credit"]["detail"]) == (
        "3.00",
        "$3.00 available",
    )
    walk_in = post_json(
        cashier_client, "/api/sales/quote", {"lines": [{"productId": product.pk, "quantity": 1}]}
    ).json()
    assert {"on_account", "store_credit"}.isdisjoint(m["method"] for m in walk_in["paymentMethods"])


def test_refund_to_store_credit_through_the_api(manager_client, cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, cashier=cashier, payments=[("cash", "8.00")])
    response = post_json(
        manager_client, f"/api/sales/{sale.pk}/refund", {"refundTo": "store_credit"}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["paidBack"], response.json()["paidBackTo"]) == ("8.00", "store_credit")
    assert store_credit(customer) == Decimal("8.00")


def test_store_credit_of_an_unknown_customer_is_a_404(cashier_client):
    assert_problem(cashier_client.get("/api/customers/999999/store-credit"), 404)


def test_invoice_filters_do_not_offer_created_dates(cashier_client):
    from accounting.api.filters import InvoiceFilterSet

    assert set(InvoiceFilterSet.base_filters) == {
        "customer",
        "status",
        "overdue",
        "issuedAfter",
        "issuedBefore",
    }
