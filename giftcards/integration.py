"""How gift cards plug into sales, through its registries only (``sales`` names no card):

- the ``gift_card`` payment method: its payments carry ``giftCardCode``; the quote
  checks the card (``check``) and checkout spends it under the card's lock (``settle``);
  refunded in kind, back onto the card (``receivers``);
- the ``giftCard`` stored-value line: sells a new card or reloads one;
- the sale's facts: the cards it sold or reloaded and the cards that paid for it, in
  the API and on the receipt, with a generated code printed once.
"""

import barcode
from barcode.writer import SVGWriter
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from classicpos.api.fields import amount_pattern
from classicpos.money_format import format_money
from giftcards import codes, services
from giftcards.models import EntryKind, GiftCard
from sales.extensions import (
    CheckoutWidget,
    PaymentMethodType,
    RefundedAs,
    SaleFacts,
    StoredValueItem,
    StoredValueKind,
    register_checkout_widget,
    register_payment_method,
    register_sale_facts,
    register_stored_value_kind,
)

GIFT_CARD_METHOD = "gift_card"
GIFT_CARD_LINE = "giftCard"
LINE_KEYS = {"amount", "code"}
LINE_SCHEMA = {
    "type": "object",
    "required": ["amount"],
    "additionalProperties": False,
    "properties": {
        "amount": {"type": "string", "pattern": amount_pattern(positive=True), "example": "50.00"},
        "code": {
            "type": "string",
            "pattern": r"^[\s-]*(?:[A-Za-z0-9][\s-]*){8,40}$",
            "description": "A printed card's code (reloads the card when it is one already); "
            "leave it out to generate a code, printed once on the receipt.",
        },
    },
}


def check_payment(*, customer, payment, user) -> None:
    """The quote's check of a gift card payment: the card exists, is usable and holds it."""
    services.usable_card(payment.reference, user=user, amount=payment.amount)


def settle_payment(*, sale, payment, user, reference: str) -> None:
    services.card_redeem_for_payment(sale=sale, payment=payment, user=user, reference=reference)


def read_line(data, *, field: str, user) -> StoredValueItem:
    """Read ``{"amount": "50.00", "code"?: "…"}``: a new card (a printed card's code, or
    none to generate one) or a reload of the card the code names."""
    if not isinstance(data, dict):
        raise ValidationError('Give {"amount": "50.00"} and, for a printed card, its "code".')
    unknown = sorted(set(data) - LINE_KEYS)
    if unknown:
        raise ValidationError({unknown[0]: ["Unknown field."]})
    errors: dict[str, list[str]] = {}
    amount = None
    try:
        amount = services.positive_amount(data.get("amount"))
    except ValidationError as error:
        errors.update(error.message_dict)
    code = ""
    if data.get("code") not in (None, ""):
        try:
            code = codes.checked(data["code"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    name = "Gift card"
    if code:
        card = GiftCard.objects.filter(code_hash=codes.code_hash(code)).first()
        name = f"Gift card reload {card.masked}" if card else f"Gift card ••••{codes.last4(code)}"
    return StoredValueItem(amount=amount, name=name, details=code)


def settle_line(*, sale, line, item: StoredValueItem, user) -> None:
    services.card_issue_or_load_for_line(
        sale=sale, line=line, code=item.details, amount=item.amount, user=user
    )


def sale_gift_cards(sale) -> dict:
    """``giftCards``: each card the sale sold, reloaded or was paid with, from the
    prefetched entries (last four and balance after; never the code)."""
    return {
        "giftCards": [
            {
                "cardId": entry.card_id,
                "last4": entry.card.last4,
                "kind": entry.kind,
                "amount": str(entry.amount),
                "balanceAfter": str(entry.balance_after),
                "saleLineId": entry.sale_line_id,
            }
            for entry in _sale_entries(sale)
        ]
    }


def _sale_entries(sale) -> list:
    return sorted(
        (e for e in sale.gift_card_entries.all() if e.refund_id is None), key=lambda e: e.pk
    )


def sale_receipt_gift_cards(sale) -> list[tuple[str, str]]:
    rows = []
    for entry in _sale_entries(sale):
        label = {
            EntryKind.ISSUE: "Gift card sold",
            EntryKind.LOAD: "Gift card reloaded",
            EntryKind.REDEEM: "Gift card paid",
        }.get(entry.kind, "Gift card")
        rows.append(
            (
                f"{label} {entry.card.masked}",
                f"{format_money(abs(entry.amount))} · balance {format_money(entry.balance_after)}",
            )
        )
    return rows


def receipt_codes(sale) -> list[dict]:
    """The codes of the cards this sale generated, for the receipt's one printing: each
    printed here forgets how to rebuild itself, so a reprint shows the last four only."""
    printed = []
    for entry in _sale_entries(sale):
        if entry.kind == EntryKind.ISSUE and entry.card.print_seed:
            code = services.card_print_code(card=entry.card)
            if code:
                printed.append(
                    {
                        "masked": entry.card.masked,
                        "code": codes.pretty(code),
                        "barcode": barcode_svg(code),
                    }
                )
    return printed


def barcode_svg(code: str) -> str:
    """A Code 128 barcode of ``code`` as inline SVG (``python-barcode``), for a scanner at
    the till to read back; the code is printed in letters beside it."""
    svg = barcode.get("code128", code, writer=SVGWriter()).render(
        {"write_text": False, "module_height": 12.0, "quiet_zone": 2.0}
    )
    markup = svg.decode()
    # Inline in the page: the XML prologue and doctype belong to a file, not to HTML.
    return mark_safe(markup[markup.index("<svg") :])  # noqa: S308 - drawn from our own code


def connect() -> None:
    register_payment_method(
        PaymentMethodType(
            code=GIFT_CARD_METHOD,
            label="Gift card",
            refunded_as=RefundedAs.IN_KIND,
            reference_field="giftCardCode",
            check=check_payment,
            settle=settle_payment,
            order=25,
        )
    )
    register_stored_value_kind(
        StoredValueKind(
            key=GIFT_CARD_LINE,
            label="Gift card",
            read=read_line,
            settle=settle_line,
            schema=LINE_SCHEMA,
        )
    )
    register_sale_facts(
        SaleFacts(
            name="giftcards",
            api=sale_gift_cards,
            receipt=sale_receipt_gift_cards,
            prefetch=("gift_card_entries__card",),
            receipt_template="giftcards/_receipt_codes.html",
            receipt_context=receipt_codes,
            order=60,
        )
    )
    register_checkout_widget(
        CheckoutWidget(
            template_name="giftcards/_checkout_giftcards.html",
            script="giftcards/checkout-giftcards.js",
            order=20,
        )
    )
