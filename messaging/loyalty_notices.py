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


@receiver(points_expiring, dispatch_uid="messaging_points_expiry_notice")
def queue_points_expiry_notice(sender, customer, points, on, **kwargs):
    if not _may_email(customer):
        return
    context = {
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
        "customer": customer,
        "points": points,
        "on": on,
    }
    message_enqueue(
        kind=MessageKind.POINTS_EXPIRY,
        to=customer.email,
        subject=f"{points} of your points expire on {on:%-d %b %Y}",
        text_body=render_to_string("messaging/points_expiry_email.txt", context),
        html_body=render_to_string("messaging/points_expiry_email.html", context),
        customer=customer,
    )


@receiver(birthday_rewarded, dispatch_uid="messaging_birthday_greeting")
def queue_birthday_greeting(sender, customer, points, greeting, voucher=None, **kwargs):
    if not (greeting and _may_email(customer)):
        return
    context = {
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
        "customer": customer,
        "points": points,
        "balance": customer.loyalty_points,
        "voucher": voucher,
    }
    message_enqueue(
        kind=MessageKind.BIRTHDAY,
        to=customer.email,
        subject=f"Happy birthday from {settings.CLASSICPOS_SHOP_NAME}",
        text_body=render_to_string("messaging/birthday_email.txt", context),
        html_body=render_to_string("messaging/birthday_email.html", context),
        customer=customer,
    )
