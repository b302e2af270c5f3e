"""The email that tells a customer their points expire soon.

``loyalty`` sends ``points_expiring`` from its daily job and names no module above
it; this receiver queues the notice in that job's transaction, so the notice is
recorded as given exactly when its email is queued. Only an active customer with an
email address who agreed to email gets one: the issue's "customers who agreed to
email", the same consent a self-service link's customer gives.
"""

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string

from loyalty.signals import points_expiring
from messaging.models import MessageKind
from messaging.services import message_enqueue


@receiver(points_expiring, dispatch_uid="messaging_points_expiry_notice")
def queue_points_expiry_notice(sender, customer, points, on, **kwargs):
    if not (customer.email and customer.email_consent and customer.is_active):
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
