"""Checkout and refund services: totals, rounding, change, refusals, signals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from classicpos.registry import Registry
from sales import extensions
from sales.models import Payment, Refund, Sale, SaleLine
from sales.services import LineInput, PaymentInput, RefundLineInput, sale_checkout, sale_refund
from sales.signals import sale_completed, sale_refunded
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def checkout(cashier, *, customer=None, lines, payments, discount="0.00"):
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=[LineInput(product_id=p.pk, quantity=q) for p, q in lines],
        payments=[PaymentInput(method=m, amount=Decimal(a)) for m, a in payments],
        discount=Decimal(discount),
    )


def assert_nothing_saved():
    assert Sale.objects.count() == 0
    assert SaleLine.objects.count() == 0
    assert Payment.objects.count() == 0


def test_totals_lines_and_number(cashier):
    customer = CustomerFactory()
    pen = ProductFactory(name="Pen", price=Decimal("1.25"))
    pad = ProductFactory(name="Pad", price=Decimal("3.10"))
    sale = checkout(
        cashier, customer=customer, lines=[(pen, 4), (pad, 1)], payments=[("card", "8.10")]
    )
    assert sale.number == "S-000001"  # the first in the first store's series
    assert (sale.subtotal, sale.discount, sale.tax, sale.total) == (
        Decimal("8.10"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("8.10"),
    )
    assert sale.status == "completed"
    assert sale.customer == customer
    assert sale.cashier == cashier
    lines = list(sale.lines.all())
    assert [(line.name, line.unit_price, line.quantity, line.line_total) for line in lines] == [
        ("Pen", Decimal("1.25"), 4, Decimal("5.00")),
        ("Pad", Decimal("3.10"), 1, Decimal("3.10")),
    ]


def test_line_keeps_name_and_price_at_sale_time(cashier):
    product = ProductFactory(name="Old name", price=Decimal("2.00"))
    sale = checkout(cashier, lines=[(product, 1)], payments=[("cash", "2.00")])
    product.name, product.price = "New name", Decimal("9.99")
    product.save()
    line = sale.lines.get()
    assert (line.name, line.unit_price) == ("Old name", Decimal("2.00"))


@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0825"))
def test_tax_and_discount_round_half_up_to_cents(cashier):
    product = ProductFactory(price=Decimal("10.00"))
    sale = checkout(cashier, lines=[(product, 1)], payments=[("cash", "10.00")], discount="4.00")
    # (10.00 - 4.00) * 0.0825 = 0.495 -> 0.50 (half-up, not banker's 0.50/0.49)
    assert sale.tax == Decimal("0.50")
    assert sale.total == Decimal("6.50")
    assert sale.change == Decimal("3.50")


def test_cash_may_exceed_and_change_is_computed(cashier):
    product = ProductFactory(price=Decimal("7.35"))
    sale = checkout(cashier, lines=[(product, 1)], payments=[("cash", "20.00")])
    assert sale.change == Decimal("12.65")
    assert sale.amount_tendered == Decimal("20.00")


def test_multiple_payments_cover_the_total(cashier):
    product = ProductFactory(price=Decimal("50.00"))
    sale = checkout(cashier, lines=[(product, 1)], payments=[("card", "30.00"), ("cash", "25.00")])
    assert sale.change == Decimal("5.00")
    assert [(p.method, p.amount) for p in sale.payments.all()] == [
        ("card", Decimal("30.00")),
        ("cash", Decimal("25.00")),
    ]


def test_walk_in_sale_has_no_customer(cashier):
    sale = checkout(cashier, lines=[(ProductFactory(), 1)], payments=[("cash", "10.00")])
    assert sale.customer is None


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: {"customer": CustomerFactory(name="Ina Active", status="inactive")},
            "customerId",
            "Ina Active is inactive; restore the customer before selling to them.",
        ),
        (lambda: {"lines": []}, "lines", "Add at least one product."),
        (
            lambda: {"lines": [(ProductFactory(name="Gone", active=False), 1)]},
            "lines[0].productId",
            "Gone is no longer sold.",
        ),
        (
            lambda: {"lines": [(ProductFactory(), 0)]},
            "lines[0].quantity",
            "Quantity must be a whole number of at least 1.",
        ),
        (
            lambda: {"lines": [(ProductFactory(), -2)]},
            "lines[0].quantity",
            "Quantity must be a whole number of at least 1.",
        ),
        (
            lambda: {"payments": [("cash", "9.99")]},
            "payments",
            "Payments of 9.99 do not cover the total of 10.00.",
        ),
        (
            lambda: {"payments": [("card", "12.00")]},
            "payments",
            "Only cash may exceed the total of 10.00.",
        ),
        (
            lambda: {"payments": [("barter", "10.00")], "customer": CustomerFactory()},
            "payments[0].method",
            "Choose one of: cash, card, gift_card, points, voucher, on_account, store_credit.",
        ),
        (
            lambda: {"payments": [("points", "10.00")]},
            "payments[0].method",
            "Points payments need a customer.",
        ),
        (
            lambda: {"payments": [("cash", "0")]},
            "payments[0].amount",
            "Amount must be more than zero.",
        ),
        (
            lambda: {"discount": "10.01"},
            "discount",
            "The discount cannot be more than the subtotal of 10.00.",
        ),
        (lambda: {"discount": "-1.00"}, "discount", "The discount cannot be negative."),
    ],
)
def test_each_refusal_names_its_field_and_saves_nothing(cashier, build, field, message):
    args = {"lines": [(ProductFactory(price=Decimal("10.00")), 1)], "payments": [("cash", "10")]}
    args.update(build())
    with pytest.raises(ValidationError) as excinfo:
        checkout(cashier, **args)
    assert message in excinfo.value.message_dict[field]
    assert_nothing_saved()


def test_unknown_customer_and_product_are_refused(cashier):
    with pytest.raises(ValidationError) as excinfo:
        sale_checkout(
            cashier=cashier,
            customer_id=999999,
            lines=[LineInput(product_id=888888, quantity=1)],
            payments=[PaymentInput(method="cash", amount=Decimal("1"))],
        )
    errors = excinfo.value.message_dict
    assert errors["customerId"] == ["There is no customer #999999."]
    assert errors["lines[0].productId"] == ["There is no product #888888."]
    assert_nothing_saved()


def test_sale_completed_is_sent_once_inside_the_transaction(cashier):
    from django.db import connection

    seen = []

    def receiver(sender, sale, **kwargs):
        seen.append((sale.pk, connection.in_atomic_block, Sale.objects.filter(pk=sale.pk).exists()))

    sale_completed.connect(receiver)
    try:
        sale = checkout(cashier, lines=[(ProductFactory(), 1)], payments=[("cash", "10")])
    finally:
        sale_completed.disconnect(receiver)
    assert seen == [(sale.pk, True, True)]


def test_a_failing_receiver_rolls_the_whole_sale_back(cashier):
    def broken(sender, sale, **kwargs):
        raise RuntimeError("receiver failed")

    sale_completed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            checkout(cashier, lines=[(ProductFactory(), 1)], payments=[("cash", "10")])
    finally:
        sale_completed.disconnect(broken)
    assert_nothing_saved()


def test_partial_then_full_refund(manager, cashier):
    product = ProductFactory(price=Decimal("10.00"))
    sale = checkout(cashier, lines=[(product, 3)], payments=[("cash", "30.00")], discount="3.00")
    line = sale.lines.get()
    first = sale_refund(
        sale=sale, user=manager, lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)]
    )
    sale.refresh_from_db()
    assert first.total == Decimal("9.00")  # a third of the discounted 27.00
    assert sale.status == "partially_refunded"
    rest = sale_refund(sale=sale, user=manager)
    sale.refresh_from_db()
    assert rest.total == Decimal("18.00")
    assert sale.status == "refunded"
    assert sale.refunded_total == sale.total


def test_refunds_never_add_up_to_more_than_was_paid(manager, cashier):
    product = ProductFactory(price=Decimal("3.33"))
    sale = checkout(cashier, lines=[(product, 3)], payments=[("cash", "9.99")], discount="0.01")
    line = sale.lines.get()
    for _ in range(3):
        sale_refund(
            sale=sale, user=manager, lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)]
        )
    sale.refresh_from_db()
    assert sum(r.total for r in sale.refunds.all()) == sale.total


def test_refund_beyond_sold_is_refused_and_saves_nothing(manager, cashier):
    sale = checkout(cashier, lines=[(ProductFactory(name="Mug"), 2)], payments=[("cash", "20")])
    line = sale.lines.get()
    with pytest.raises(ValidationError) as excinfo:
        sale_refund(
            sale=sale, user=manager, lines=[RefundLineInput(sale_line_id=line.pk, quantity=3)]
        )
    assert excinfo.value.message_dict["lines[0].quantity"] == [
        "Only 2 of Mug can still be refunded."
    ]
    assert Refund.objects.count() == 0
    sale_refund(sale=sale, user=manager)
    with pytest.raises(ValidationError) as excinfo:
        sale_refund(sale=sale, user=manager)
    assert "already been refunded in full" in excinfo.value.message_dict["lines"][0]


def test_sale_refunded_is_sent_once(manager, cashier):
    sale = checkout(cashier, lines=[(ProductFactory(), 1)], payments=[("cash", "10")])
    seen = []

    def receiver(sender, refund, sale, **kwargs):
        seen.append(refund.pk)

    sale_refunded.connect(receiver)
    try:
        refund = sale_refund(sale=sale, user=manager)
    finally:
        sale_refunded.disconnect(receiver)
    assert seen == [refund.pk]


def test_refund_of_a_sale_paid_partly_with_points_pays_back_only_the_money(manager, cashier):
    from loyalty.services import points_adjust

    customer = CustomerFactory()
    points_adjust(customer=customer, points=300, reason="Gift", user=manager)
    sale = checkout(
        cashier,
        customer=customer,
        lines=[(ProductFactory(price=Decimal("10.00")), 1)],
        payments=[("points", "3.00"), ("card", "7.00")],
    )
    refund = sale_refund(sale=sale, user=manager)
    assert refund.total == Decimal("10.00")
    assert refund.paid_back == Decimal("7.00")
    customer.refresh_from_db()
    assert customer.loyalty_points == 300


def payment_method_registry() -> Registry:
    """The registered payment methods in a registry of their own, for a test to add to."""
    registry = Registry("payment methods", key=lambda method: method.code)
    for method in extensions.payment_methods():
        registry.register(method)
    return registry


def test_refund_money_goes_to_a_method_that_accepts_refunds(cashier, manager, monkeypatch):
    from sales.extensions import PaymentMethodType, register_payment_method

    monkeypatch.setattr(extensions, "_payment_methods", payment_method_registry())

    register_payment_method(
        PaymentMethodType(code="coupon", label="Coupon", needs_customer=True, accepts_refunds=True)
    )
    customer = CustomerFactory()
    sale = checkout(
        cashier,
        customer=customer,
        lines=[(ProductFactory(price=Decimal("5.00")), 1)],
        payments=[("cash", "5.00")],
    )
    refund = sale_refund(sale=sale, user=manager, refund_to="coupon")
    assert (refund.paid_back, refund.paid_back_to) == (Decimal("5.00"), "coupon")
    walk_in = checkout(
        cashier, lines=[(ProductFactory(price=Decimal("5.00")), 1)], payments=[("cash", "5")]
    )
    with pytest.raises(ValidationError) as excinfo:
        sale_refund(sale=walk_in, user=manager, refund_to="coupon")
    assert excinfo.value.message_dict == {
        "refundTo": ["Coupon needs a customer; this was a walk-in sale."]
    }
    with pytest.raises(ValidationError) as excinfo:
        sale_refund(sale=walk_in, user=manager, refund_to="cash")
    assert excinfo.value.message_dict == {
        "refundTo": ["A refund can go to: the till, card, store_credit, coupon."]
    }
    assert Refund.objects.count() == 1


def test_a_methods_refusal_is_shown_on_its_payment_row_and_saves_nothing(cashier, monkeypatch):
    from sales.extensions import PaymentMethodType, register_payment_method

    monkeypatch.setattr(extensions, "_payment_methods", payment_method_registry())

    def refuse(*, sale, payment, user):
        raise ValidationError({"payments": ["The coupon has expired."]})

    register_payment_method(PaymentMethodType(code="coupon", label="Coupon", settle=refuse))
    with pytest.raises(ValidationError) as excinfo:
        checkout(
            cashier,
            lines=[(ProductFactory(price=Decimal("10.00")), 1)],
            payments=[("cash", "4.00"), ("coupon", "6.00")],
        )
    assert excinfo.value.message_dict == {"payments[1].amount": ["The coupon has expired."]}
    assert_nothing_saved()


def test_partial_refunds_never_pay_back_more_money_than_was_paid(cashier, manager):
    from loyalty import services as loyalty_services

    customer = CustomerFactory()
    loyalty_services.points_adjust(customer=customer, points=100, reason="Seed", user=manager)
    products = [ProductFactory(price=Decimal("1.00")) for _ in range(3)]
    sale = checkout(
        cashier,
        customer=customer,
        lines=[(product, 1) for product in products],
        payments=[("points", "1.00"), ("cash", "2.00")],
    )
    # 2.00 of 3.00 was paid in money: each 1.00 line's share is 0.666..., rounded per refund
    # that made 0.67 three times, 2.01 in all.
    refunds = [
        sale_refund(
            sale=sale, user=manager, lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)]
        )
        for line in sale.lines.all()
    ]
    assert [refund.paid_back for refund in refunds] == [
        Decimal("0.67"),
        Decimal("0.66"),
        Decimal("0.67"),
    ]
    assert sum(refund.paid_back for refund in refunds) == Decimal("2.00")
