"""Customers with data for their own page, and how a test reads the link an email carries."""

import re

import pytest
from django.core import mail

from messaging.delivery import messages_deliver
from messaging.models import Message, MessageKind
from tests.customers.factories import CustomerFactory

LINK = re.compile(r"(https?://[^\s\"<]+/my/([A-Za-z0-9_-]+)/)")


@pytest.fixture
def ada(db):
    return CustomerFactory(name="Ada Lovelace", email="ada@example.com", email_consent=False)


def sent_link() -> tuple[str, str]:
    """Deliver the outbox as the worker does and return the (url, token) of the latest
    self-service email that reached the mail server (Django's test outbox)."""
    messages_deliver()
    email = [sent for sent in mail.outbox if "/my/" in sent.body][-1]
    match = LINK.search(email.body)
    assert match, email.body
    assert match.group(1) in email.alternatives[0][0]
    # The outbox keeps the bodies without the token, and forgets it once sent.
    message = Message.objects.get(pk=int(email.extra_headers["X-ClassicPOS-Message"]))
    assert message.kind == MessageKind.SELF_SERVICE_LINK
    assert match.group(2) not in message.text_body + message.html_body
    assert message.secret == ""
    return match.group(1), match.group(2)
