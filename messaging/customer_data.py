"""How messages take part in a merge, an erasure and "Download my data".

A merge moves the duplicate's messages to the survivor (they were sent to that person).
An erasure keeps each message's row, kind, state and sale (what the shop did stays on
the books) but blanks the address and both bodies, and a message still waiting is not
sent: it fails with the reason. The customer's own data export lists every message sent
to them, the address whole (it is theirs) and the text as sent.
"""

from customers.extensions import (
    AnonymiseStep,
    DataExportSection,
    MergeStep,
    register_anonymise_step,
    register_data_export_section,
    register_merge_step,
)
from messaging.models import Message, MessageState

ERASED = "Not sent: the customer's personal data was erased."


def merge_messages(*, duplicate, survivor, user) -> None:
    Message.objects.filter(customer=duplicate).update(customer=survivor)


def count_messages(*, customer) -> list[tuple[str, int]]:
    return [("messages", Message.objects.filter(customer=customer).count())]


def anonymise_messages(*, customer, user) -> None:
    messages = Message.objects.filter(customer=customer)
    messages.filter(state=MessageState.QUEUED).update(state=MessageState.FAILED, last_error=ERASED)
    messages.update(to="", text_body="", html_body="", secret="")


def export_messages(*, customer) -> list[dict]:
    """Return the customer's messages, oldest first, in one query."""
    messages = (
        Message.objects.filter(customer=customer)
        .select_related("sale")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": message.pk,
            "kind": message.kind,
            "to": message.to,
            "subject": message.subject,
            "state": message.state,
            "attempts": message.attempts,
            "lastError": message.last_error,
            "saleNumber": message.sale.number if message.sale_id else None,
            "createdAt": message.created_at,
            "sentAt": message.sent_at,
            "text": message.text_body,
        }
        for message in messages
    ]


def connect() -> None:
    register_merge_step(
        MergeStep(
            name="messaging",
            merge=merge_messages,
            count=count_messages,
            moves=("messages",),
            order=80,
        )
    )
    register_anonymise_step(AnonymiseStep(name="messaging", anonymise=anonymise_messages, order=80))
    register_data_export_section(
        DataExportSection(
            name="messages",
            label="Messages",
            rows=export_messages,
            models=("messaging.Message",),
            order=80,
        )
    )
