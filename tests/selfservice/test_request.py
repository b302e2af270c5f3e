"""The public "email me a link" form: the same answer for every address, and rate limits."""

import re

import pytest
from django.core import mail

from classicpos.models import ThrottleHit
from messaging.delivery import messages_deliver
from messaging.models import Message
from selfservice import services
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


def test_an_inactive_customer_still_gets_a_link_an_erased_one_does_not(client, manager):
    from customers.erasure import customer_anonymise
    from customers.models import Channel

    CustomerFactory(email="resting@example.com", status="inactive")
    assert ANSWER in ask(client, "resting@example.com").content
    assert Message.objects.get().to == "resting@example.com"
    erased = CustomerFactory(name="Gone Away", email="gone@example.com")
    customer_anonymise(customer=erased, confirm="Gone Away", actor=manager, channel=Channel.PAGE)
    assert ANSWER in ask(client, "gone@example.com").content
    assert Message.objects.count() == 1


@pytest.mark.parametrize("email", ["", "not an address", "a" * 300 + "@example.com"])
def test_a_malformed_address_gets_a_message_beside_the_field(client, email):
    response = ask(client, email)
    assert response.status_code == 400
    assert b'id="id_email-error"' in response.content
    assert not ThrottleHit.objects.exists()


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
    counted = ThrottleHit.objects.get(scope="self-service-address")
    assert "ada" not in counted.client
    assert len(counted.client) == 64


def test_case_and_spaces_do_not_make_a_new_address(client, ada):
    for variant in ("ada@example.com", "ADA@example.com", " Ada@Example.com "):
        assert ask(client, variant, address=f"198.51.100.{len(variant)}").status_code == 200
    assert ask(client, "ada@EXAMPLE.com", address="198.51.100.99").status_code == 429


def test_an_ipv6_client_is_counted_by_its_64(client):
    for number in range(services.REQUESTS_PER_CLIENT):
        ask(client, f"x{number}@example.com", address=f"2001:db8:1:2::{number + 1}")
    refused = ask(client, "y@example.com", address="2001:db8:1:2:ffff::9")
    assert refused.status_code == 429
    assert ask(client, "y@example.com", address="2001:db8:1:3::1").status_code == 200


def test_a_forged_forwarded_for_header_is_not_a_new_client(client, settings):
    settings.CLASSICPOS_PROXY_COUNT = 0
    for number in range(services.REQUESTS_PER_CLIENT):
        client.post(
            "/my/", {"email": f"z{number}@example.com"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"
        )
    refused = client.post("/my/", {"email": "q@example.com"}, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429


def test_the_answer_goes_before_the_lookup(rf, ada):
    """The view answers having looked no one up: the lookup and the sending wait for the
    request's end (request_finished), so a known address answers as fast as an unknown."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from selfservice.views import LinkRequestView

    request = rf.post("/my/", {"email": "ada@example.com"}, REMOTE_ADDR="192.0.2.10")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    with CaptureQueriesContext(connection) as answering:
        response = LinkRequestView.as_view()(request)
        response.render()
    assert response.status_code == 200
    assert not any('"customers"' in query["sql"] for query in answering.captured_queries)
    assert not Message.objects.exists()
    # What request_finished runs once the answer has gone.
    services.send_requested_links()
    assert Message.objects.get().to == "ada@example.com"
