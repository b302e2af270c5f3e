"""Reads of gift cards: a customer's cards, the cards whose balance is not their ledger's
sum, and the liability (what the shop owes on cards) by month of issue and by store."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Round, TruncMonth

from giftcards.models import GiftCard, GiftCardEntry, GiftCardStatus
from sales.money import ZERO, to_cents


def customer_cards(*, customer) -> QuerySet[GiftCard]:
    return GiftCard.objects.filter(customer=customer).order_by("-created_at", "-id")


def card_mismatches() -> QuerySet[GiftCard]:
    """Cards whose cached balance or entry count differ from their entries, or whose
    entries do not follow on from one another (each starts where the last ended)."""
    # Sums rounded to cents: SQLite adds decimals as floating point.
    ledger = (
        GiftCardEntry.objects.filter(card=OuterRef("pk"))
        .order_by()
        .values("card")
        .annotate(total=Round(Sum("amount"), 2), entries=Count("id"))
    )
    last = GiftCardEntry.objects.filter(card=OuterRef("pk")).order_by("-sequence")
    broken_chain = GiftCardEntry.objects.filter(
        card=OuterRef("pk"),
        sequence__gt=1,
    ).exclude(
        balance_before=Subquery(
            GiftCardEntry.objects.filter(
                card=OuterRef("card"), sequence=OuterRef("sequence") - 1
            ).values("balance_after")[:1]
        )
    )
    return (
        GiftCard.objects.annotate(
            ledger_sum=Coalesce(Subquery(ledger.values("total")[:1]), ZERO),
            ledger_entries=Coalesce(Subquery(ledger.values("entries")[:1]), 0),
            last_balance=Coalesce(Subquery(last.values("balance_after")[:1]), ZERO),
        )
        .filter(
            ~Q(balance=F("ledger_sum"))
            | ~Q(entry_count=F("ledger_entries"))
            | ~Q(balance=F("last_balance"))
            | Q(pk__in=broken_chain.values("card"))
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class LiabilityRow:
    month: date
    store_id: int | None
    store_name: str
    cards: int
    outstanding: Decimal


def liability(*, statuses=(GiftCardStatus.ACTIVE, GiftCardStatus.BLOCKED)) -> list[LiabilityRow]:
    """What the shop owes on cards that can still be spent (active or blocked), by month of
    issue and the store that issued them: one grouped query."""
    rows = (
        GiftCard.objects.filter(status__in=statuses, balance__gt=0)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "issued_at_store_id", "issued_at_store__name")
        .annotate(cards=Count("id"), outstanding=Sum("balance"))
        .order_by("month", "issued_at_store__name")
    )
    return [
        LiabilityRow(
            month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
            store_id=row["issued_at_store_id"],
            store_name=row["issued_at_store__name"] or "Back office",
            cards=row["cards"],
            outstanding=to_cents(row["outstanding"]),
        )
        for row in rows
    ]
