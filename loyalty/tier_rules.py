"""What tier a spend reaches, and the window it is counted over: the tiers' pure rules.

``loyalty.tiers`` (the writes) and ``loyalty.selectors`` (the reads, the program
page's preview) both decide with these, so a recompute and a preview never disagree.
"""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from loyalty.models import LoyaltyTier


def months_before(moment: datetime, months: int) -> datetime:
    """Return ``moment`` ``months`` calendar months earlier (31 May less 3 months is 28 Feb)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(day: date, months: int) -> date:
    """Return ``day`` ``months`` calendar months later (31 Jan plus 1 month is 28 or 29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def window_start(*, window_months: int, now: datetime | None = None) -> datetime:
    """Return when the rolling window that counts towards a tier starts."""
    return months_before(now or timezone.now(), window_months)


def tier_for_spend(spend: Decimal, tiers: Iterable[LoyaltyTier]) -> LoyaltyTier | None:
    """Return the highest tier whose qualifying spend ``spend`` reaches, or ``None``.

    Reaching exactly the threshold qualifies; below the lowest threshold is no tier
    (never the next one up: ERPNext's tiers went wrong at the first tier for years).
    """
    reached = [tier for tier in tiers if tier.active and tier.qualifying_spend <= spend]
    return max(reached, key=lambda tier: tier.qualifying_spend, default=None)


def rank(tier: LoyaltyTier | None) -> Decimal:
    """Return how high ``tier`` is, for comparing two: no tier is below every tier."""
    return Decimal(-1) if tier is None else tier.qualifying_spend


def grace_ends(today: date) -> date:
    """Return the day a downgrade noticed ``today`` applies if the spend stays below."""
    return today + timedelta(days=settings.CLASSICPOS_LOYALTY_TIER_GRACE_DAYS)


def active_tiers() -> Sequence[LoyaltyTier]:
    """Return the tier table as it stands (a handful of rows), lowest first."""
    return list(LoyaltyTier.objects.filter(active=True).order_by("qualifying_spend"))
