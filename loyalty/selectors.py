"""Reads of the loyalty ledger: a customer's history, filtered lists, mismatched balances."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from customers.models import Customer
from loyalty.models import LoyaltyTransaction


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
