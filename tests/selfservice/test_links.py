"""Self-service links: sending, opening, expiry, revocation, tampering, merge and erasure."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import Channel, CustomerEvent, CustomerEventKind
from customers.services import customer_deactivate
from messaging.models import Message, MessageKind
from selfservice import services
from selfservice.models import SelfServiceLink
from tests.customers.factories import CustomerFactory
from tests.selfservice.conftest import sent_link

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"


def send(customer, actor=None, channel=Channel.PAGE):
    return services.link_send(customer=customer, actor=actor, channel=channel, site_url=SITE)


def test_a_link_is_emailed_and_opens_the_customers_page(client, ada, manager):
    sent = send(ada, manager)
    message = Message.objects.get()
    assert (message.kind, message.to, message.customer) == (
        MessageKind.SELF_SERVICE_LINK,
        "ada@example.com",
        ada,
    )
    url, token = sent_link()
    assert url == f"http://testserver/my/{token}/"
    assert sent.link.expires_at - sent.link.created_at == timedelta(days=7)
    # The database keeps no token: only its hash.
    assert token not in SelfServiceLink.objects.get().token_hash
    response = client.get(f"/my/{token}/")
    assert response.status_code == 200
    assert b"Hello, Ada Lovelace" in response.content
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "strict-origin"
    kinds = list(CustomerEvent.objects.filter(customer=ada).values_list("kind", "channel"))
    assert (CustomerEventKind.SELF_SERVICE_LINK_SENT, Channel.PAGE) in kinds
    assert (CustomerEventKind.SELF_SERVICE_VIEWED, Channel.CUSTOMER) in kinds


def test_every_view_of_the_page_is_an_event(client, ada):
    send(ada)
    _url, token = sent_link()
    for _ in range(3):
        assert client.get(f"/my/{token}/").status_code == 200
    views = CustomerEvent.objects.filter(customer=ada, kind=CustomerEventKind.SELF_SERVICE_VIEWED)
    assert views.count() == 3
    assert SelfServiceLink.objects.get().last_viewed_at is not None


def test_the_link_lasts_the_days_the_setting_says(ada, settings):
    settings.CLASSICPOS_SELF_SERVICE_LINK_DAYS = 2
    link = send(ada).link
    assert link.expires_at - link.created_at == timedelta(days=2)


def test_the_site_url_setting_names_the_links_address(ada, settings):
    settings.CLASSICPOS_SITE_URL = "https://shop.example.com"
    send(ada)
    url, token = sent_link()
    assert url == f"https://shop.example.com/my/{token}/"


def test_a_customer_without_email_gets_no_link(db):
    customer = CustomerFactory(email=None)
    with pytest.raises(ValidationError) as refused:
        send(customer)
    assert "email" in refused.value.message_dict
    assert not Message.objects.exists()
    assert not SelfServiceLink.objects.exists()


def _shows_nothing(client, token, name="Ada"):
    response = client.get(f"/my/{token}/")
    assert response.status_code == 404
    assert name.encode() not in response.content
    assert b"This link does not open a page" in response.content
    return response


def test_an_expired_link_shows_nothing(client, ada):
    send(ada)
    _url, token = sent_link()
    SelfServiceLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _shows_nothing(client, token)
    assert client.get(f"/my/{token}/data/").status_code == 404


def test_a_revoked_link_shows_nothing_and_revoking_is_recorded(client, ada, manager):
    send(ada)
    send(ada)
    _url, token = sent_link()
    assert services.links_revoke(customer=ada, actor=manager, channel=Channel.PAGE) == 2
    _shows_nothing(client, token)
    assert CustomerEvent.objects.filter(
        customer=ada, kind=CustomerEventKind.SELF_SERVICE_LINK_REVOKED
    ).exists()
    # Revoking again stops nothing and records nothing more.
    assert services.links_revoke(customer=ada, actor=manager, channel=Channel.PAGE) == 0
    assert (
        CustomerEvent.objects.filter(kind=CustomerEventKind.SELF_SERVICE_LINK_REVOKED).count() == 1
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:-5],
        lambda token: token + "x",
        lambda token: "x" * 200,
        lambda token: "%00",
    ],
)
def test_a_tampered_link_shows_nothing(client, ada, tamper):
    send(ada)
    _url, token = sent_link()
    _shows_nothing(client, tamper(token))
    assert not CustomerEvent.objects.filter(kind=CustomerEventKind.SELF_SERVICE_VIEWED).exists()


def test_a_link_shows_its_own_customer_only(client, ada):
    grace = CustomerFactory(name="Grace Hopper", email="grace@example.com")
    send(ada)
    _url, ada_token = sent_link()
    send(grace)
    _url, grace_token = sent_link()
    page = client.get(f"/my/{ada_token}/").content.decode()
    assert "Ada Lovelace" in page
    assert "Grace" not in page
    assert "grace@" not in page
    assert "Grace Hopper" in client.get(f"/my/{grace_token}/").content.decode()


def test_a_deactivated_customer_still_sees_their_page(client, ada, manager):
    send(ada)
    _url, token = sent_link()
    customer_deactivate(customer=ada, actor=manager, channel=Channel.PAGE)
    assert client.get(f"/my/{token}/").status_code == 200


def test_an_erasure_revokes_the_links(client, ada, manager):
    from customers.erasure import customer_anonymise

    send(ada)
    _url, token = sent_link()
    customer_anonymise(customer=ada, confirm="Ada Lovelace", actor=manager, channel=Channel.PAGE)
    _shows_nothing(client, token)


def test_a_merge_revokes_the_duplicates_links(client, ada, manager):
    from customers.services import customer_merge

    survivor = CustomerFactory(name="Ada King", email="king@example.com")
    send(ada)
    _url, token = sent_link()
    customer_merge(survivor=survivor, duplicate=ada, actor=manager, channel=Channel.PAGE)
    _shows_nothing(client, token)


def test_consents_are_given_and_withdrawn_as_the_customer(client, ada):
    send(ada)
    _url, token = sent_link()
    response = client.post(
        f"/my/{token}/consents/", {"consent": "email_consent", "given": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert b"News and offers by email: yes" in response.content
    ada.refresh_from_db()
    assert ada.email_consent is True
    change = CustomerEvent.objects.get(customer=ada, kind=CustomerEventKind.CHANGED)
    assert change.channel == Channel.CUSTOMER
    assert change.actor is None
    assert change.changes == {"email_consent": [False, True]}
    client.post(f"/my/{token}/consents/", {"consent": "email_consent", "given": "no"})
    ada.refresh_from_db()
    assert ada.email_consent is False


@pytest.mark.parametrize(
    "body",
    [
        {"consent": "name", "given": "yes"},
        {"consent": "email_consent", "given": "maybe"},
        {},
    ],
)
def test_a_bad_consent_post_changes_nothing(client, ada, body):
    send(ada)
    _url, token = sent_link()
    response = client.post(f"/my/{token}/consents/", body, follow=True)
    assert response.status_code == 200
    assert b"nothing was changed" in response.content
    assert not CustomerEvent.objects.filter(kind=CustomerEventKind.CHANGED).exists()


def test_a_consent_post_with_a_bad_link_changes_nothing(client, ada):
    response = client.post("/my/" + "a" * 43 + "/consents/", {"consent": "email_consent"})
    assert response.status_code == 404
    ada.refresh_from_db()
    assert ada.email_consent is False


def test_the_customer_downloads_their_data_from_the_page(client, ada):
    send(ada)
    _url, token = sent_link()
    response = client.get(f"/my/{token}/data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    export = response.json()
    assert export["customer"]["email"] == "ada@example.com"
    # The export lists the link, never its token.
    assert token not in response.content.decode()
    assert export["sections"]["selfServiceLinks"][0]["revokedAt"] is None
    download = CustomerEvent.objects.get(kind=CustomerEventKind.DATA_EXPORTED)
    assert download.channel == Channel.CUSTOMER
    zipped = client.get(f"/my/{token}/data/?format=zip")
    assert zipped["Content-Type"] == "application/zip"


def test_a_changed_email_stops_the_links_the_old_address_got(client, ada, manager):
    from customers.services import customer_update

    send(ada)
    _url, token = sent_link()
    customer_update(
        customer=ada, data={"email": "ada.new@example.com"}, actor=manager, channel=Channel.PAGE
    )
    _shows_nothing(client, token)
    send(ada)
    _url, new_token = sent_link()
    assert client.get(f"/my/{new_token}/").status_code == 200


@pytest.mark.parametrize("stop", ["revoke", "erase", "expire"])
def test_a_stopped_link_neither_downloads_nor_changes_consents(client, ada, manager, stop):
    from customers.erasure import customer_anonymise

    send(ada)
    _url, token = sent_link()
    if stop == "revoke":
        services.links_revoke(customer=ada, actor=manager, channel=Channel.PAGE)
    elif stop == "erase":
        customer_anonymise(
            customer=ada, confirm="Ada Lovelace", actor=manager, channel=Channel.PAGE
        )
    else:
        SelfServiceLink.objects.update(expires_at=timezone.now())
    assert client.get(f"/my/{token}/data/").status_code == 404
    consent = client.post(f"/my/{token}/consents/", {"consent": "email_consent", "given": "yes"})
    assert consent.status_code == 404
    ada.refresh_from_db()
    assert ada.email_consent is False
    assert not CustomerEvent.objects.filter(kind=CustomerEventKind.DATA_EXPORTED).exists()
