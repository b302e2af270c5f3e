"""Gift cards through the services: sold, reloaded, redeemed, refunded, voided, expired."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from giftcards import codes, services
from giftcards.lookups import NO_ACTIVE_CARD
from giftcards.models import EntryKind, GiftCard, GiftCardEntry, GiftCardStatus
from giftcards.selectors import card_mismatches
from sales.models import Sale
from sales.quotes import LineInput, PaymentInput, sale_quote
from sales.services import sale_checkout, sale_refund
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import CODE, card_line, pay_with_card, sell_card
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def card(code: str = CODE) -> GiftCard:
    return GiftCard.objects.get(code_hash=codes.code_hash(code))


def test_a_card_sold_at_the_till_is_stored_hashed_and_untaxed(cashier, settings):
    settings.CLASSICPOS_TAX_RATE = Decimal("0.10")
    product = ProductFactory(price=Decimal("10.00"))
    lines = [LineInput(product_id=product.pk, quantity=1), card_line("50.00", CODE)]
    quote = sale_quote(lines=lines, discount="10%")
    # The discount and the tax are the goods': 10.00 - 1.00 + 0.90 tax, plus the card's 50.00.
    assert (quote.subtotal, quote.discount, quote.tax, quote.total) == (
        Decimal("60.00"),
        Decimal("1.00"),
        Decimal("0.90"),
        Decimal("59.90"),
    )
    assert quote.stored_value == Decimal("50.00")
    sale = sale_checkout(
        cashier=cashier,
        customer_id=None,
        lines=lines,
        discount="10%",
        payments=[PaymentInput(method="cash", amount=Decimal("60.00"))],
    )
    assert sale.stored_value == Decimal("50.00")
    assert sale.goods_total == Decimal("9.90")
    issued = card()
    assert issued.balance == Decimal("50.00")
    assert issued.last4 == "ABCD"
    assert not GiftCard.objects.filter(code_hash__icontains="ABCD").exists()
    assert "2345" not in str(GiftCard.objects.values_list().get(pk=issued.pk))
    line = sale.lines.get(kind="giftCard")
    assert line.name == "Gift card ••••ABCD"
    assert line.product_id is None
    assert [e.kind for e in issued.entries.all()] == [EntryKind.ISSUE]


def test_a_card_cannot_buy_a_card_nor_points_pay_for_one(cashier):
    sell_card(cashier=cashier)
    with pytest.raises(ValidationError) as refused:
        sale_checkout(
            cashier=cashier,
            customer_id=None,
            lines=[card_line("20.00", "OTHER-CARD-2345")],
            payments=[PaymentInput(method="gift_card", amount=Decimal("20.00"), reference=CODE)],
        )
    assert "Gift card may pay at most 0.00" in str(refused.value.message_dict["payments"])
    quote = sale_quote(lines=[card_line("20.00")])
    offers = {offer.method.code: offer.max_amount for offer in quote.methods}
    assert offers["gift_card"] == Decimal("0.00")
    assert offers["cash"] == Decimal("20.00")
    assert card().balance == Decimal("50.00")


def test_reload_partial_redemption_and_two_cards_on_one_sale(cashier):
    sell_card(cashier=cashier, amount="30.00")
    sell_card(cashier=cashier, amount="10.00", code="SECOND-CARD-2345")
    # Reloading: the same code in a card line loads the card it names.
    sale = sell_card(cashier=cashier, amount="20.00")
    assert sale.lines.get().name == "Gift card reload ••••ABCD"
    assert card().balance == Decimal("50.00")
    product = ProductFactory(price=Decimal("70.00"))
    sale = sale_checkout(
        cashier=cashier,
        customer_id=None,
        lines=[LineInput(product_id=product.pk, quantity=1)],
        payments=[
            PaymentInput(method="gift_card", amount=Decimal("45.00"), reference=CODE),
            PaymentInput(method="gift_card", amount=Decimal("10.00"), reference="second card 2345"),
            PaymentInput(method="cash", amount=Decimal("15.00")),
        ],
    )
    assert card().balance == Decimal("5.00")
    assert card("SECOND-CARD-2345").balance == Decimal("0.00")
    assert sorted(e.amount for e in GiftCardEntry.objects.filter(sale=sale)) == [
        Decimal("-45.00"),
        Decimal("-10.00"),
    ]
    assert not card_mismatches().exists()


def test_never_more_than_the_balance_and_the_refusal_names_the_payment(cashier):
    sell_card(cashier=cashier, amount="20.00")
    with pytest.raises(ValidationError) as refused:
        pay_with_card(cashier=cashier, price="30.00", card_amount="25.00")
    assert refused.value.message_dict["payments[0].amount"] == ["Gift card ••••ABCD holds 20.00."]
    with pytest.raises(ValidationError) as refused:
        pay_with_card(cashier=cashier, price="30.00", card_amount="5.00", code="NOPE-NOPE-NOPE")
    assert refused.value.message_dict["payments[0].giftCardCode"] == [NO_ACTIVE_CARD]
    assert Sale.objects.count() == 1
    assert card().balance == Decimal("20.00")


def test_a_refund_puts_the_cards_share_back_on_the_card(cashier, manager):
    sell_card(cashier=cashier, amount="40.00")
    sale = pay_with_card(cashier=cashier, price="100.00", card_amount="40.00")
    assert card().balance == Decimal("0.00")
    refund = sale_refund(sale=sale, user=manager)
    assert refund.paid_back == Decimal("60.00")  # the cash part, from the till
    assert card().balance == Decimal("40.00")
    assert card().entries.first().kind == EntryKind.REFUND
    assert not card_mismatches().exists()


def test_partial_refunds_never_give_the_card_more_than_it_paid(cashier, manager):
    sell_card(cashier=cashier, amount="10.00")
    product = ProductFactory(price=Decimal("3.33"))
    sale = sale_checkout(
        cashier=cashier,
        customer_id=None,
        lines=[LineInput(product_id=product.pk, quantity=3)],
        payments=[
            PaymentInput(method="gift_card", amount=Decimal("5.00"), reference=CODE),
            PaymentInput(method="cash", amount=Decimal("4.99")),
        ],
    )
    line = sale.lines.get()
    from sales.quotes import RefundLineInput

    for _ in range(3):
        sale = Sale.objects.get(pk=sale.pk)
        sale_refund(
            sale=sale, user=manager, lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)]
        )
    assert card().balance == Decimal("10.00")
    assert not card_mismatches().exists()


def test_a_card_line_is_not_refunded_with_the_sale(cashier, manager):
    sale = sell_card(cashier=cashier)
    with pytest.raises(ValidationError) as refused:
        sale_refund(sale=sale, user=manager)
    assert "undo it on the card" in str(refused.value)
    assert card().balance == Decimal("50.00")


def test_void_writes_off_the_balance_and_the_card_is_refused_after(cashier, manager):
    sell_card(cashier=cashier, amount="25.00")
    services.card_void(card=card(), user=manager, reason="Reported stolen")
    voided = card()
    assert (voided.status, voided.balance) == (GiftCardStatus.VOIDED, Decimal("0.00"))
    assert voided.entries.first().kind == EntryKind.VOID
    with pytest.raises(ValidationError) as refused:
        pay_with_card(cashier=cashier, price="5.00", card_amount="5.00")
    assert refused.value.message_dict["payments[0].giftCardCode"] == [
        "Gift card ••••ABCD was voided."
    ]
    with pytest.raises(ValidationError):
        services.card_void(card=voided, user=manager, reason="again")


def test_expiry_is_off_by_default_and_never_retroactive(cashier, manager):
    sell_card(cashier=cashier, amount="25.00")
    assert card().expires_on is None
    services.program_set_validity(months=12)
    sell_card(cashier=cashier, amount="30.00", code="LATER-CARD-2345")
    assert card().expires_on is None
    later = card("LATER-CARD-2345")
    assert later.expires_on == services._add_months(timezone.localdate(), 12)
    assert services.cards_expire(today=later.expires_on) == 0
    after = later.expires_on + timedelta(days=1)
    assert services.cards_expire(today=after) == 1
    assert services.cards_expire(today=after) == 0  # a second run changes nothing
    later.refresh_from_db()
    assert later.balance == Decimal("0.00")
    assert later.entries.first().kind == EntryKind.EXPIRE
    assert card().balance == Decimal("25.00")


def test_the_expire_and_reconcile_commands(cashier, capsys):
    sell_card(cashier=cashier)
    call_command("giftcards_expire")
    call_command("giftcards_reconcile")
    assert "equals its ledger" in capsys.readouterr().out


def test_add_months_keeps_to_the_months_last_day():
    assert services._add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services._add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_a_generated_code_is_printed_once(cashier):
    sale = sell_card(cashier=cashier, code=None)
    issued = GiftCard.objects.get()
    assert issued.print_seed
    code = services.card_print_code(card=issued)
    assert code is not None
    assert len(code) == codes.GENERATED_LENGTH
    assert set(code) <= set(codes.ALPHABET)
    assert codes.code_hash(code) == issued.code_hash
    assert services.card_print_code(card=issued) is None
    assert sale.lines.get().name == f"Gift card ••••{code[-4:]}"


def test_merge_moves_the_cards_to_the_survivor(cashier, manager):
    from customers.services import customer_merge

    survivor, duplicate = CustomerFactory(), CustomerFactory()
    sell_card(cashier=cashier, customer=duplicate)
    customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel="page")
    assert card().customer_id == survivor.pk


def test_points_are_earned_on_goods_only(cashier):
    customer = CustomerFactory()
    product = ProductFactory(price=Decimal("20.00"))
    sale_checkout(
        cashier=cashier,
        customer_id=customer.pk,
        lines=[LineInput(product_id=product.pk, quantity=1), card_line("50.00", CODE)],
        payments=[PaymentInput(method="cash", amount=Decimal("70.00"))],
    )
    customer.refresh_from_db()
    assert customer.loyalty_points == 20


def test_a_card_is_not_issued_to_a_merged_away_customer(cashier, manager):
    from customers.services import customer_merge

    survivor, duplicate = CustomerFactory(), CustomerFactory()
    customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel="page")
    with pytest.raises(ValidationError) as refused:
        services.card_issue(amount="10.00", user=manager, customer_id=duplicate.pk)
    assert "merged or anonymised" in refused.value.message_dict["customerId"][0]
    card, _ = services.card_issue(amount="10.00", user=manager, customer_id=survivor.pk)
    assert card.customer_id == survivor.pk
