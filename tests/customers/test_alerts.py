"""A customer's note flagged for the till (issue 32 §5): the API, the page, the admin, merges
and erasures all set and keep it by one rule (``customers.alerts``)."""

import pytest

from customers import services
from customers.models import Channel, Customer, CustomerEvent, CustomerEventKind
from customers.validators import MESSAGES
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

NO_NOTE = MESSAGES["alert_without_note"]
MANAGERS_ONLY = "Only a Manager can block sales to a customer or lift a block."


def patch(client, customer, data):
    return client.patch(f"/api/customers/{customer.pk}", data=data, format="json")


# --- the JSON ------------------------------------------------------------------------------


def test_customer_json_has_alert_level_and_text_or_null(manager_client):
    warned = CustomerFactory(note="Pays cash only", note_alert="warn")
    plain = CustomerFactory(note="Likes green")
    # A level left behind without a note (an old row) is no alert.
    empty = Customer.objects.create(name="Flag Only", note_alert="block")
    body = manager_client.get(f"/api/customers/{warned.pk}").json()
    assert body["alert"] == {"level": "warn", "text": "Pays cash only"}
    assert manager_client.get(f"/api/customers/{plain.pk}").json()["alert"] is None
    assert manager_client.get(f"/api/customers/{empty.pk}").json()["alert"] is None
    # The list (what the till's customer box reads, and hands the till at the pick) too.
    rows = manager_client.get("/api/customers").json()["results"]
    assert {row["id"]: row["alert"] for row in rows} == {
        warned.pk: {"level": "warn", "text": "Pays cash only"},
        plain.pk: None,
        empty.pk: None,
    }


def test_alerts_cost_the_tills_customer_search_no_query(cashier_client, django_assert_num_queries):
    """What the till asks as the cashier types (``customer-picker.js``): the alert is read
    from the customer's own row, so a page of flagged customers costs what any page costs."""
    url = "/api/customers?status=active&pageSize=8&search=ann"
    CustomerFactory.create_batch(3, name="Ann Plain", note="Just a note")
    cashier_client.get(url)  # the user's permissions, cached
    with django_assert_num_queries(2) as plain:
        assert len(cashier_client.get(url).json()["results"]) == 3
    Customer.objects.update(note_alert="block")
    with django_assert_num_queries(len(plain)):
        rows = cashier_client.get(url).json()["results"]
    assert [row["alert"]["level"] for row in rows] == ["block"] * 3


def test_alert_with_text_sets_the_note_in_one_request(manager_client):
    response = post_json(
        manager_client,
        "/api/customers",
        {"name": "Barred Bob", "alert": {"level": "block", "text": " Stole a radio "}},
    )
    assert response.status_code == 201, response.content
    assert response.json()["note"] == "Stole a radio"
    assert response.json()["alert"] == {"level": "block", "text": "Stole a radio"}
    customer = Customer.objects.get(name="Barred Bob")
    created = CustomerEvent.objects.get(customer=customer)
    assert created.changes["note_alert"] == [None, "block"]


def test_alert_level_alone_flags_the_note_there_is(manager_client):
    customer = CustomerFactory(note="Owes us for the sofa")
    response = patch(manager_client, customer, {"alert": {"level": "warn"}})
    assert response.status_code == 200, response.content
    assert response.json()["alert"] == {"level": "warn", "text": "Owes us for the sofa"}
    event = CustomerEvent.objects.get(customer=customer, kind=CustomerEventKind.CHANGED)
    assert (event.changes, event.channel) == ({"note_alert": [None, "warn"]}, Channel.API)
    timeline = manager_client.get(f"/api/customers/{customer.pk}/timeline").json()["results"]
    assert timeline[0]["summary"] == "Changed note alert · API"
    assert timeline[0]["changes"] == {"alert.level": [None, "warn"]}


