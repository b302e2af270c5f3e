"""Reads of the loyalty ledger: a customer's history, filtered lists, mismatched balances,
and what counts towards a tier."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from customers.models import Customer
from loyalty.models import CustomerTier, LoyaltyTransaction
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


def balance_mismatches() -> QuerySet[Customer]:
    """Return customers whose balance differs from their ledger's sum, with ``ledger_sum``."""
    ledger_sum = (
        LoyaltyTransaction.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return (
        Customer.objects.annotate(
            ledger_sum=Coalesce(Subquery(ledger_sum, output_field=IntegerField()), Value(0))
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


def customer_tier_state(*, customer: Customer):
    """Return the customer's ``CustomerTier`` with its tier, or None (one query)."""
    return CustomerTier.objects.select_related("tier").filter(customer=customer).first()
