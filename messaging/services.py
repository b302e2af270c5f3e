"""Every write of the outbox: queueing a message, and the worker's claim and outcome.

``message_enqueue`` joins the caller's transaction: a message is written with what
caused it or not at all (a sale rolled back leaves no receipt behind). The worker's
writes are in ``messaging.delivery``, which owns the claim and its lease.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from customers.models import Channel
from customers.permissions import CHANGE_CUSTOMER
from customers.services import customer_update
from customers.validators import normalize_email
from messaging.models import SECRET_MARK, Message, MessageKind, MessageState
from messaging.receipts import receipt_message
from sales.models import Sale

NO_EMAIL = "This sale has no customer with an email: type the address to send it to."
NOTHING_TO_SAVE = "Type the address to save on the customer."
NO_CUSTOMER_TO_SAVE = "This sale has no customer to save the address on."
MAY_NOT_SAVE = "You may not change customers' details: send it without saving."
ONLY_FAILED = "Only a failed message can be sent again."
ALREADY_SENT_AGAIN = "This message was already sent again: see the newer one."
NO_ADDRESS_LEFT = "The customer's personal data was erased: there is no address to send to."
SEND_A_NEW_LINK = "A self-service link's email cannot be sent again: send the customer a new link."


def message_enqueue(
    *,
    kind: str,
    to: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    customer=None,
    sale=None,
    created_by=None,
    secret: str = "",
) -> Message:
    """Queue a rendered message for the worker, in the caller's transaction if there is one.

    A ``secret`` (a link's token) is left out of the bodies kept: they hold
    ``SECRET_MARK`` where it goes, and the worker puts it in when it sends.
    """
    if secret and SECRET_MARK not in text_body:
        raise ValueError("A message with a secret must mark where it goes (SECRET_MARK).")
    with transaction.atomic():
        return Message.objects.create(
            kind=kind,
            to=to,
            subject=subject[:200],
            text_body=text_body,
            html_body=html_body,
            customer=customer,
            sale=sale,
            created_by=created_by,
            secret=secret,
        )


def receipt_recipient(*, sale: Sale, email: str | None) -> str:
    """Return where ``sale``'s receipt goes: a typed address, else its customer's own email.

    A typed address is used for this message only: it is saved on no customer.
    """
    if email is not None and str(email).strip():
        return normalize_email(email)
    if sale.customer_id and sale.customer.email:
        return sale.customer.email
    raise ValidationError({"email": NO_EMAIL})


def _save_address(*, sale: Sale, email: str | None, user, channel: str) -> None:
    """Save the typed address as the sale's customer's email: the cashier asked, and says the
    customer agreed. Through the customer services, so it is validated and on the timeline."""
    if not (email and str(email).strip()):
        raise ValidationError({"save_to_customer": [NOTHING_TO_SAVE]})
    if not sale.customer_id:
        raise ValidationError({"save_to_customer": [NO_CUSTOMER_TO_SAVE]})
    if not user.has_perm(CHANGE_CUSTOMER):
        raise ValidationError({"save_to_customer": [MAY_NOT_SAVE]})
    sale.customer = customer_update(
        customer=sale.customer, data={"email": email}, actor=user, channel=channel
    )


@transaction.atomic
def receipt_email(
    *,
    sale: Sale,
    email: str | None = None,
    user,
    save_to_customer: bool = False,
    channel: str = Channel.PAGE,
) -> Message:
    """Queue ``sale``'s receipt by email; ``ValidationError`` keyed ``email`` when it has nowhere
    to go. A typed address is for this message only, unless ``save_to_customer`` (the customer
    agreed): then it becomes their email in the same transaction as the message."""
    try:
        to = receipt_recipient(sale=sale, email=email)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"email": error.messages}) from None
    if save_to_customer:
        typed = email is not None and str(email).strip()
        _save_address(sale=sale, email=to if typed else None, user=user, channel=channel)
    rendered = receipt_message(sale=sale, names_customer=settings.CLASSICPOS_RECEIPT_NAMES_CUSTOMER)
    return message_enqueue(
        kind=MessageKind.RECEIPT,
        to=to,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        customer=sale.customer,
        sale=sale,
        created_by=user,
    )


@transaction.atomic
def message_send_again(*, message: Message, user) -> Message:
    """Queue a failed message again, as a new message (the failed one keeps its error).

    A message whose secret was blanked (a self-service link) cannot be rebuilt: its
    link must be sent anew. An erased customer's messages have no address left.
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != MessageState.FAILED:
        raise ValidationError({"state": [ONLY_FAILED]})
    if Message.objects.filter(resend_of=message).exists():
        raise ValidationError({"state": [ALREADY_SENT_AGAIN]})
    if not message.to:
        raise ValidationError({"to": [NO_ADDRESS_LEFT]})
    if message.kind == MessageKind.SELF_SERVICE_LINK:
        raise ValidationError({"kind": [SEND_A_NEW_LINK]})
    again = message_enqueue(
        kind=message.kind,
        to=message.to,
        subject=message.subject,
        text_body=message.text_body,
        html_body=message.html_body,
        customer=message.customer,
        sale=message.sale,
        created_by=user,
    )
    again.resend_of = message
    again.save(update_fields=["resend_of"])
    return again