def test_alert_null_lifts_it_and_keeps_the_note(manager_client):
    customer = CustomerFactory(note="Owes us", note_alert="block")
    response = patch(manager_client, customer, {"alert": None})
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert (customer.note, customer.note_alert) == ("Owes us", None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"alert": {"level": "block"}}, "alert"),  # no note to show
        ({"alert": {"level": "warn", "text": "  "}}, "alert"),
        ({"alert": {"level": "loud"}}, "alert.level"),
        ({"alert": {}}, "alert.level"),
        ({"alert": "block"}, "alert.nonFieldErrors"),
        ({"alert": {"level": "warn", "colour": "red"}}, "alert.colour"),
        ({"note": "One", "alert": {"level": "warn", "text": "Two"}}, "alert.text"),
    ],
)
def test_a_bad_alert_is_a_400_naming_the_field(manager_client, data, field):
    customer = CustomerFactory(note=None)
    body = assert_problem(patch(manager_client, customer, data), 400)
    assert set(body["errors"]) == {field}
    customer.refresh_from_db()
    assert customer.note_alert is None
    if "level" in data.get("alert", {}) and field == "alert":
        assert body["errors"]["alert"] == [NO_NOTE]


def test_clearing_the_note_of_a_flagged_customer_is_refused_not_a_silent_unblock(manager_client):
    customer = CustomerFactory(note="Banned", note_alert="block")
    body = assert_problem(patch(manager_client, customer, {"note": ""}), 400)
    assert body["errors"] == {"alert": [NO_NOTE]}
    # Both at once is how it is done.
    response = patch(manager_client, customer, {"note": "", "alert": None})
    assert response.status_code == 200, response.content


