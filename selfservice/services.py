"""The rules of self-service links: sending, opening, revoking, and the public request.

A link is a random 256-bit token; the database keeps its SHA-256 only. It opens one
customer's page until it expires (``CLASSICPOS_SELF_SERVICE_LINK_DAYS``) or staff revoke
the customer's links; a merge or an erasure revokes them too. Whatever is wrong with a
link (unknown, tampered, expired, revoked, a closed customer) it opens nothing, and
the page says the same for each.

The public form answers the same whether or not it knows the address, and counts
every request, known or not, against its limits: the answer and the limits tell an
outsider nothing about who is a customer.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from customers.events import record_event
from customers.locks import customer_lock
from customers.models import Channel, Customer, CustomerEventKind, CustomerStatus
from customers.services import customer_is_closed, customer_update
from customers.validators import normalize_email
from messaging.models import SECRET_MARK, Message, MessageKind
from messaging.services import message_enqueue
from selfservice.models import LinkRequest, SelfServiceLink

NO_EMAIL = "This customer has no email address: add one before sending a link."
CLOSED = "This customer was merged or erased: no link can be sent."
# The public form: requests per client address, and per address typed, in a window.
REQUESTS_PER_CLIENT = 5
REQUESTS_PER_EMAIL = 3
REQUEST_WINDOW = timedelta(hours=1)
# The consents the customer may give or withdraw on their page, and how the page names them.
CONSENTS = {
    "email_consent": "News and offers by email",
    "sms_consent": "News and offers by text message",
}


@dataclass(frozen=True)
class SentLink:
    link: SelfServiceLink
    message: Message


class TooManyRequests(Exception):
    """The public form was used too often from this client, or for this address."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link_url(token: str, *, site_url: str) -> str:
    """Return the page's address for ``token``, on ``CLASSICPOS_SITE_URL`` when it is set."""
    base = settings.CLASSICPOS_SITE_URL or site_url.rstrip("/")
    return base + reverse("selfservice:page", args=[token])


def _link_email(customer: Customer, url: str, expires_at) -> tuple[str, str, str]:
    context = {
        "customer": customer,
        "url": url,
        "expires_at": expires_at,
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
    }
    return (
        f"Your page at {settings.CLASSICPOS_SHOP_NAME}",
        render_to_string("selfservice/link_email.txt", context),
        render_to_string("selfservice/link_email.html", context),
    )


@transaction.atomic
def link_send(*, customer: Customer, actor, channel: str, site_url: str) -> SentLink:
    """Create a link to ``customer``'s page and queue the email that carries it.

    The link, the message and the ``customer.self_service_link_sent`` event are
    written together or not at all. ``ValidationError`` keyed ``email`` when the
    customer has no address, or was merged or erased.
    """
    customer = customer_lock(customer)
    if customer_is_closed(customer):
        raise ValidationError({"email": [CLOSED]})
    if not customer.email:
        raise ValidationError({"email": [NO_EMAIL]})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = SelfServiceLink.objects.create(
        customer=customer,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.CLASSICPOS_SELF_SERVICE_LINK_DAYS),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    # The bodies kept in the outbox hold SECRET_MARK where the token goes (messaging puts
    # it in when it sends): no Manager and no data export reads a working link.
    url = link_url(SECRET_MARK, site_url=site_url)
    subject, text, html = _link_email(customer, url, link.expires_at)
    message = message_enqueue(
        kind=MessageKind.SELF_SERVICE_LINK,
        to=customer.email,
        subject=subject,
        text_body=text,
        html_body=html,
        customer=customer,
        created_by=link.created_by,
        secret=token,
    )
    record_event(
        customer,
        CustomerEventKind.SELF_SERVICE_LINK_SENT,
        actor=actor,
        channel=channel,
        changes={"expiresAt": link.expires_at.isoformat()},
    )
    return SentLink(link=link, message=message)


@transaction.atomic
def links_revoke(*, customer: Customer, actor, channel: str) -> int:
    """Revoke every usable link of ``customer``; return how many. Revoking none records nothing."""
    revoked = (
        SelfServiceLink.objects.filter(customer=customer).usable().update(revoked_at=timezone.now())
    )
    if revoked:
        record_event(
            customer,
            CustomerEventKind.SELF_SERVICE_LINK_REVOKED,
            actor=actor,
            channel=channel,
            changes={"revoked": revoked},
        )
    return revoked


def link_open(token: str) -> SelfServiceLink | None:
    """Return the usable link ``token`` opens, with its customer; None for anything else."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = (
        SelfServiceLink.objects.usable()
        .select_related("customer")
        .filter(token_hash=_hash(token))
        .first()
    )
    if link is None or customer_is_closed(link.customer):
        return None
    return link


@transaction.atomic
def page_viewed(*, link: SelfServiceLink) -> None:
    """Record a view of the page: an event on the customer's timeline, and on the link."""
    SelfServiceLink.objects.filter(pk=link.pk).update(last_viewed_at=timezone.now())
    record_event(
        link.customer, CustomerEventKind.SELF_SERVICE_VIEWED, actor=None, channel=Channel.CUSTOMER
    )


def consent_set(*, link: SelfServiceLink, consent: str, given: bool) -> Customer:
    """Give or withdraw one marketing consent, as the customer (channel "customer")."""
    if consent not in CONSENTS:
        raise ValidationError({"consent": ["Choose a consent the page shows."]})
    return customer_update(
        customer=link.customer, data={consent: given}, actor=None, channel=Channel.CUSTOMER
    )


def link_request(*, email: str, client: str, site_url: str) -> None:
    """Send a link to the customer with ``email``, if there is one: the public form.

    Raises ``TooManyRequests`` when this client or this address asked too often in
    the last hour; a malformed address is treated as an unknown one.
    """
    try:
        email = normalize_email(email) or ""
    except ValidationError:
        email = str(email).strip().lower()
    email_hash = _hash(email)
    now = timezone.now()
    with transaction.atomic():
        recent = LinkRequest.objects.filter(at__gte=now - REQUEST_WINDOW)
        if (
            recent.filter(client=client[:64])[:REQUESTS_PER_CLIENT].count() >= REQUESTS_PER_CLIENT
            or recent.filter(email_hash=email_hash)[:REQUESTS_PER_EMAIL].count()
            >= REQUESTS_PER_EMAIL
        ):
            raise TooManyRequests
        LinkRequest.objects.create(at=now, client=client[:64], email_hash=email_hash)
        LinkRequest.objects.filter(at__lt=now - REQUEST_WINDOW * 24).delete()
        customer = (
            Customer.objects.filter(email=email, status=CustomerStatus.ACTIVE).first()
            if email
            else None
        )
        if customer is not None:
            link_send(customer=customer, actor=None, channel=Channel.CUSTOMER, site_url=site_url)
