"""The emails loyalty's daily jobs ask for: points expiring soon, a birthday greeting.

``loyalty`` sends ``points_expiring`` from its daily job and names no module above
it; this receiver queues the notice in that job's transaction, so the notice is
recorded as given exactly when its email is queued. Only an active customer with an
email address who agreed to email gets one: the issue's "customers who agreed to
email", the same consent a self-service link's customer gives. The greeting rides on
the birthday reward's transaction the same way, when the program asks for it.
"""

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string

from loyalty.signals import birthday_rewarded, points_expiring
from messaging.models import MessageKind
from messaging.services import message_enqueue


def _may_email(customer) -> bool:
    return bool(customer.email and customer.email_consent and customer.is_active)


def _queue(kind: str, customer, subject: str, template: str, **context) -> None:
    """Queue ``template``'s text and HTML email to the customer, in the caller's transaction."""
    context = {"shop_name": settings.CLASSICPOS_SHOP_NAME, "customer": customer, **context}
    message_enqueue(
        kind=kind,
        to=customer.email,
        subject=subject,
        text_body=render_to_string(f"messaging/{template}.txt", context),
        html_body=render_to_string(f"messaging/{template}.html", context),
        customer=customer,
    )


@receiver(points_expiring, dispatch_uid="messaging_points_expiry_notice")
def queue_points_expiry_notice(sender, customer, points, on, **kwargs):
    if not _may_email(customer):
        return
    _queue(
        MessageKind.POINTS_EXPIRY,
        customer,
        f"{points} of your points expire on {on:%-d %b %Y}",
        "points_expiry_email",
        points=points,
        on=on,
    )


@receiver(birthday_rewarded, dispatch_uid="messaging_birthday_greeting")
def queue_birthday_greeting(sender, customer, points, greeting, voucher=None, **kwargs):
    if not (greeting and _may_email(customer)):
        return
    _queue(
        MessageKind.BIRTHDAY,
        customer,
        f"Happy birthday from {settings.CLASSICPOS_SHOP_NAME}",
        "birthday_email",
        points=points,
        balance=customer.loyalty_points,
        voucher=voucher,
    )