def test_put_without_alert_clears_it_like_every_field_left_out(manager_client):
    customer = CustomerFactory(note="Banned", note_alert="block")
    response = manager_client.put(
        f"/api/customers/{customer.pk}", data={"name": customer.name, "note": "Kept"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["alert"] is None
    assert response.json()["note"] == "Kept"


def test_only_a_manager_sets_or_lifts_a_block(cashier_client, manager_client):
    customer = CustomerFactory(note="Shouts at staff")
    body = assert_problem(patch(cashier_client, customer, {"alert": {"level": "block"}}), 400)
    assert body["errors"] == {"alert": [MANAGERS_ONLY]}
    # A warning is anyone's; the event is the Cashier's.
    assert patch(cashier_client, customer, {"alert": {"level": "warn"}}).status_code == 200
    assert patch(manager_client, customer, {"alert": {"level": "block"}}).status_code == 200
    body = assert_problem(patch(cashier_client, customer, {"alert": None}), 400)
    assert body["errors"] == {"alert": [MANAGERS_ONLY]}
    # Editing another field of a blocked customer is still a Cashier's to do.
    assert patch(cashier_client, customer, {"address": "2 Main St"}).status_code == 200
    customer.refresh_from_db()
    assert customer.note_alert == "block"


def test_the_schema_describes_alert(manager_client):
    schema = manager_client.get("/api/schema/?format=json").json()
    schemas = schema["components"]["schemas"]
    level = schemas["Alert"]["properties"]["level"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    assert schemas[level]["enum"] == ["warn", "block"]
    assert schemas["Alert"]["required"] == ["level"]


# --- the pages and the admin -------------------------------------------------------------


def test_page_form_sets_the_alert_and_the_customer_page_shows_it_at_the_top(manager_page):
    customer = CustomerFactory(
        name="Ann Alert", email=None, phone=None, address=None, note="Check ID before a refund"
    )
    response = manager_page.post(
        f"/customers/{customer.pk}/edit/",
        {"name": "Ann Alert", "note": "Check ID before a refund", "note_alert": "warn"},
    )
    assert response.status_code == 302, response.context["form"].errors
    customer.refresh_from_db()
    assert customer.note_alert == "warn"
    event = CustomerEvent.objects.get(customer=customer, kind=CustomerEventKind.CHANGED)
    assert (event.changes, event.channel) == ({"note_alert": [None, "warn"]}, Channel.PAGE)
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    alert = html.index('id="customer-alert"')
    assert alert < html.index("Profile</h2>")
    assert 'role="alert"' in html[alert - 200 : alert]
    assert "Shown at the till" in html
    assert "Check ID before a refund" in html
    form = manager_page.get(f"/customers/{customer.pk}/edit/").content.decode()
    assert '<option value="warn" selected>' in form


def test_the_customer_page_says_a_block_in_red(manager_page):
    customer = CustomerFactory(note="Bounced two cheques", note_alert="block")
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-level="block"' in html
    assert "alert-danger" in html
    assert "Sales blocked at the till: a Manager must allow each sale" in html


def test_page_form_shows_the_alert_rules_beside_the_field(cashier_page):
    customer = CustomerFactory(name="Cal", note=None)
    response = cashier_page.post(
        f"/customers/{customer.pk}/edit/", {"name": "Cal", "note": "", "note_alert": "warn"}
    )
    assert response.context["form"].errors["note_alert"] == [NO_NOTE]
    response = cashier_page.post(
        f"/customers/{customer.pk}/edit/", {"name": "Cal", "note": "Rude", "note_alert": "block"}
    )
    assert response.context["form"].errors["note_alert"] == [MANAGERS_ONLY]
    customer.refresh_from_db()
    assert (customer.note, customer.note_alert) == (None, None)


def test_form_and_api_give_the_same_message_for_an_alert_without_a_note(
    manager_page, manager_client
):
    form_errors = manager_page.post("/customers/new/", {"name": "X", "note_alert": "block"})
    api_errors = post_json(
        manager_client, "/api/customers", {"name": "X", "alert": {"level": "block"}}
    ).json()["errors"]
    assert form_errors.context["form"].errors["note_alert"] == api_errors["alert"] == [NO_NOTE]


def test_admin_sets_the_alert_through_the_service(admin_client):
    customer = CustomerFactory(name="Adam Admin", note="Owes a deposit")
    response = admin_client.post(
        f"/admin/customers/customer/{customer.pk}/change/",
        {
            "name": "Adam Admin",
            "note": "Owes a deposit",
            "note_alert": "block",
            "preferred_contact": "none",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    customer.refresh_from_db()
    assert customer.note_alert == "block"
    event = CustomerEvent.objects.get(customer=customer, kind=CustomerEventKind.CHANGED)
    assert event.channel == Channel.ADMIN


# --- merges and erasures -----------------------------------------------------------------


def test_a_merge_keeps_the_louder_note_with_its_alert(manager):
    survivor = CustomerFactory(note="Likes blue")
    duplicate = CustomerFactory(note="Banned for theft", note_alert="block")
    services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=manager, channel=Channel.API
    )
    survivor.refresh_from_db()
    assert (survivor.note, survivor.note_alert) == ("Banned for theft", "block")


def test_a_merge_told_to_keep_the_other_note_drops_its_alert_with_it(manager):
    survivor = CustomerFactory(note="Likes blue")
    duplicate = CustomerFactory(note="Banned for theft", note_alert="block")
    services.customer_merge(
        survivor=survivor,
        duplicate=duplicate,
        actor=manager,
        channel=Channel.API,
        fields={"note": "survivor"},
    )
    survivor.refresh_from_db()
    assert (survivor.note, survivor.note_alert) == ("Likes blue", None)
    # The alert is not a choice of its own: it goes with its note.
    other = CustomerFactory(note="x")
    with pytest.raises(services.ValidationError):
        services.customer_merge(
            survivor=survivor,
            duplicate=other,
            actor=manager,
            channel=Channel.API,
            fields={"note_alert": "duplicate"},
        )


def test_the_merge_page_shows_the_alert_and_picks_the_louder_note(manager_page):
    first = CustomerFactory(name="Ann One", note="Likes blue")
    second = CustomerFactory(name="Ann Two", note="Banned for theft", note_alert="block")
    response = manager_page.get(f"/customers/{first.pk}/merge/?duplicate={second.pk}")
    html = response.content.decode()
    assert "Sales blocked at the till: a Manager must allow each sale. Banned for theft" in html
    # Kept by default, as the service would: no block is dropped unless someone says so.
    assert response.context["form"].fields["note"].initial == "second"


def test_erasure_clears_the_alert_with_the_note(manager):
    customer = CustomerFactory(name="Eve Erased", note="Banned", note_alert="block")
    services.customer_anonymise(
        customer=customer, confirm="Eve Erased", actor=manager, channel=Channel.API
    )
    customer.refresh_from_db()
    assert (customer.note, customer.note_alert) == (None, None)
