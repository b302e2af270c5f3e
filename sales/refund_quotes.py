"""What a refund is worth: the lines given back, their share of the discount, and what of
it goes back in money (the money rules of a sale's refund, beside ``sales.quotes``).

A refund gives back each line's price with its share of the sale's discount, never
a stored-value line (a gift card sold is undone on the card), and pays back in money
the running share of what the sale took in money.
"""

from dataclasses import dataclass
from decimal import Decimal

from classicpos import limits
from sales.models import SaleLine
from sales.money import ZERO, refunded_share, to_cents
from sales.quotes import RefundLineInput, SaleErrors
from sales.selectors import sale_paid_in_money


@dataclass(frozen=True)
class RefundedLine:
    line: SaleLine
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class RefundQuote:
    """What refunding some lines is worth (``total``) and the money part (``paid_back``)."""

    lines: tuple[RefundedLine, ...]
    total: Decimal
    paid_back: Decimal
    empties_sale: bool


def _refund_lines(sale, requested: list[RefundLineInput] | None, errors: SaleErrors):
    """Return ``[(sale_line, quantity)]`` to refund: all that is left, or what was asked."""
    sale_lines = {line.pk: line for line in sale.lines.all()}
    if not requested:
        chosen = [(line, line.refundable_quantity) for line in sale_lines.values()]
        chosen = [(line, quantity) for line, quantity in chosen if quantity > 0]
        if not chosen and all(line.kind for line in sale_lines.values()):
            errors.add(
                "lines", f"Nothing on sale {sale.number} is refunded with it: undo it on the card."
            )
        elif not chosen:
            errors.add("lines", f"Sale {sale.number} has already been refunded in full.")
        return chosen
    chosen = []
    named = set()
    for index, item in enumerate(requested):
        if item.sale_line_id in named:
            errors.add(f"lines[{index}].saleLineId", "Name each sale line once.")
            continue
        named.add(item.sale_line_id)
        line = sale_lines.get(item.sale_line_id)
        if line is None:
            errors.add(
                f"lines[{index}].saleLineId",
                f"Sale {sale.number} has no line #{item.sale_line_id}.",
            )
            continue
        if line.kind:
            errors.add(
                f"lines[{index}].saleLineId",
                f"{line.name} is not refunded with the sale: its value is on the card.",
            )
            continue
        if not limits.is_whole_number(item.quantity) or item.quantity < 1:
            errors.add(f"lines[{index}].quantity", "Quantity must be a whole number of at least 1.")
            continue
        if item.quantity > line.refundable_quantity:
            errors.add(
                f"lines[{index}].quantity",
                f"Only {line.refundable_quantity} of {line.name} can still be refunded.",
            )
            continue
        chosen.append((line, item.quantity))
    return chosen


def _money_share(sale, total: Decimal, empties_sale: bool) -> Decimal:
    """Return the part of a refund of ``total`` paid back as money.

    Worked out on running totals, as loyalty does for points: the money share of
    everything refunded so far, less what earlier refunds paid back. Rounding each
    refund on its own could pay back a cent more than was paid in money.
    """
    in_money = sale_paid_in_money(sale=sale)
    if not sale.goods_total or in_money == sale.goods_total:
        return total
    paid_back = sum((refund.paid_back for refund in sale.refunds.all()), ZERO)
    if empties_sale:
        return max(in_money - paid_back, ZERO)
    share = refunded_share(in_money, refunded=sale.refunded_total + total, total=sale.goods_total)
    return max(share - paid_back, ZERO)


def refund_quote_with_errors(
    *, sale, lines: list[RefundLineInput] | None, errors: SaleErrors
) -> RefundQuote:
    """Price a refund of ``lines`` (all that is left when empty), recording bad input.

    Amounts carry the sale's discount and tax in proportion; the refund that
    empties the sale returns exactly what is left of its total, so refunds never
    add up to more than was paid.
    """
    chosen = _refund_lines(sale, lines, errors)
    goods_subtotal = sale.subtotal - sale.stored_value
    refunded = tuple(
        RefundedLine(
            line=line,
            quantity=quantity,
            amount=to_cents(line.unit_price * quantity * sale.goods_total / goods_subtotal)
            if goods_subtotal
            else ZERO,
        )
        for line, quantity in chosen
    )
    taking = {item.line.pk: item.quantity for item in refunded}
    empties_sale = bool(refunded) and all(
        line.refundable_quantity - taking.get(line.pk, 0) == 0 for line in sale.lines.all()
    )
    total = sum((item.amount for item in refunded), ZERO)
    if empties_sale:
        total = sale.goods_total - sale.refunded_total
    return RefundQuote(
        lines=refunded,
        total=total,
        paid_back=_money_share(sale, total, empties_sale),
        empties_sale=empties_sale,
    )


def refund_quote(*, sale, lines: list[RefundLineInput] | None = None) -> RefundQuote:
    """Return what a refund of ``lines`` would be worth, or raise ``ValidationError``."""
    errors = SaleErrors()
    quote = refund_quote_with_errors(sale=sale, lines=lines, errors=errors)
    errors.raise_if_any()
    return quote
