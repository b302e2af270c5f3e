"""The customer's gift cards in their timeline: one entry per ledger entry of their cards.

The ledger is already the history (one immutable row per change, with the balance it
left), so the timeline reads it as it is: one query per page, the kind from the entry's
recorded kind. A card follows its customer (a merge moves it), so the entries are those
of the cards the customer holds now.
"""

from django.urls import reverse

from classicpos.money_format import format_money
from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source
from giftcards.models import EntryKind, GiftCardEntry
from giftcards.permissions import VIEW_GIFT_CARD

SOURCE = "giftcards.entry"

KINDS = {
    EntryKind.ISSUE: "gift_card.issued",
    EntryKind.LOAD: "gift_card.loaded",
    EntryKind.REDEEM: "gift_card.redeemed",
    EntryKind.REFUND: "gift_card.refunded",
    EntryKind.ADJUST: "gift_card.adjusted",
    EntryKind.EXPIRE: "gift_card.expired",
    EntryKind.VOID: "gift_card.voided",
}


def signed_money(amount) -> str:
    """Return ``amount`` in the shop's currency with its sign; a loss gets a real minus sign."""
    return ("+" if amount > 0 else "\u2212") + format_money(abs(amount))


def _summary(entry: GiftCardEntry) -> str:
    card = f"gift card {entry.card.masked}"
    balance = f"(balance {format_money(entry.balance_after)})"
    amount = signed_money(entry.amount)
    sale = f"sale {entry.sale.number}" if entry.sale_id else ""
    if entry.kind == EntryKind.ISSUE:
        return f"{amount} on new {card}{f', sold on {sale}' if sale else ''} {balance}"
    if entry.kind == EntryKind.LOAD:
        return f"{amount} loaded on {card}{f', sold on {sale}' if sale else ''} {balance}"
    if entry.kind == EntryKind.REDEEM:
        return f"{amount} from {card} paid {sale or 'a sale'} {balance}"
    if entry.kind == EntryKind.REFUND:
        return f"{amount} back on {card}: refund of {sale or 'a sale'} {balance}"
    if entry.kind == EntryKind.EXPIRE:
        return f"{amount} expired on {card} {balance}"
    if entry.kind == EntryKind.VOID:
        return (
            f"Gift card {entry.card.masked} voided, {amount} written off: {entry.reason} {balance}"
        )
    return f"{amount} adjusted on {card}: {entry.reason} {balance}"


def gift_card_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the entries of the customer's cards before the cursor, newest first, in one query."""
    wanted = [kind for kind, name in KINDS.items() if page.wants(name)]
    if not wanted:
        return []
    rows = GiftCardEntry.objects.filter(card__customer=page.customer).filter(
        page.before(SOURCE, at="created_at")
    )
    if len(wanted) < len(KINDS):
        rows = rows.filter(kind__in=wanted)
    rows = rows.select_related("card", "sale", "created_by").order_by("-created_at", "-pk")
    return [
        TimelineEntry(
            at=row.created_at,
            kind=KINDS[row.kind],
            summary=_summary(row),
            source=SOURCE,
            id=row.pk,
            actor=row.created_by.get_username() if row.created_by_id else None,
            link=reverse("giftcards:detail", kwargs={"pk": row.card_id}),
        )
        for row in rows[: page.limit]
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=SOURCE,
            label="Gift cards",
            icon="bi-gift",
            kinds=tuple(KINDS.values()),
            entries=gift_card_entries,
            permission=VIEW_GIFT_CARD,
        )
    )
