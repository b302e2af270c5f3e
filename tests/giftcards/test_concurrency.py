"""On PostgreSQL, fifty tills spending one card at once never overdraw it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from giftcards.models import GiftCard
from giftcards.selectors import card_mismatches
from tests.giftcards.helpers import pay_with_card, sell_card
from tests.threads import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks under real concurrency need PostgreSQL (make test-postgres); "
        "SQLite serialises every write transaction instead.",
    ),
]


def test_fifty_concurrent_redemptions_never_overdraw_a_card(cashier):
    sell_card(cashier=cashier, amount="100.00")

    def spend(_index):
        return pay_with_card(cashier=cashier, price="3.00", card_amount="3.00")

    sales, errors = run_together(spend, threads=50)
    # 100.00 pays for 33 sales of 3.00; the other 17 are refused for want of balance.
    assert len(sales) == 33
    assert len(errors) == 17
    assert all(isinstance(error, ValidationError) for error in errors)
    card = GiftCard.objects.get()
    assert card.balance == Decimal("1.00")
    assert card.entry_count == 34
    assert not card_mismatches().exists()


def test_tills_selling_one_printed_card_at_once_issue_it_once_and_load_it(cashier):
    """The first sale issues the card; each one after it (even a moment after) loads it, as a
    second scan of a card already sold does: never two cards with one code, never a 500."""

    def sell(_index):
        return sell_card(cashier=cashier, amount="20.00", code="PRINTED-CARD-7777")

    sales, errors = run_together(sell, threads=8)
    assert errors == []
    card = GiftCard.objects.get()
    assert card.balance == Decimal("20.00") * len(sales)
    kinds = sorted(card.entries.values_list("kind", flat=True))
    assert kinds == ["issue"] + ["load"] * (len(sales) - 1)
    assert not card_mismatches().exists()
