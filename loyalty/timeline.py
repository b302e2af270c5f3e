"""The points ledger in the customer's timeline: one entry per ledger row.

The ledger is already the history (one immutable row per change, with the
balance it left), so the timeline reads it as it is: one query per page, the
kind taken from the row's recorded kind. Merges, opening balances and
reconciliations are adjustments in the ledger and appear as such, with the
reason that says which.
"""

from django.urls import reverse

from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source
from loyalty.models import LoyaltyTransaction, TierChange, TransactionKind
from loyalty.permissions import VIEW_LEDGER

SOURCE = "loyalty.points"
TIER_SOURCE = "loyalty.tier"
TIER_KIND = "tier.changed"

KINDS = {
    TransactionKind.EARN: "points.earned",
    TransactionKind.REDEEM: "points.redeemed",
    TransactionKind.REVERSAL: "points.reversed",
    TransactionKind.ADJUSTMENT: "points.adjusted",
    TransactionKind.EXPIRE: "points.expired",
    TransactionKind.BIRTHDAY: "points.birthday",
}


def signed_points(points: int) -> str:
    """Return ``points`` with its sign; a loss gets a real minus sign (U+2212), read as "minus"."""
    return f"+{points}" if points > 0 else f"\u2212{-points}"


def _summary(row: LoyaltyTransaction) -> str:
    points = f"{signed_points(row.points)} points"
    sale = f"sale {row.sale.number}" if row.sale_id else "a sale"
    balance = f"(balance {row.balance_after})"
    if row.kind == TransactionKind.EARN:
        return f"{points} for {sale} {balance}"
    if row.kind == TransactionKind.REDEEM:
        return f"{points} paid on {sale} {balance}"
    if row.kind == TransactionKind.REVERSAL and row.reference:
        return f"{points} earned, taken back: an invoice payment for {sale} reversed {balance}"
    if row.kind == TransactionKind.REVERSAL:
        what = "earned, taken back" if row.points < 0 else "redeemed, given back"
        return f"{points} {what}: refund of {sale} {balance}"
    if row.kind == TransactionKind.EXPIRE:
        return f"{points} expired {balance}"
    if row.kind == TransactionKind.BIRTHDAY:
        return f"{points}: {row.reason} {balance}"
    return f"{points} adjusted: {row.reason} {balance}"


def _link(row: LoyaltyTransaction, customer) -> str:
    if row.sale_id:
        return reverse("sales:sale_detail", kwargs={"pk": row.sale_id})
    return f"{customer.get_absolute_url()}#loyalty-panel"


def points_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's ledger rows before the cursor, newest first, in one query."""
    wanted = [kind for kind, name in KINDS.items() if page.wants(name)]
    if not wanted:
        return []
    rows = LoyaltyTransaction.objects.filter(customer=page.customer).filter(
        page.before(SOURCE, at="created_at")
    )
    if len(wanted) < len(KINDS):
        rows = rows.filter(kind__in=wanted)
    rows = rows.select_related("sale", "created_by").order_by("-created_at", "-pk")
    return [
        TimelineEntry(
            at=row.created_at,
            kind=KINDS[row.kind],
            summary=_summary(row),
            source=SOURCE,
            id=row.pk,
            actor=row.created_by.get_username() if row.created_by_id else None,
            link=_link(row, page.customer),
        )
        for row in rows[: page.limit]
    ]


def tier_summary(change: TierChange) -> str:
    """Return "Silver → Gold: Upgraded: paid $512.00 in the last 12 months; ..."."""
    return f"Tier {change.from_tier or 'none'} \u2192 {change.to_tier or 'none'}: {change.reason}"


def tier_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's tier changes before the cursor, newest first, in one query."""
    if not page.wants(TIER_KIND):
        return []
    rows = (
        TierChange.objects.filter(customer=page.customer)
        .filter(page.before(TIER_SOURCE, at="created_at"))
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=row.created_at,
            kind=TIER_KIND,
            summary=tier_summary(row),
            source=TIER_SOURCE,
            id=row.pk,
            actor=row.created_by.get_username() if row.created_by_id else None,
            link=f"{page.customer.get_absolute_url()}#loyalty-panel",
        )
        for row in rows[: page.limit]
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=SOURCE,
            label="Points",
            icon="bi-star",
            kinds=tuple(KINDS.values()),
            entries=points_entries,
            permission=VIEW_LEDGER,
        )
    )
    register_timeline_source(
        TimelineSource(
            name=TIER_SOURCE,
            label="Tier",
            icon="bi-award",
            kinds=(TIER_KIND,),
            entries=tier_entries,
            permission=VIEW_LEDGER,
        )
    )
