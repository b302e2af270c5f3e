"""A customer's messages in their timeline: one entry per message, its address masked."""

from django.urls import reverse

from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source
from messaging.masking import mask_email
from messaging.models import Message, MessageState
from messaging.permissions import VIEW_MESSAGE

SOURCE = "messaging.message"
KINDS = {state: f"message.{state}" for state in MessageState.values}


def summary(message: Message) -> str:
    """Say what became of the message in one line, the address masked."""
    what = f"{message.get_kind_display()}{f' {message.sale.number}' if message.sale_id else ''}"
    to = mask_email(message.to) or "an erased address"
    if message.state == MessageState.SENT:
        return f"{what} emailed to {to}"
    if message.state == MessageState.FAILED:
        return f"{what} to {to} not sent: {message.last_error}"
    tries = (
        f" (attempt {message.attempts} failed: {message.last_error})" if message.attempts else ""
    )
    return f"{what} to {to} waiting to be sent{tries}"


def message_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's messages before the cursor, newest first, in one query."""
    wanted = [state for state, name in KINDS.items() if page.wants(name)]
    if not wanted:
        return []
    rows = Message.objects.filter(customer=page.customer).filter(
        page.before(SOURCE, at="created_at")
    )
    if len(wanted) < len(KINDS):
        rows = rows.filter(state__in=wanted)
    rows = rows.select_related("sale", "created_by").order_by("-created_at", "-pk")
    link = reverse("messaging:list")
    return [
        TimelineEntry(
            at=row.created_at,
            kind=KINDS[row.state],
            summary=summary(row),
            source=SOURCE,
            id=row.pk,
            actor=row.created_by.get_username() if row.created_by_id else None,
            link=f"{link}?customer={row.customer_id}",
        )
        for row in rows[: page.limit]
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=SOURCE,
            label="Messages",
            icon="bi-envelope",
            kinds=tuple(KINDS.values()),
            entries=message_entries,
            permission=VIEW_MESSAGE,
        )
    )
