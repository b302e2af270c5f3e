"""Money arithmetic: every amount is a Decimal rounded half-up to cents."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount half-up to whole cents (2.345 -> 2.35)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def refunded_share(whole: Decimal | int, *, refunded: Decimal, total: Decimal) -> Decimal:
    """Return ``whole``'s share of a sale whose ``refunded`` of ``total`` is refunded so far.

    Rounded half-up to cents (whole points for a points ``whole``). The one home of the
    running share that refunds give back: a refund gives this, counted over every refund
    of the sale so far, less what earlier refunds gave. Rounding each refund on its own
    could give back a cent (or a point) more than was paid, and the refund that empties
    the sale gives back exactly what is left. The share is worked out as
    ``whole * refunded / total``: one division, so a half cent is never lost to a
    fraction rounded first.
    """
    quantum = Decimal(1) if isinstance(whole, int) else CENT
    if refunded >= total:
        return Decimal(whole).quantize(quantum, rounding=ROUND_HALF_UP)
    if refunded <= 0:
        return Decimal(0).quantize(quantum)
    return (Decimal(whole) * refunded / total).quantize(quantum, rounding=ROUND_HALF_UP)
