"""Property: after any sequence of card sales, reloads, redemptions, refunds, adjustments,
voids and expiries, every card's balance is the sum of its entries, never below zero, each
entry starting where the last ended (Hypothesis explores the sequences)."""

import contextlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giftcards import codes, services
from giftcards.models import GiftCard
from giftcards.selectors import card_mismatches
from sales.models import Sale
from sales.services import sale_refund
from tests.giftcards.helpers import pay_with_card, sell_card

pytestmark = pytest.mark.django_db

CARDS = ["FIRST-CARD-2345", "SECOND-CARD-2345"]

operation = st.one_of(
    st.tuples(st.just("load"), st.integers(0, 1), st.integers(1, 9999)),
    st.tuples(st.just("redeem"), st.integers(0, 1), st.integers(1, 9999), st.integers(0, 500)),
    st.tuples(st.just("refund"), st.integers(0, 20)),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-3000, 3000)),
    st.tuples(st.just("void"), st.integers(0, 1)),
    st.tuples(st.just("expire"), st.integers(0, 1)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_balance_always_equals_ledger(operations, cashier, manager):
    with transaction.atomic():
        for op in operations:
            # A refused step (overdraw, a voided card) must leave everything as it was.
            with contextlib.suppress(ValidationError), transaction.atomic():
                apply(op, cashier, manager)
            assert list(card_mismatches()) == []
            assert not GiftCard.objects.filter(balance__lt=0).exists()
        transaction.set_rollback(True)


def _card(index: int) -> GiftCard | None:
    return GiftCard.objects.filter(code_hash=codes.code_hash(CARDS[index])).first()


def apply(op, cashier, manager):
    kind = op[0]
    if kind == "load":
        _, which, cents = op
        sell_card(cashier=cashier, amount=str(Decimal(cents) / 100), code=CARDS[which])
    elif kind == "redeem":
        _, which, cents, extra = op
        price = Decimal(cents + extra) / 100
        pay_with_card(
            cashier=cashier,
            price=str(price),
            card_amount=str(Decimal(cents) / 100),
            code=CARDS[which],
        )
    elif kind == "refund":
        sales = list(
            Sale.objects.filter(gift_card_entries__kind="redeem").distinct().order_by("id")
        )
        if sales:
            sale_refund(sale=sales[op[1] % len(sales)], user=manager)
    elif (card := _card(op[1])) is not None:
        if kind == "adjust":
            services.card_adjust(
                card=card, amount=Decimal(op[2]) / 100, reason="Count", user=manager
            )
        elif kind == "void":
            services.card_void(card=card, user=manager, reason="Lost")
        else:
            GiftCard.objects.filter(pk=card.pk).update(
                expires_on=timezone.localdate() - timedelta(days=1)
            )
            services.cards_expire()
