"""The rules of self-service links: sending, opening, revoking, and the public request.

A link is a random 256-bit token; the database keeps its SHA-256 only. It opens one
customer's page until it expires (``CLASSICPOS_SELF_SERVICE_LINK_DAYS``) or staff revoke
the customer's links; a merge or an erasure revokes them too. Whatever is wrong with a
link (unknown, tampered, expired, revoked, a closed customer) it opens nothing, and
the page says the same for each.

The public form answers the same whether or not it knows the address, counts every
request, known or not, against its limits, and looks the address up only once its
answer has gone: the answer, its timing and the limits tell an outsider nothing about
who is a customer.
"""

import hashlib
import ipaddress
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from classicpos.throttling import hit_allowed
from customers.events import record_event
from customers.locks import customer_lock
from customers.models import Channel, Customer, CustomerEventKind
from customers.services import customer_is_closed, customer_update
from customers.validators import normalize_email
from messaging.models import SECRET_MARK, Message, MessageKind
from messaging.services import message_enqueue
from selfservice.models import SelfServiceLink

logger = logging.getLogger(__name__)
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


def _token_hash(text: str) -> str:
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
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.CLASSICPOS_SELF_SERVICE_LINK_DAYS),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        sent_to_hash=_address_key(customer.email),
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
    """Revoke every usable link of ``customer``; return how many. Revoking none records nothing.

    The customer is locked first: a link being sent at the same moment is either revoked
    with the rest or sent after the revocation, never left working unseen.
    """
    customer = customer_lock(customer)
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


def customer_for_link_request(email: str) -> Customer | None:
    """The customer a typed address names, if any and not merged or erased (an inactive
    customer keeps the right to see their data)."""
    if not email:
        return None
    customer = Customer.objects.filter(email=email).first()
    if customer is None or customer_is_closed(customer):
        return None
    return customer


def link_open(token: str) -> SelfServiceLink | None:
    """Return the usable link ``token`` opens, with its customer; None for anything else.

    A link opens only while the customer's email is still the address it was sent to:
    a changed address (a typo fixed, or a new owner of the record's email) stops the
    links the old one received.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = (
        SelfServiceLink.objects.usable()
        .select_related("customer")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if link is None or customer_is_closed(link.customer):
        return None
    if link.sent_to_hash != _address_key(link.customer.email or ""):
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


def _client_key(client: str) -> str:
    """The client a limit counts: an IPv6 address by its /64 (one household, one network),
    anything else as given."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client[:100]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _address_key(email: str) -> str:
    """What the per-address limit counts: a keyed hash, so the table holds no one's email
    (and a plain hash of a guessed address would not find it either)."""
    return salted_hmac("selfservice.link_request", email, algorithm="sha256").hexdigest()


_requested = threading.local()


def link_request(*, email: str, client: str, site_url: str) -> None:
    """The public form: count the request against its limits, and send a link after the
    answer has gone (``send_requested_links``) if the address is a customer's.

    Raises ``TooManyRequests`` when this client or this address asked too often in
    the last hour. Known or not, the request does the same work before the answer: the
    lookup and the sending wait until the answer has left, so its timing tells nothing.
    """
    try:
        email = normalize_email(email) or ""
    except ValidationError:
        email = str(email).strip().lower()
    for scope, key, limit in (
        ("self-service-client", _client_key(client), REQUESTS_PER_CLIENT),
        ("self-service-address", _address_key(email), REQUESTS_PER_EMAIL),
    ):
        allowed, _wait = hit_allowed(scope=scope, client=key, limit=limit, window=REQUEST_WINDOW)
        if not allowed:
            raise TooManyRequests
    _requested.__dict__.setdefault("links", []).append((email, site_url))


def forget_requested_links(**kwargs) -> None:
    """``request_started``: a request never carries another's requests over."""
    _requested.__dict__.pop("links", None)


def send_requested_links(**kwargs) -> None:
    """``request_finished``: send the links the public form was asked for, once its answer
    has gone. A failure is logged: the customer asks again."""
    for email, site_url in _requested.__dict__.pop("links", []):
        try:
            customer = customer_for_link_request(email)
            if customer is not None:
                link_send(
                    customer=customer, actor=None, channel=Channel.CUSTOMER, site_url=site_url
                )
        except Exception:
            logger.exception("A requested self-service link was not sent.")
