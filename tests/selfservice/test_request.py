"""The public "email me a link" form: the same answer for every address, and rate limits."""

import re

import pytest
from django.core import mail

from messaging.delivery import messages_deliver
from messaging.models import Message
from selfservice import services
from selfservice.models import LinkRequest
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db
ANSWER = b"If we know this address, we have sent a link to it."


def ask(client, email, address="203.0.113.7"):
    return client.post("/my/", {"email": email}, REMOTE_ADDR=address)


def _answer_text(response) -> str:
    """The page without its CSRF tokens (which differ per response)."""
    content = re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def test_the_form_answers_the_same_for_known_and_unknown_addresses(client, ada):
    known = ask(client, "ADA@example.com ", address="203.0.113.1")
    unknown = ask(client, "nobody@example.com", address="203.0.113.2")
    assert known.status_code == unknown.status_code == 200
    assert ANSWER in known.content
    assert _answer_text(known) == _answer_text(unknown)
    # Only the known address gets mail.
    messages_deliver()
    assert [email.to for email in mail.outbox] == [["ada@example.com"]]
    assert "/my/" in mail.outbox[0].body


def test_the_form_page_is_public_and_private(client):
    response = client.get("/my/")
    assert response.status_code == 200
    assert b"Email me a link" in response.content
    assert response["Cache-Control"] == "no-store"


def test_an_inactive_customer_is_not_sent_a_link_from_the_form(client):
    CustomerFactory(email="gone@example.com", status="inactive")
    assert ANSWER in ask(client, "gone@example.com").content
    assert not Message.objects.exists()


@pytest.mark.parametrize("email", ["", "not an address", "a" * 300 + "@example.com"])
def test_a_malformed_address_gets_a_message_beside_the_field(client, email):
    response = ask(client, email)
    assert response.status_code == 400
    assert b'id="id_email-error"' in response.content
    assert not LinkRequest.objects.exists()


def test_one_client_is_limited_whatever_the_addresses(client, ada):
    for number in range(services.REQUESTS_PER_CLIENT):
        assert ask(client, f"someone{number}@example.com").status_code == 200
    refused = ask(client, "ada@example.com")
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert not Message.objects.exists()
    # Another client is not held back.
    assert ask(client, "ada@example.com", address="198.51.100.9").status_code == 200
    assert Message.objects.count() == 1


def test_one_address_is_limited_from_any_client(client, ada):
    for number in range(services.REQUESTS_PER_EMAIL):
        assert ask(client, "ada@example.com", address=f"198.51.100.{number}").status_code == 200
    assert ask(client, "ada@example.com", address="198.51.100.200").status_code == 429
    assert Message.objects.count() == services.REQUESTS_PER_EMAIL


def test_the_limits_hold_for_unknown_addresses_too(client):
    for _ in range(services.REQUESTS_PER_EMAIL):
        ask(client, "nobody@example.com", address="192.0.2.1")
    assert ask(client, "nobody@example.com", address="192.0.2.2").status_code == 429


def test_requests_keep_no_ones_address(client, ada):
    ask(client, "ada@example.com")
    request = LinkRequest.objects.get()
    assert "ada" not in request.email_hash
    assert len(request.email_hash) == 64
