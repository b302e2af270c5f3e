"""The points the shop owes (issue 33 §4's figures): outstanding points and their worth,
by tier, by month earned, and what expires within 30, 60 and 90 days.

Read from the points lots, which hold every positive balance (``loyalty.lots``), so a
month earned is the lots' and a negative balance owes nothing. Worth is at face value
(``redeem_value`` per ``redeem_step`` points, to the cent): what the points would pay if
all were redeemed; the till's whole steps per customer would be a little less. Five
queries, however many lots (the inactivity lots are streamed). The page and its CSV
(``loyalty.report_views``) and ``GET /api/reports/points-liability`` lay these figures
out and count nothing themselves.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from loyalty.expiry_rules import lot_expires_on
from loyalty.models import LoyaltyProgram, PointsLot
from loyalty.selectors import last_purchase_on, open_lots_with_last_purchase
from sales.money import to_cents

EXPIRING_WITHIN = (30, 60, 90)
NO_TIER = "No tier"


@dataclass(frozen=True)
class LiabilityRow:
    label: str  # a tier's name, a month ("2026-12") or "within 30 days"
    points: int
    worth: Decimal
    # What the row is of, for the API: the tier's name (None: no tier), the month
    # ("2026-12") or the days (30).
    key: str | int | None = None


@dataclass(frozen=True)
class PointsLiability:
    as_of: date
    points: int
    worth: Decimal
    by_tier: list[LiabilityRow]
    by_month_earned: list[LiabilityRow]
    expiring: list[LiabilityRow]


def points_face_value(points: int, program: LoyaltyProgram) -> Decimal:
    """Return what ``points`` pay at face value, to the cent (half up)."""
    return to_cents(Decimal(points) * program.redeem_value / program.redeem_step)


def points_liability(*, today: date | None = None) -> PointsLiability:
    """Return the outstanding points and their worth, by tier, month earned and expiry."""
    today = today or timezone.localdate()
    program = LoyaltyProgram.current()
    held = PointsLot.objects.filter(remaining__gt=0).order_by()

    def row(label: str, points: int | None, key: str | int | None) -> LiabilityRow:
        return LiabilityRow(label, points or 0, points_face_value(points or 0, program), key)

    tiers = held.values("customer__loyalty_tier__tier__name").annotate(points=Sum("remaining"))
    by_tier = sorted(
        (
            row(
                item["customer__loyalty_tier__tier__name"] or NO_TIER,
                item["points"],
                item["customer__loyalty_tier__tier__name"],
            )
            for item in tiers
        ),
        key=lambda item: item.label,
    )
    months = (
        held.annotate(month=TruncMonth("earned_on"))
        .values("month")
        .annotate(points=Sum("remaining"))
        .order_by("month")
    )
    by_month = []
    for item in months:
        month = item["month"].strftime("%Y-%m")
        by_month.append(row(month, item["points"], month))
    expiring = [
        row(f"within {days} days", points, days)
        for days, points in _expiring_within(held, today=today).items()
    ]
    total = sum(item.points for item in by_tier)
    return PointsLiability(
        as_of=today,
        points=total,
        worth=points_face_value(total, program),
        by_tier=by_tier,
        by_month_earned=by_month,
        expiring=expiring,
    )


def _expiring_within(held, *, today: date) -> dict[int, int]:
    """Return the points held that expire within each of ``EXPIRING_WITHIN`` days (those
    due and not yet expired by the daily job included). Fixed days are summed by the
    database; an inactivity lot's day depends on its customer's last purchase, so those
    lots are read with it (``loyalty.expiry_rules``), as the daily job reads them."""
    fixed = held.aggregate(
        **{
            f"d{days}": Sum("remaining", filter=Q(expires_on__lte=today + timedelta(days=days)))
            for days in EXPIRING_WITHIN
        }
    )
    totals = {days: fixed[f"d{days}"] or 0 for days in EXPIRING_WITHIN}
    lots = open_lots_with_last_purchase(customer_ids=None).filter(inactivity_months__isnull=False)
    for lot in lots.iterator(chunk_size=2000):
        day = lot_expires_on(lot, last_purchase_on(lot))
        for days in EXPIRING_WITHIN:
            if day <= today + timedelta(days=days):
                totals[days] += lot.remaining
    return totals
