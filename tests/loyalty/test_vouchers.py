"""Birthday vouchers: issued once a year, paid with once at the till, given back by refunds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from customers.data_export import customer_data_export
from customers.models import Channel
from customers.services import customer_create, customer_merge
from loyalty.birthdays import birthday_rewards_give
from loyalty.models import LoyaltyProgram, RewardVoucher
from loyalty.vouchers import voucher_issue
from messaging.models import Message, MessageKind
from sales.models import Sale
from tests.api_helpers import post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import refund, ring_up
from tests.threads import run_together

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def voucher_program(amount="5.00", points=0, days=30, greeting=False):
    program = LoyaltyProgram.current()
    program.birthday_points = points
    program.birthday_voucher = Decimal(amount)
    program.birthday_voucher_days = days
    program.birthday_greeting = greeting
    program.save()


def give(customer, amount="5.00", *, days=30, reference=None):
    return voucher_issue(
        customer=customer,
        amount=Decimal(amount),
        reason="Birthday 2026",
        reference=reference or f"birthday-{customer.pk}-2026",
        valid_until=TODAY() + timedelta(days=days),
    )


def test_the_birthday_job_issues_one_voucher_a_year_with_the_greeting():
    voucher_program(amount="5.00", days=30, greeting=True)
    customer = customer_create(
        actor=None,
        channel=Channel.PAGE,
        name="Vera Voucher",
        email="vera@example.com",
        birthday=date(1980, 6, 15),
        email_consent=True,
    )

    first = birthday_rewards_give(today=date(2026, 6, 14))
    again = birthday_rewards_give(today=date(2026, 6, 16))

    assert (first.customers, first.points, first.vouchers) == (1, 0, 1)
    assert again.customers == 0
    [voucher] = RewardVoucher.objects.filter(customer=customer)
    assert (voucher.amount, voucher.reason) == (Decimal("5.00"), "Birthday 2026")
    assert voucher.valid_until == TODAY() + timedelta(days=30)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    [message] = Message.objects.filter(kind=MessageKind.BIRTHDAY)
    assert "a voucher worth $5.00 to use at the till once" in message.text_body


def test_the_till_is_offered_the_vouchers_and_a_sale_uses_them_once(cashier, cashier_client):
    customer = CustomerFactory()
    give(customer, "5.00", days=10)
    give(customer, "3.00", days=40, reference="refund-1")
    product = ProductFactory(price=Decimal("6.00"))
    cart = {"customerId": customer.pk, "lines": [{"productId": product.pk, "quantity": 1}]}

    quote = post_json(cashier_client, "/api/sales/quote", cart).json()

    [offer] = [item for item in quote["paymentMethods"] if item["method"] == "voucher"]
    assert offer["maxAmount"] == "6.00"
    soon, later = TODAY() + timedelta(days=10), TODAY() + timedelta(days=40)
    assert offer["detail"].startswith("Birthday 2026: $5.00 until ")
    assert f"{soon.day} {soon:%b}" in offer["detail"]
    assert f"$3.00 until {later.day} {later:%b}" in offer["detail"]

    paid = post_json(
        cashier_client,
        "/api/sales",
        {**cart, "payments": [{"method": "voucher", "amount": "6.00"}]},
        HTTP_IDEMPOTENCY_KEY="voucher-sale-1",
    )
    assert paid.status_code == 201, paid.content
    sale = Sale.objects.get(pk=paid.json()["id"])
    # Soonest to end first, each used whole: the 3.00 voucher paid 1.00, the rest is not kept.
    used = {v.amount: (v.sale_id, v.used_amount) for v in RewardVoucher.objects.all()}
    assert used == {
        Decimal("5.00"): (sale.pk, Decimal("5.00")),
        Decimal("3.00"): (sale.pk, Decimal("1.00")),
    }
    again = post_json(
        cashier_client,
        "/api/sales",
        {
            **cart,
            "payments": [
                {"method": "voucher", "amount": "1.00"},
                {"method": "cash", "amount": "5.00"},
            ],
        },
        HTTP_IDEMPOTENCY_KEY="voucher-sale-2",
    )
    assert again.status_code == 400, again.content
    assert again.json()["errors"]["payments[0].amount"] == [
        f"{customer.name} has no voucher to use."
    ]
    assert Sale.objects.count() == 1


def test_a_voucher_past_its_day_or_another_customers_pays_nothing(cashier):
    customer, other = CustomerFactory(), CustomerFactory()
    give(customer, "5.00", days=-1)
    give(other, "5.00")

    with pytest.raises(ValidationError) as refused:
        ring_up(customer=customer, price="4.00", cashier=cashier, payments=[("voucher", "4.00")])

    assert "has no voucher to use" in str(refused.value)
    assert not RewardVoucher.objects.filter(sale__isnull=False).exists()


def test_a_voucher_pays_at_most_what_it_holds(cashier):
    customer = CustomerFactory()
    give(customer, "2.00")

    with pytest.raises(ValidationError) as refused:
        ring_up(
            customer=customer,
            price="5.00",
            cashier=cashier,
            payments=[("voucher", "3.00"), ("cash", "2.00")],
        )

    assert "vouchers pay at most 2.00" in str(refused.value)


def test_a_refund_gives_the_vouchers_share_back_as_a_new_voucher(cashier, manager):
    customer = CustomerFactory()
    give(customer, "5.00", days=5)
    sale = ring_up(
        customer=customer,
        price="10.00",
        quantity=2,
        cashier=cashier,
        payments=[("voucher", "5.00"), ("cash", "15.00")],
    )

    first = refund(sale=sale, user=manager, quantity=1)
    second = refund(sale=sale, user=manager, quantity=1)

    given_back = RewardVoucher.objects.filter(reference__startswith="refund-").order_by("pk")
    assert [(v.reference, v.amount) for v in given_back] == [
        (f"refund-{first.pk}", Decimal("2.50")),
        (f"refund-{second.pk}", Decimal("2.50")),
    ]
    # The money part went back in cash; the voucher's share in kind.
    assert (first.paid_back, second.paid_back) == (Decimal("7.50"), Decimal("7.50"))
    assert given_back[0].valid_until == TODAY() + timedelta(days=30)


def test_download_my_data_and_a_merge_carry_the_vouchers(manager):
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    give(duplicate, "5.00")

    exported = customer_data_export(duplicate)["sections"]
    customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel=Channel.PAGE)

    [row] = exported["vouchers"]
    assert (row["reason"], row["amount"], row["usedAmount"]) == ("Birthday 2026", "5.00", None)
    assert RewardVoucher.objects.get().customer_id == survivor.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks under real concurrency need PostgreSQL (make test-postgres).",
)
def test_two_tills_at_once_use_one_voucher_once(cashier):
    customer = CustomerFactory()
    give(customer, "5.00")

    def sell(index):
        return ring_up(
            customer=customer, price="5.00", cashier=cashier, payments=[("voucher", "5.00")]
        )

    results, errors = run_together(sell, threads=4)

    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, ValidationError) for error in errors)
    assert RewardVoucher.objects.get().sale_id == results[0].pk
