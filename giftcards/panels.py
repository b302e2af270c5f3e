"""The Gift cards panel on the customer detail page: the customer's cards, one query."""

from classicpos.money_format import format_money
from customers.panels import CustomerPanel, SummaryFigure, register_panel
from giftcards.lookups import refusal
from giftcards.permissions import VIEW_GIFT_CARD
from giftcards.selectors import customer_cards
from sales.money import ZERO


def gift_cards_panel_context(customer, request) -> dict:
    """Every card of the customer (a few at most), each with why it cannot pay, if it cannot."""
    rows = [(card, refusal(card)) for card in customer_cards(customer=customer)]
    usable = [card for card, reason in rows if not reason and card.balance > 0]
    return {
        "gift_card_rows": rows,
        "usable_cards": len(usable),
        "usable_balance": sum((card.balance for card in usable), ZERO),
    }


def gift_cards_summary(customer, context) -> list[SummaryFigure]:
    """Return "Gift cards $45.00 · 2 cards" for the top of the customer page, when the
    customer holds cards that can pay now; from the panel's context, no query of its own."""
    count = context["usable_cards"]
    if not count:
        return []
    return [
        SummaryFigure(
            label="Gift cards",
            value=format_money(context["usable_balance"]),
            detail=f"{count} card{'s' if count != 1 else ''}",
            href="#gift-cards-panel",
        )
    ]


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="giftcards/_gift_cards_panel.html",
            context=gift_cards_panel_context,
            order=35,
            permission=VIEW_GIFT_CARD,
            summary=gift_cards_summary,
        )
    )
