"""Reads of the loyalty ledger: a customer's history, filtered lists, mismatched balances
and lots, what counts towards a tier and which points expire when."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from classicpos import prepared
from customers.models import Customer
from loyalty.expiry_rules import expiring_by_day
from loyalty.models import CustomerTier, LoyaltyTransaction, PointsLot
from sales.models import Sale
from sales.money import refunded_share
from sales.selectors import sale_paid_in_money


@dataclass(frozen=True)
class LedgerFilters:
    customer_id: int | None = None
    kind: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


def ledger_list(*, filters: LedgerFilters | None = None) -> QuerySet[LoyaltyTransaction]:
    """Return ledger rows, newest first, with what a list shows fetched up front."""
    filters = filters or LedgerFilters()
    rows = LoyaltyTransaction.objects.select_related("customer", "sale", "created_by")
    if filters.customer_id is not None:
        rows = rows.filter(customer_id=filters.customer_id)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.created_after is not None:
        rows = rows.filter(created_at__gte=filters.created_after)
    if filters.created_before is not None:
        rows = rows.filter(created_at__lte=filters.created_before)
    return rows.order_by("-created_at", "-id")


def customer_ledger(*, customer: Customer) -> QuerySet[LoyaltyTransaction]:
    """Return one customer's ledger, newest first."""
    return ledger_list(filters=LedgerFilters(customer_id=customer.pk))


def _sum_per_customer(rows: QuerySet, field: str) -> Coalesce:
    """Return the sum of ``field`` over the outer customer's ``rows`` (0 when none)."""
    total = (
        rows.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def balance_mismatches() -> QuerySet[Customer]:
    """Return customers whose balance differs from their ledger's sum, with ``ledger_sum``."""
    return (
        Customer.objects.annotate(
            ledger_sum=_sum_per_customer(LoyaltyTransaction.objects.all(), "points")
        )
        .exclude(loyalty_points=F("ledger_sum"))
        .order_by("id")
    )


def qualifying_spends(*, customer_ids: Iterable[int], since: datetime) -> dict[int, Decimal]:
    """Return what each customer paid in money for sales since ``since``, net of refunds.

    Money paid is ``sales.selectors.sale_paid_in_money`` (points, store credit and gift
    cards are not money, gift cards sold are not goods); a refund takes off its share of
    it, as it takes back points (``sales.money.refunded_share``). Worked out in
    ``Decimal`` from the sales and their payments (two queries), never summed by the
    database: a float's 99.999 must not miss a threshold of 100.00. Customers without
    a sale in the window are absent (their spend is zero).
    """
    spends: dict[int, Decimal] = {}
    sales = (
        Sale.objects.filter(customer_id__in=list(customer_ids), created_at__gte=since)
        .only("customer_id", "total", "stored_value", "refunded_total")
        .prefetch_related("payments")
        .order_by()
    )
    for sale in sales:
        paid = sale_paid_in_money(sale=sale)
        net = paid - refunded_share(paid, refunded=sale.refunded_total, total=sale.goods_total)
        spends[sale.customer_id] = spends.get(sale.customer_id, Decimal(0)) + net
    return spends


def customers_with_sales_since(*, since: datetime) -> QuerySet:
    """Return the ids of customers with a sale since ``since`` (the daily recompute's list)."""
    return (
        Sale.objects.filter(created_at__gte=since, customer__isnull=False)
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )


def _tier_state_of(slot):
    return CustomerTier.objects.select_related("tier").filter(customer_id=slot("customer"))


def customer_tier_state(*, customer: Customer):
    """Return the customer's ``CustomerTier`` with its tier, or None (one query).

    A prepared statement (``classicpos.prepared``): every quote at the till asks it, and
    building the query was most of its cost.
    """
    values = {"customer": customer.pk}
    rows = prepared.statement("customer tier state", _tier_state_of, values).instances(values)
    return rows[0] if rows else None


def lot_mismatches() -> QuerySet[Customer]:
    """Return customers whose open lots do not hold their balance (zero while it is
    negative), with ``lots_sum``: expiry would take too much or too little from them."""
    return (
        Customer.objects.annotate(lots_sum=_sum_per_customer(PointsLot.objects.all(), "remaining"))
        .exclude(lots_sum=Greatest(F("loyalty_points"), Value(0)))
        .order_by("id")
    )


def open_lots_with_last_purchase(*, customer_ids: Iterable[int] | None) -> QuerySet[PointsLot]:
    """Return the customers' lots (everyone's: None) still holding points that can expire,
    each with its customer's last purchase (``last_purchase_at``, for lots that expire
    after months without one), in the order they are spent; one query."""
    last_sale = (
        Sale.objects.filter(customer_id=OuterRef("customer_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    lots = PointsLot.objects.filter(remaining__gt=0)
    if customer_ids is not None:
        lots = lots.filter(customer_id__in=list(customer_ids))
    return (
        lots.exclude(expires_on__isnull=True, inactivity_months__isnull=True)
        .annotate(last_purchase_at=Subquery(last_sale))
        .order_by("customer_id", "earned_on", "id")
    )


def last_purchase_on(lot: PointsLot):
    """Return the local day of the purchase annotated on ``lot``, or None."""
    moment = getattr(lot, "last_purchase_at", None)
    return timezone.localdate(moment) if moment else None


def _expiring_lots_of(slot):
    return open_lots_with_last_purchase(customer_ids=None).filter(customer_id=slot("customer"))


def points_expiring(*, customer: Customer) -> list[tuple]:
    """Return ``(day, points)`` for the customer's points that will expire, soonest first
    (one query, prepared: every quote at the till asks it; empty while the program never
    expires points or none are held)."""
    values = {"customer": customer.pk}
    lots = prepared.statement("points expiring", _expiring_lots_of, values).instances(values)
    last = last_purchase_on(lots[0]) if lots else None
    return expiring_by_day(lots, last)
