"""Which points a balance is made of: lots opened by positive ledger rows, consumed by
negative ones oldest first.

The rule that keeps expiry honest: a customer's lots' ``remaining`` adds up to their
balance, or to zero while the balance is negative (a refund may take back points
already spent). So a positive row first pays off a negative balance and opens a lot
with what is left; a negative row consumes what the lots hold, and any more is the
negative balance. Expiry then takes only points held, never a point spent, and never
one twice (``PointsLot``'s check).

Every function here runs inside the caller's transaction with the customer locked
(``loyalty.services._write`` and the commands that write the ledger).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Value, When
from django.utils import timezone

from loyalty.expiry_rules import LotTerms, lot_terms
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, PointsLot, TransactionKind


@dataclass(frozen=True)
class CarriedLot:
    """An open lot's points and terms, moved by a merge to the customer who stays."""

    points: int
    earned_on: date
    terms: LotTerms


def lots_follow(
    *,
    entry: LoyaltyTransaction,
    balance_before: int,
    program: LoyaltyProgram | None = None,
    carried: list[CarriedLot] | None = None,
) -> None:
    """Bring the customer's lots in line with the ledger row ``entry`` just written.

    An expire row is not followed: ``loyalty.expiry`` expires the very lots that are
    due, not the oldest ones. A refund's take-back (or a reversed payment's) consumes
    the points its own sale earned first, so those are not left to expire later.
    """
    if entry.kind == TransactionKind.EXPIRE:
        return
    if entry.points > 0:
        debt = max(-balance_before, 0)
        if carried:
            _open_carried(entry=entry, carried=carried, debt=debt)
        else:
            _open(entry=entry, points=entry.points, debt=debt, program=program)
    else:
        prefer_sale = entry.sale_id if entry.kind == TransactionKind.REVERSAL else None
        lots_consume(customer_id=entry.customer_id, points=-entry.points, prefer_sale=prefer_sale)


def _open(*, entry, points: int, debt: int, program: LoyaltyProgram | None) -> None:
    remaining = points - min(points, debt)
    if remaining <= 0:
        return
    earned_on = timezone.localdate()
    terms = lot_terms(program=program or LoyaltyProgram.current(), earned_on=earned_on)
    PointsLot.objects.create(
        customer_id=entry.customer_id,
        entry=entry,
        sale_id=entry.sale_id,
        points=points,
        remaining=remaining,
        earned_on=earned_on,
        expires_on=terms.expires_on,
        inactivity_months=terms.inactivity_months,
    )


def _open_carried(*, entry, carried: list[CarriedLot], debt: int) -> None:
    """Open one lot per carried lot with its own day and terms; a debt takes the oldest."""
    lots = []
    for lot in sorted(carried, key=lambda lot: lot.earned_on):
        paid = min(lot.points, debt)
        debt -= paid
        if lot.points - paid > 0:
            lots.append(
                PointsLot(
                    customer_id=entry.customer_id,
                    entry=entry,
                    points=lot.points,
                    remaining=lot.points - paid,
                    earned_on=lot.earned_on,
                    expires_on=lot.terms.expires_on,
                    inactivity_months=lot.terms.inactivity_months,
                )
            )
    PointsLot.objects.bulk_create(lots)


def lots_carried(*, customer_id: int) -> list[CarriedLot]:
    """Return a customer's open lots as a merge carries them (one query)."""
    return [
        CarriedLot(
            points=lot.remaining,
            earned_on=lot.earned_on,
            terms=LotTerms(expires_on=lot.expires_on, inactivity_months=lot.inactivity_months),
        )
        for lot in open_lots(customer_id=customer_id)
    ]


def open_lots(*, customer_id: int, prefer_sale: int | None = None):
    """Return the customer's lots still holding points, in the order they are spent."""
    lots = PointsLot.objects.filter(customer_id=customer_id, remaining__gt=0)
    if prefer_sale is None:
        return lots.order_by("earned_on", "id")
    first = Case(When(sale_id=prefer_sale, then=Value(0)), default=Value(1))
    return lots.annotate(first=first).order_by("first", "earned_on", "id")


def lots_consume(*, customer_id: int, points: int, prefer_sale: int | None = None) -> None:
    """Take ``points`` from the open lots, oldest first (two queries)."""
    changed = []
    for lot in open_lots(customer_id=customer_id, prefer_sale=prefer_sale):
        if points <= 0:
            break
        taken = min(lot.remaining, points)
        lot.remaining -= taken
        points -= taken
        changed.append(lot)
    PointsLot.objects.bulk_update(changed, ["remaining"])


def lots_expire(lots: Iterable[PointsLot]) -> int:
    """Expire what ``lots`` still hold; return how many points that is (one query)."""
    changed = []
    points = 0
    for lot in lots:
        points += lot.remaining
        lot.expired += lot.remaining
        lot.remaining = 0
        changed.append(lot)
    PointsLot.objects.bulk_update(changed, ["remaining", "expired"])
    return points


def lots_open_in_bulk(*, entries: list[LoyaltyTransaction], balances_before: dict[int, int]):
    """Open the lots of rows written in bulk (an import's opening balances; one query)."""
    program = LoyaltyProgram.current()
    earned_on = timezone.localdate()
    terms = lot_terms(program=program, earned_on=earned_on)
    lots = []
    for entry in entries:
        debt = max(-balances_before.get(entry.customer_id, 0), 0)
        remaining = entry.points - min(entry.points, debt)
        if entry.points > 0 and remaining > 0:
            lots.append(
                PointsLot(
                    customer_id=entry.customer_id,
                    entry=entry,
                    points=entry.points,
                    remaining=remaining,
                    earned_on=earned_on,
                    expires_on=terms.expires_on,
                    inactivity_months=terms.inactivity_months,
                )
            )
    PointsLot.objects.bulk_create(lots)


def lots_reconcile(*, customer_id: int, balance: int) -> int:
    """Make the open lots hold ``balance`` (zero while negative); return the change.

    For lots that drifted from the ledger (rows written around ``loyalty.services``):
    lots holding too much give up their oldest points; too little opens a lot that
    never expires, since when those points were earned is not known.
    """
    held = sum(lot.remaining for lot in open_lots(customer_id=customer_id))
    difference = max(balance, 0) - held
    if difference < 0:
        lots_consume(customer_id=customer_id, points=-difference)
    elif difference > 0:
        PointsLot.objects.create(
            customer_id=customer_id,
            points=difference,
            remaining=difference,
            earned_on=timezone.localdate(),
        )
    return difference
