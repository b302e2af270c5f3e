"""Sales on account earn their points when the invoice is paid, on the paid share (issue 27)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from accounting import services as accounting_services
from accounting.reversals import invoice_payment_reverse
from customers.timeline import TimelinePage
from loyalty import services as loyalty_services
from loyalty.models import LoyaltyTransaction, TransactionKind
from loyalty.timeline import points_entries
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(manager):
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    return customer


def points(customer) -> int:
    customer.refresh_from_db()
    return customer.loyalty_points


def test_points_come_as_the_invoice_is_paid_in_money_not_before(customer, cashier):
    sale = sell_on_account(customer, "100.00", cashier)
    assert points(customer) == 0
    invoice = sale.invoice
    pay(invoice, "40.00", cashier)
    assert points(customer) == 40
    pay(invoice, "60.00", cashier, method="card")
    assert points(customer) == 100
    rows = LoyaltyTransaction.objects.filter(sale=sale, kind=TransactionKind.EARN)
    assert [row.points for row in rows.order_by("id")] == [40, 60]
    assert all(row.reference.startswith("invoice-payment-") for row in rows)


def test_halves_of_cents_add_up_to_what_the_whole_earns(customer, cashier):
    invoice = sell_on_account(customer, "21.00", cashier).invoice
    pay(invoice, "10.50", cashier)
    pay(invoice, "10.50", cashier)
    assert points(customer) == 21  # not 10 + 10


def test_a_sale_paid_partly_in_cash_earns_the_rest_when_its_invoice_is_paid(customer, cashier):
    sale = ring_up(
        customer=customer, cashier=cashier, payments=[("cash", "30.00"), ("on_account", "70.00")]
    )
    assert points(customer) == 30
    pay(sale.invoice, "70.00", cashier)
    assert points(customer) == 100


def test_store_credit_paying_an_invoice_earns_nothing(customer, cashier, manager):
    accounting_services.store_credit_adjust(
        customer=customer, amount="50.00", reason="Goodwill", user=manager
    )
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    pay(invoice, "50.00", cashier, method="store_credit")
    assert points(customer) == 0


def test_a_refund_after_payment_takes_back_the_share_earned(customer, cashier, manager):
    sale = sell_on_account(customer, "100.00", cashier, quantity=2)
    pay(sale.invoice, "100.00", cashier)
    assert points(customer) == 100
    refund(sale=sale, user=manager, quantity=1)
    assert points(customer) == 50


def test_one_payment_earns_once(customer, cashier):
    sale = sell_on_account(customer, "20.00", cashier)
    pay(sale.invoice, "20.00", cashier)
    row = LoyaltyTransaction.objects.get(sale=sale)
    with pytest.raises(IntegrityError):
        LoyaltyTransaction.objects.create(
            customer=customer,
            kind=TransactionKind.EARN,
            points=1,
            balance_after=21,
            sale=sale,
            reference=row.reference,
        )


def test_the_receipt_says_when_points_on_account_are_earned(client, customer, cashier):
    client.force_login(cashier)
    sale = sell_on_account(customer, "12.00", cashier)
    html = " ".join(client.get(sale.get_absolute_url()).content.decode().split())
    assert "Points on the invoice" in html
    assert "earned as it is paid" in html
    pay(sale.invoice, "12.00", cashier)
    html = client.get(sale.get_absolute_url()).content.decode()
    assert 'data-fact="points-earned">12<' in html.replace(" ", "")


def test_the_reconcile_still_agrees(customer, cashier):
    from loyalty.services import points_reconcile

    invoice = sell_on_account(customer, "30.00", cashier).invoice
    pay(invoice, "30.00", cashier)
    assert points_reconcile(customer_id=customer.pk) is None
    assert Decimal(points(customer)) == Decimal(30)


def test_a_lower_target_takes_back_the_difference_once(customer, cashier):
    sale = sell_on_account(customer, "100.00", cashier)
    pay(sale.invoice, "100.00", cashier)
    assert points(customer) == 100
    take_back = loyalty_services.points_award_for_later_payment(
        sale=sale,
        paid_so_far=Decimal("30.00"),
        reference="invoice-payment-reversal-9",
        reversal=True,
    )
    assert (take_back.kind, take_back.points) == (TransactionKind.REVERSAL, -70)
    assert take_back.reference == "invoice-payment-reversal-9"
    assert points(customer) == 30
    # The same reference again changes nothing.
    assert (
        loyalty_services.points_award_for_later_payment(
            sale=sale,
            paid_so_far=Decimal("0.00"),
            reference="invoice-payment-reversal-9",
            reversal=True,
        )
        is None
    )
    assert points(customer) == 30


def test_points_taken_back_by_a_reversal_say_so_on_the_timeline(customer, cashier, manager):
    sale = sell_on_account(customer, "40.00", cashier)
    reversal = invoice_payment_reverse(
        payment=pay(sale.invoice, "40.00", cashier), reason="Cheque bounced", user=manager
    )
    row = LoyaltyTransaction.objects.get(reference=f"invoice-payment-reversal-{reversal.pk}")
    [entry] = points_entries(TimelinePage(customer=customer, limit=1))
    assert entry.id == row.pk
    assert entry.summary == (
        f"\u221240 points earned, taken back: an invoice payment for sale {sale.number} "
        "reversed (balance 0)"
    )


def test_a_payment_after_the_earn_rate_fell_never_takes_points_back(customer, cashier):
    from loyalty.models import LoyaltyProgram

    invoice = sell_on_account(customer, "100.00", cashier).invoice
    pay(invoice, "50.00", cashier)
    assert points(customer) == 50
    LoyaltyProgram.objects.update(earn_rate=Decimal("0.4"))
    pay(invoice, "50.00", cashier)  # the whole 100.00 now "earns" 40: no points taken back
    assert points(customer) == 50
    assert not LoyaltyTransaction.objects.filter(kind=TransactionKind.REVERSAL).exists()
