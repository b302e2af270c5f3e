"""Reads of the outbox: the Managers' list and one customer's messages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from messaging.models import Message


@dataclass(frozen=True)
class MessageFilters:
    customer_id: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


def message_list(*, filters: MessageFilters | None = None) -> QuerySet[Message]:
    """Return messages newest first, narrowed by ``filters``."""
    filters = filters or MessageFilters()
    messages = Message.objects.select_related("customer", "sale", "created_by").order_by(
        "-created_at", "-pk"
    )
    if filters.customer_id is not None:
        messages = messages.filter(customer_id=filters.customer_id)
    if filters.created_after is not None:
        messages = messages.filter(created_at__gte=filters.created_after)
    if filters.created_before is not None:
        messages = messages.filter(created_at__lte=filters.created_before)
    return messages
