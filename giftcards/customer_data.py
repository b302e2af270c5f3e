"""How gift cards take part in a merge: the duplicate's cards move to the survivor.

A card's balance is the holder's, not the customer record's, so the cards move as
they are; their ledgers stay whole. An erasure keeps the cards and their books: a
card names its customer by id only, which the anonymised record keeps.
"""

from customers.extensions import MergeStep, register_merge_step
from giftcards.models import GiftCard


def merge_cards(*, duplicate, survivor, user) -> None:
    GiftCard.objects.filter(customer=duplicate).update(customer=survivor)


def count_cards(*, customer) -> list[tuple[str, int]]:
    return [("gift cards", GiftCard.objects.filter(customer=customer).count())]


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
