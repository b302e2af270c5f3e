"""When points expire: the pure rules, shared by the writes and the reads.

``loyalty.lots`` fixes a lot's terms when it is opened, ``loyalty.expiry`` expires
and announces lots with them, and ``loyalty.selectors.points_expiring`` tells the
till and the customer's JSON; all three decide a lot's day here, so what the till
says expires on 31 Jan is what the daily job expires on 31 Jan.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from loyalty.models import ExpiryRule, LoyaltyProgram, PointsLot
from loyalty.tier_rules import months_after


@dataclass(frozen=True)
class LotTerms:
    """The expiry a new lot keeps for good: a day, or months without a purchase, or none."""

    expires_on: date | None = None
    inactivity_months: int | None = None


def lot_terms(*, program: LoyaltyProgram, earned_on: date) -> LotTerms:
    """Return the terms of points earned on ``earned_on`` under the program as it is now.

    Fixed on the lot: a rule turned on, changed or shortened later applies only to
    points earned afterwards (Square applied a new policy to every point held).
    """
    if program.expiry_rule == ExpiryRule.AFTER_EARNING and program.expiry_months:
        return LotTerms(expires_on=months_after(earned_on, program.expiry_months))
    if program.expiry_rule == ExpiryRule.AFTER_INACTIVITY and program.expiry_months:
        return LotTerms(inactivity_months=program.expiry_months)
    return LotTerms()


def lot_expires_on(lot: PointsLot, last_purchase: date | None) -> date | None:
    """Return the day ``lot`` expires: its fixed day, or N months after the later of its
    earning and the customer's last purchase (a purchase restarts the clock)."""
    if lot.expires_on is not None:
        return lot.expires_on
    if lot.inactivity_months is None:
        return None
    since = max(lot.earned_on, last_purchase) if last_purchase else lot.earned_on
    return months_after(since, lot.inactivity_months)


def expiring_by_day(
    lots: Iterable[PointsLot], last_purchase: date | None
) -> list[tuple[date, int]]:
    """Return ``(day, points)`` for the lots' points still held, soonest day first."""
    days: dict[date, int] = defaultdict(int)
    for lot in lots:
        day = lot_expires_on(lot, last_purchase)
        if day is not None and lot.remaining > 0:
            days[day] += lot.remaining
    return sorted(days.items())


def short_day(day: date, *, today: date) -> str:
    """Return "31 Jan" (with the year when it is not this one's), as the till says it."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"
