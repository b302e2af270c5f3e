"""How gift cards take part in a merge: the duplicate's cards move to the survivor.

A card's balance is the holder's, not the customer record's, so the cards move as
they are; their ledgers stay whole. An erasure keeps the cards and their books: a
card names its customer by id only, which the anonymised record keeps.

Download my data: each card's last four characters, balance, status and entries;
never its code's hash or print seed, which would let a reader rebuild or test a code.
"""

from django.db.models import Prefetch

from customers.extensions import (
    DataExportSection,
    MergeStep,
    register_data_export_section,
    register_merge_step,
)
from giftcards.models import GiftCard, GiftCardEntry


def merge_cards(*, duplicate, survivor, user) -> None:
    GiftCard.objects.filter(customer=duplicate).update(customer=survivor)


def count_cards(*, customer) -> list[tuple[str, int]]:
    return [("gift cards", GiftCard.objects.filter(customer=customer).count())]


def export_cards(*, customer) -> list[dict]:
    """Return the customer's cards, oldest first, each with its entries (two queries)."""
    cards = (
        GiftCard.objects.filter(customer=customer)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=GiftCardEntry.objects.select_related("sale").order_by("sequence"),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": card.pk,
            "last4": card.last4,
            "status": card.status,
            "balance": card.balance,
            "expiresOn": card.expires_on,
            "createdAt": card.created_at,
            "entries": [
                {
                    "sequence": entry.sequence,
                    "createdAt": entry.created_at,
                    "kind": entry.kind,
                    "amount": entry.amount,
                    "balanceBefore": entry.balance_before,
                    "balanceAfter": entry.balance_after,
                    "saleNumber": entry.sale.number if entry.sale else None,
                    "reason": entry.reason,
                }
                for entry in card.entries.all()
            ],
        }
        for card in cards
    ]


def connect() -> None:
    register_merge_step(
        MergeStep(
            name="giftcards",
            merge=merge_cards,
            count=count_cards,
            moves=("gift cards",),
            order=45,
        )
    )
    register_data_export_section(
        DataExportSection(
            name="giftCards",
            label="Gift cards",
            rows=export_cards,
            models=("giftcards.GiftCard",),
            order=45,
        )
    )
