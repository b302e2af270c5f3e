"""The quote is the one home of a sale's money rules: checkout charges exactly what it says."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales.money import ZERO
from sales.quotes import LineInput, PaymentInput, sale_quote
from sales.services import sale_checkout
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import TAX_RATES, as_money

pytestmark = pytest.mark.django_db

percentages = st.integers(0, 10_000).map(lambda hundredths: f"{Decimal(hundredths) / 100}%")
cart_lines = st.lists(
    st.tuples(
        st.integers(1, 99_999).map(lambda cents: Decimal(cents) / 100),
        st.integers(1, 5),
        st.one_of(st.none(), percentages),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cart=cart_lines,
    rate=st.sampled_from(list(TAX_RATES)),
    discount_kind=st.sampled_from(["none", "percent", "amount"]),
    tender=st.sampled_from(["card", "cash", "card and cash"]),
    data=st.data(),
)
def test_checkout_charges_the_quote_for_any_cart(cashier, cart, rate, discount_kind, tender, data):
    with override_settings(CLASSICPOS_TAX_RATE=Decimal(rate)), transaction.atomic():
        lines = [
            LineInput(product_id=ProductFactory(price=price).pk, quantity=quantity, discount=off)
            for price, quantity, off in cart
        ]
        discount = ZERO
        if discount_kind == "percent":
            discount = data.draw(percentages, label="discount")
        elif discount_kind == "amount":
            subtotal_cents = int(sale_quote(lines=lines).subtotal * 100)
            discount = as_money(data.draw(st.integers(0, subtotal_cents), label="discount"))
        total = sale_quote(lines=lines, discount=discount).total
        payments = _tender(tender, total, data)
        quote = sale_quote(lines=lines, discount=discount, payments=payments)

        sale = sale_checkout(
            cashier=cashier, customer_id=None, lines=lines, payments=payments, discount=discount
        )

        assert (sale.subtotal, sale.discount, sale.tax, sale.total) == (
            quote.subtotal,
            quote.discount,
            quote.tax,
            quote.total,
        )
        assert (sale.amount_tendered, sale.change) == (quote.paid, quote.change)
        assert [
            (line.unit_price, line.quantity, line.discount, line.line_total)
            for line in sale.lines.order_by("id")
        ] == [
            (line.product.price, line.quantity, line.discount, line.line_total)
            for line in quote.lines
        ]
        assert sorted((p.method, p.amount) for p in sale.payments.all()) == sorted(
            (p.method, p.amount) for p in payments
        )
        transaction.set_rollback(True)


def _tender(tender: str, total: Decimal, data) -> list[PaymentInput]:
    """Pay ``total`` as the till would: the card exactly, cash with change, or part of each."""
    if total == 0:
        return []
    total_cents = int(total * 100)
    if tender == "card":
        return [PaymentInput(method="card", amount=total)]
    if tender == "cash":
        change = data.draw(st.integers(0, 5_000), label="change in cents")
        return [PaymentInput(method="cash", amount=Decimal(as_money(total_cents + change)))]
    if total_cents < 2:
        return [PaymentInput(method="card", amount=total)]
    on_card = data.draw(st.integers(1, total_cents - 1), label="on the card in cents")
    change = data.draw(st.integers(0, 5_000), label="change in cents")
    return [
        PaymentInput(method="card", amount=Decimal(as_money(on_card))),
        PaymentInput(method="cash", amount=Decimal(as_money(total_cents - on_card + change))),
    ]


@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0725"))
def test_tax_rounds_half_up_where_floats_round_down():
    # 2.00 x 7.25 % = 0.145: the old page's float arithmetic showed 0.14.
    product = ProductFactory(price=Decimal("2.00"))
    quote = sale_quote(lines=[LineInput(product_id=product.pk, quantity=1)])
    assert (quote.subtotal, quote.tax, quote.total) == (
        Decimal("2.00"),
        Decimal("0.15"),
        Decimal("2.15"),
    )


@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0875"))
def test_quote_applies_discount_before_tax_and_reports_what_is_due():
    product = ProductFactory(price=Decimal("10.00"))
    quote = sale_quote(
        lines=[LineInput(product_id=product.pk, quantity=3)],
        discount=Decimal("5.00"),
        payments=[PaymentInput(method="cash", amount=Decimal("20.00"))],
    )
    assert quote.subtotal == Decimal("30.00")
    assert quote.tax == Decimal("2.19")  # 25.00 x 8.75 % = 2.1875
    assert quote.total == Decimal("27.19")
    assert (quote.paid, quote.amount_due, quote.change) == (
        Decimal("20.00"),
        Decimal("7.19"),
        Decimal("0.00"),
    )


def test_an_empty_cart_is_a_quote_of_zero():
    quote = sale_quote(lines=[])
    assert (quote.subtotal, quote.total, quote.amount_due) == (Decimal(0), Decimal(0), Decimal(0))


def test_quote_refuses_what_checkout_refuses_with_the_same_field_names():
    product = ProductFactory(price=Decimal("10.00"))
    with pytest.raises(ValidationError) as excinfo:
        sale_quote(
            lines=[LineInput(product_id=product.pk, quantity=0)],
            discount=Decimal("-1"),
            payments=[PaymentInput(method="barter", amount=Decimal("1"))],
        )
    assert set(excinfo.value.message_dict) == {
        "lines[0].quantity",
        "discount",
        "payments[0].method",
    }


def test_walk_in_quote_offers_only_methods_without_a_customer():
    quote = sale_quote(lines=[])
    assert [offer.method.code for offer in quote.methods] == ["cash", "card", "gift_card"]


def test_points_offer_is_whole_steps_the_customer_holds_and_at_most_what_is_due():
    customer = CustomerFactory(loyalty_points=250)
    product = ProductFactory(price=Decimal("1.50"))
    quote = sale_quote(lines=[LineInput(product_id=product.pk, quantity=1)], customer=customer)
    points = next(offer for offer in quote.methods if offer.method.code == "points")
    # 250 points are worth 2.00 (steps of 100 = 1.00), but only 1.00 fits in 1.50.
    assert points.max_amount == Decimal("1.00")
    assert points.detail == "250 points, worth $2.00"
    cash = next(offer for offer in quote.methods if offer.method.code == "cash")
    assert cash.max_amount == Decimal("1.50")


def test_points_offer_leaves_room_for_other_methods_already_paying():
    customer = CustomerFactory(loyalty_points=1000)
    product = ProductFactory(price=Decimal("8.00"))
    quote = sale_quote(
        lines=[LineInput(product_id=product.pk, quantity=1)],
        customer=customer,
        payments=[
            PaymentInput(method="card", amount=Decimal("5.50")),
            PaymentInput(method="points", amount=Decimal("1.00")),
        ],
    )
    points = next(offer for offer in quote.methods if offer.method.code == "points")
    assert points.max_amount == Decimal("2.00")  # 8.00 - 5.50 = 2.50, in whole steps


@pytest.mark.parametrize(
    ("due", "suggested"),
    [
        ("7.90", ["7.90", "10.00", "20.00"]),
        ("10.00", ["10.00", "20.00"]),
        ("23.15", ["23.15", "25.00", "30.00", "40.00"]),
        ("0.00", []),
    ],
)
def test_quick_cash_suggestions_for_what_is_due(due, suggested):
    from sales.quotes import cash_suggestions

    assert [str(amount) for amount in cash_suggestions(Decimal(due))] == suggested


def test_quote_suggests_cash_for_what_is_still_due_after_a_partial_tender():
    product = ProductFactory(price=Decimal("8.90"))
    quote = sale_quote(
        lines=[LineInput(product_id=product.pk, quantity=1)],
        payments=[PaymentInput(method="card", amount=Decimal("1.00"))],
    )
    assert quote.amount_due == Decimal("7.90")
    assert quote.cash_suggestions == (Decimal("7.90"), Decimal("10.00"), Decimal("20.00"))
