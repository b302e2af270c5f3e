"""Customer 360: every change to a customer is an immutable event with its actor and channel;
tags, consent, birthday, preferred contact and note go through the one validation path."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group

from classicpos.immutable import ImmutableRowError
from classicpos.roles import MANAGER
from customers import services
from customers.importing import customer_import
from customers.models import Customer, CustomerEvent, Tag
from customers.validators import MESSAGES
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def events(customer) -> list[CustomerEvent]:
    return list(CustomerEvent.objects.filter(customer=customer).order_by("id"))


def kinds(customer) -> list[str]:
    return [event.kind for event in events(customer)]


def patch_json(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


# --- an event per service and channel ----------------------------------------------------


def test_create_on_the_page_records_who_and_the_values(manager_page, manager):
    response = manager_page.post(
        "/customers/new/",
        {"name": "Ann Page", "email": "ann@example.com", "email_consent": "on", "tags": "VIP"},
    )
    assert response.status_code == 302
    customer = Customer.objects.get(email="ann@example.com")
    (event,) = events(customer)
    assert (event.kind, event.actor, event.channel) == ("customer.created", manager, "page")
    assert event.changes["name"] == [None, "Ann Page"]
    assert event.changes["email_consent"] == [None, True]
    assert event.changes["tags"] == [None, ["VIP"]]


def test_update_through_the_api_records_old_and_new_per_field(manager_client, manager):
    customer = CustomerFactory(name="Old Name", phone="+14155550101")
    response = patch_json(
        manager_client,
        f"/api/customers/{customer.pk}",
        {"name": "New Name", "marketingConsent": {"sms": True}, "birthday": "1985-03-14"},
    )
    assert response.status_code == 200, response.content
    (event,) = events(customer)
    assert (event.kind, event.actor, event.channel) == ("customer.changed", manager, "api")
    assert event.changes == {
        "name": ["Old Name", "New Name"],
        "sms_consent": [False, True],
        "birthday": [None, "1985-03-14"],
    }
    body = response.json()
    assert body["marketingConsent"] == {"email": False, "sms": True}
    assert body["birthday"] == "1985-03-14"


def test_a_save_that_changes_nothing_records_nothing(manager_client):
    customer = CustomerFactory(name="Same")
    patch_json(manager_client, f"/api/customers/{customer.pk}", {"name": "  Same "})
    assert events(customer) == []


def test_admin_changes_are_recorded_with_the_admin_channel(client):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    boss.groups.add(Group.objects.get(name=MANAGER))
    client.force_login(boss)
    customer = CustomerFactory(name="Adm In", email=None, phone=None, address=None)
    response = client.post(
        f"/admin/customers/customer/{customer.pk}/change/",
        {
            "name": "Adm In",
            "email": "",
            "phone": "",
            "address": "",
            "birthday": "",
            "preferred_contact": "sms",
            "email_consent": "on",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    (event,) = events(customer)
    assert (event.kind, event.actor, event.channel) == ("customer.changed", boss, "admin")
    assert event.changes == {
        "preferred_contact": ["none", "sms"],
        "email_consent": [False, True],
    }


def test_deactivate_and_restore_are_recorded_once_each(manager_client, manager):
    customer = CustomerFactory()
    manager_client.delete(f"/api/customers/{customer.pk}")
    manager_client.delete(f"/api/customers/{customer.pk}")  # idempotent: no second event
    post_json(manager_client, f"/api/customers/{customer.pk}/restore", {})
    assert kinds(customer) == ["customer.deactivated", "customer.restored"]
    assert {event.actor for event in events(customer)} == {manager}


def test_merge_records_on_both_customers(manager):
    survivor = CustomerFactory(name="Keep Me", email=None)
    duplicate = CustomerFactory(name="Keep Me Too", email="dup@example.com")
    services.customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel="page")
    (merged,) = events(survivor)
    assert merged.kind == "customer.merged"
    assert merged.other_customer_id == duplicate.pk
    assert merged.changes["email"] == [None, "dup@example.com"]
    (away,) = events(duplicate)
    assert (away.kind, away.other_customer_id) == ("customer.merged_away", survivor.pk)


def test_anonymise_blanks_personal_data_in_the_history(manager):
    customer = services.customer_create(
        name="Erase Me", email="erase@example.com", actor=manager, channel="page"
    )
    services.customer_update(
        customer=customer, data={"email": "new@example.com"}, actor=manager, channel="page"
    )
    services.customer_anonymise(customer=customer, confirm="Erase Me", actor=manager, channel="api")
    history = events(customer)
    assert [event.kind for event in history] == [
        "customer.created",
        "customer.changed",
        "customer.anonymised",
    ]
    assert "erase@example.com" not in json.dumps([event.changes for event in history])
    assert history[1].changes == {"email": [None, None]}


def test_import_records_created_and_changed_with_the_import_channel(manager):
    existing = CustomerFactory(name="Old", email="old@example.com")
    text = (
        "name,email,tags,emailConsent\nOld Two,old@example.com,,yes\nNew,new@example.com,VIP,no\n"
    )
    report = customer_import(file=io.BytesIO(text.encode()), user=manager)
    assert (report.created, report.updated) == (1, 1), report.errors
    (changed,) = events(existing)
    assert (changed.kind, changed.channel, changed.actor) == ("customer.changed", "import", manager)
    assert changed.changes["email_consent"] == [False, True]
    new = Customer.objects.get(email="new@example.com")
    (created,) = events(new)
    assert (created.kind, created.channel) == ("customer.created", "import")
    assert new.tag_name_list() == ["VIP"]


def test_lead_conversion_records_the_crm_channel(manager_client, manager):
    from tests.crm.factories import LeadFactory

    lead = LeadFactory(name="Lead Person", email="lead@example.com")
    response = post_json(manager_client, f"/api/leads/{lead.pk}/convert", {})
    assert response.status_code in (200, 201), response.content
    customer = Customer.objects.get(email="lead@example.com")
    (event,) = events(customer)
    assert (event.kind, event.actor, event.channel) == ("customer.created", manager, "api")


# --- events are immutable ------------------------------------------------------------------


def test_events_are_never_changed_or_deleted(manager):
    customer = services.customer_create(name="Fixed", actor=manager, channel="command")
    (event,) = events(customer)
    event.kind = "customer.restored"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        CustomerEvent.objects.filter(pk=event.pk).update(kind="customer.restored")
    with pytest.raises(ImmutableRowError):
        CustomerEvent.objects.filter(pk=event.pk).delete()
    assert CustomerEvent.objects.get(pk=event.pk).kind == "customer.created"


def test_events_are_read_only_in_the_admin(admin_client_for_events):
    customer = CustomerFactory()
    services.customer_deactivate(customer=customer, actor=None, channel="command")
    event = CustomerEvent.objects.get(customer=customer)
    page = admin_client_for_events.get(f"/admin/customers/customerevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    deleted = admin_client_for_events.post(
        f"/admin/customers/customerevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert CustomerEvent.objects.filter(pk=event.pk).exists()


@pytest.fixture
def admin_client_for_events(client):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    client.force_login(boss)
    return client


# --- tags, consent and the profile fields: one validation path ----------------------------


def test_only_a_manager_changes_tags(cashier_client, manager_client):
    customer = CustomerFactory()
    refused = patch_json(cashier_client, f"/api/customers/{customer.pk}", {"tags": ["VIP"]})
    body = assert_problem(refused, 400)
    assert body["errors"]["tags"] == ["Only a Manager can change a customer's tags."]
    assert Tag.objects.count() == 0
    done = patch_json(manager_client, f"/api/customers/{customer.pk}", {"tags": ["VIP", "vip "]})
    assert done.status_code == 200
    assert done.json()["tags"] == ["VIP"]
    # A name in another case finds the same tag.
    other = CustomerFactory()
    patch_json(manager_client, f"/api/customers/{other.pk}", {"tags": ["vip"]})
    assert Tag.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"birthday": "1985-02-30"}, "birthday", MESSAGES["birthday_invalid"]),
        ({"birthday": "2999-01-01"}, "birthday", MESSAGES["birthday_range"]),
        ({"note": "x" * 2001}, "note", MESSAGES["note_too_long"]),
        ({"tags": ["a" * 41]}, "tags", MESSAGES["tag_too_long"]),
        ({"tags": ["a,b"]}, "tags", MESSAGES["tag_separator"]),
    ],
)
def test_profile_rules_say_the_same_in_the_api_and_on_the_page(
    manager_client, manager_page, data, field, message
):
    customer = CustomerFactory(name="Rule Check")
    api = patch_json(manager_client, f"/api/customers/{customer.pk}", data)
    assert assert_problem(api, 400)["errors"][field] == [message]
    if data.get("tags") == ["a,b"]:
        return  # the page splits tags at commas: two tags, no error to show there
    form_value = ", ".join(data[field]) if field == "tags" else data[field]
    page = manager_page.post(
        f"/customers/{customer.pk}/edit/", {"name": "Rule Check", field: form_value}
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert events(customer) == []


def test_birthday_and_consent_through_the_form_and_the_api_agree(manager_page, manager_client):
    customer = CustomerFactory(name="Both Ways")
    manager_page.post(
        f"/customers/{customer.pk}/edit/",
        {
            "name": "Both Ways",
            "birthday": "1990-07-04",
            "sms_consent": "on",
            "preferred_contact": "sms",
            "note": "Prefers mornings",
        },
    )
    body = manager_client.get(f"/api/customers/{customer.pk}").json()
    assert body["birthday"] == "1990-07-04"
    assert body["marketingConsent"] == {"email": False, "sms": True}
    assert body["preferredContact"] == "sms"
    assert body["note"] == "Prefers mornings"
    customer.refresh_from_db()
    assert customer.birthday == datetime.date(1990, 7, 4)
    assert customer.birthday_md == 704


def test_the_quick_add_at_the_till_asks_only_for_contact_fields(cashier_page):
    html = cashier_page.get("/checkout/").content.decode()
    assert 'name="quick-add-name"' in html
    assert 'name="quick-add-birthday"' not in html
    assert 'name="quick-add-tags"' not in html
