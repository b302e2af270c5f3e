"""Customer pages without a browser: permissions, filters, sorting, empty states, forms."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import services
from customers.models import Customer
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [customer.name for customer in response.context["customers"]]


def test_pages_need_a_login(client):
    response = client.get("/customers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_goes_to_the_customer_list(manager_page):
    assert manager_page.get("/")["Location"] == "/customers/"


def test_login_page_renders_offline_assets(client):
    html = client.get("/accounts/login/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    # No asset from a CDN: read the addresses, not the page's random tokens (a CSRF token
    # once spelled "cdn").
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert not [
        url for url in assets if "cdn" in url.lower() or url.startswith(("http:", "https:", "//"))
    ]


def test_list_searches_filters_and_sorts(manager_page):
    CustomerFactory(name="Bea", loyalty_points=5)
    CustomerFactory(name="adam", loyalty_points=50)
    CustomerFactory(name="Cid", loyalty_points=1, status="inactive")
    # Active customers by default; inactive ones (and all) one click away.
    assert names(manager_page.get("/customers/")) == ["adam", "Bea"]
    assert names(manager_page.get("/customers/?status=active")) == ["adam", "Bea"]
    assert names(manager_page.get("/customers/?status=inactive")) == ["Cid"]
    assert names(manager_page.get("/customers/?status=all")) == ["adam", "Bea", "Cid"]
    assert names(manager_page.get("/customers/?status=all&ordering=-loyaltyPoints")) == [
        "adam",
        "Bea",
        "Cid",
    ]
    assert names(manager_page.get("/customers/?status=all&ordering=-name")) == [
        "Cid",
        "Bea",
        "adam",
    ]
    assert names(manager_page.get("/customers/?search=BE")) == ["Bea"]
    # Unknown values fall back to defaults instead of failing.
    assert names(manager_page.get("/customers/?status=weird&ordering=x&page_size=7")) == [
        "adam",
        "Bea",
    ]


def test_sort_headers_toggle_and_keep_the_filters(manager_page):
    response = manager_page.get("/customers/?search=a&status=active&ordering=name")
    columns = {column["label"]: column for column in response.context["sort_columns"]}
    assert columns["Name"]["aria_sort"] == "ascending"
    assert "ordering=-name" in columns["Name"]["query"]
    assert "search=a" in columns["Name"]["query"]
    assert "status=active" in columns["Points"]["query"]
    assert "ordering=-loyaltyPoints" in columns["Points"]["query"]


def test_inactive_rows_are_marked_with_a_badge_and_muted(manager_page):
    CustomerFactory(name="Gone Quiet", status="inactive")
    html = manager_page.get("/customers/?status=all").content.decode()
    assert 'class="row-inactive"' in html
    assert "Inactive</span>" in html


def test_pagination_and_page_size(manager_page):
    CustomerFactory.create_batch(12)
    response = manager_page.get("/customers/?page_size=10&page=2")
    assert len(response.context["customers"]) == 2
    assert "Page 2 of 2" in response.content.decode()


def test_list_query_count_is_constant(manager_page, django_assert_num_queries):
    manager_page.get("/customers/")
    CustomerFactory.create_batch(5)
    with CaptureQueriesContext(connection) as five:
        manager_page.get("/customers/")
    baseline = len(five.captured_queries)
    # Session, user, perms (1), the Tag filter's choices, whether to offer the store
    # filters (a chain of several stores), count, page.
    assert baseline == 7
    CustomerFactory.create_batch(45)
    with django_assert_num_queries(baseline):
        manager_page.get("/customers/?page_size=100")


def test_htmx_search_returns_only_the_results(manager_page):
    CustomerFactory(name="Partial Pete")
    response = manager_page.get(
        "/customers/?search=pete", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results"
    )
    html = response.content.decode()
    assert "Partial Pete" in html
    assert "<html" not in html


def test_empty_states(manager_page):
    assert "No customers yet" in manager_page.get("/customers/").content.decode()
    CustomerFactory(name="Someone")
    html = manager_page.get("/customers/?search=nobody").content.decode()
    assert "No customers match" in html
    assert "Clear search" in html


def test_detail_shows_every_field(manager_page):
    customer = CustomerFactory(
        name="Dee Tail", email="dee@example.com", phone="+14155552671", address="1 Main St"
    )
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    for text in ("Dee Tail", "dee@example.com", "(415) 555-2671", "1 Main St", "Active"):
        assert text in html
    assert manager_page.get("/customers/999999/").status_code == 404


def test_add_and_edit_use_one_form_and_the_service(manager_page):
    response = manager_page.post(
        "/customers/new/", {"name": " New  Person ", "email": "NEW@example.com", "phone": ""}
    )
    customer = Customer.objects.get()
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.name == "New Person"
    assert customer.email == "new@example.com"
    response = manager_page.post(
        f"/customers/{customer.pk}/edit/", {"name": "Renamed", "email": "", "phone": "415 555 2671"}
    )
    customer.refresh_from_db()
    assert (customer.name, customer.email, customer.phone) == ("Renamed", None, "+14155552671")


def test_form_and_api_give_the_same_message_for_the_same_bad_input(manager_page, manager_client):
    bad = {"name": "", "email": "nope", "phone": "12", "address": "x" * 501}
    form_errors = manager_page.post("/customers/new/", bad).context["form"].errors
    api_errors = manager_client.post(
        "/api/customers", data=json.dumps(bad), content_type="application/json"
    ).json()["errors"]
    for field in ("name", "email", "phone", "address"):
        assert form_errors[field] == api_errors[field], field
    assert Customer.objects.count() == 0


def test_duplicate_email_links_to_the_owner_and_offers_restore(manager_page):
    owner = CustomerFactory(name="Old Owner", email="dup@example.com", status="inactive")
    response = manager_page.post("/customers/new/", {"name": "Another", "email": "DUP@example.com"})
    html = response.content.decode()
    assert "Old Owner (customer #" in html
    assert f'href="/customers/{owner.pk}/"' in html
    assert f'action="/customers/{owner.pk}/restore/"' in html


def test_duplicate_email_links_to_its_owner_even_one_decided_apart(manager_page, manager):
    """The owner of an email is who has it, whatever the duplicate finder may offer."""
    owner = CustomerFactory(name="Email Owner", email="taken@example.com")
    editing = CustomerFactory(name="Household Member")
    services.customer_mark_distinct(customer=editing, other=owner, actor=manager, channel="page")
    response = manager_page.post(
        f"/customers/{editing.pk}/edit/", {"name": "Household Member", "email": "Taken@Example.com"}
    )
    assert response.context["email_owner"] == owner
    assert f'href="/customers/{owner.pk}/"' in response.content.decode()


def test_duplicates_while_typing(manager_page):
    CustomerFactory(name="Jon Smith", email="jon@example.com", phone="+14155552671")
    html = manager_page.get(
        "/customers/duplicates/", {"name": "John Smith", "phone": "415-555-2671"}
    ).content.decode()
    assert "Jon Smith" in html
    assert "same phone" in html
    assert "similar name" in html
    html = manager_page.get("/customers/duplicates/", {"email": "JON@example.com"}).content.decode()
    assert "same email" in html
    assert manager_page.get("/customers/duplicates/", {"name": "Zz"}).content.strip() == b""


def test_duplicates_exclude_the_customer_being_edited(manager_page):
    me = CustomerFactory(name="Solo Person", email="solo@example.com")
    html = manager_page.get(
        "/customers/duplicates/", {"email": "solo@example.com", "exclude": me.pk}
    ).content.decode()
    assert "Solo Person" not in html


def test_deactivate_confirmation_page_then_post(manager_page):
    customer = CustomerFactory(name="Leaving Lou")
    html = manager_page.get(f"/customers/{customer.pk}/deactivate/").content.decode()
    assert "Deactivate Leaving Lou?" in html
    response = manager_page.post(f"/customers/{customer.pk}/deactivate/", {"next": "/customers/"})
    assert response["Location"] == "/customers/"
    customer.refresh_from_db()
    assert customer.status == "inactive"
    response = manager_page.post(f"/customers/{customer.pk}/restore/", follow=True)
    customer.refresh_from_db()
    assert customer.status == "active"
    assert "Restored Leaving Lou." in response.content.decode()


def test_deactivate_ignores_an_offsite_next(manager_page):
    customer = CustomerFactory()
    response = manager_page.post(
        f"/customers/{customer.pk}/deactivate/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/customers/{customer.pk}/"


@pytest.mark.parametrize("next_value", ["-1", "²", "customers", "a\x00b", "//evil.example/"])
def test_deactivate_with_a_next_that_is_no_path_goes_to_the_customer(manager_page, next_value):
    customer = CustomerFactory()
    response = manager_page.post(f"/customers/{customer.pk}/deactivate/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"


@pytest.mark.parametrize("exclude", ["²", "-1", "9" * 30, "x"])
def test_duplicates_with_an_exclude_that_is_no_id_still_answer(manager_page, exclude):
    CustomerFactory(name="Solo Person", email="solo@example.com")
    response = manager_page.get(
        "/customers/duplicates/", {"email": "solo@example.com", "exclude": exclude}
    )
    assert response.status_code == 200
    assert "Solo Person" in response.content.decode()


def test_cashier_cannot_deactivate_or_restore(cashier_page):
    customer = CustomerFactory()
    assert "Deactivate" not in cashier_page.get(f"/customers/{customer.pk}/").content.decode()
    assert "Deactivate" not in cashier_page.get("/customers/").content.decode()
    assert cashier_page.post(f"/customers/{customer.pk}/deactivate/").status_code == 403
    assert cashier_page.post(f"/customers/{customer.pk}/restore/").status_code == 403
    customer.refresh_from_db()
    assert customer.status == "active"


def test_forbidden_and_missing_pages_are_friendly(cashier_page):
    forbidden = cashier_page.get(f"/customers/{CustomerFactory().pk}/deactivate/")
    assert forbidden.status_code == 403
    assert "You can't do that" in forbidden.content.decode()
    missing = cashier_page.get("/no-such-page/")
    assert missing.status_code == 404
    assert "couldn't find that page" in missing.content.decode()


def test_messages_render_as_toasts(manager_page):
    response = manager_page.post("/customers/new/", {"name": "Toast Person"}, follow=True)
    html = response.content.decode()
    assert 'class="toast' in html
    assert "Added Toast Person." in html


def test_a_search_that_only_finds_inactive_customers_says_so(manager_page):
    CustomerFactory(name="Active Ann")
    CustomerFactory(name="Quiet Quinn", status="inactive")
    html = manager_page.get("/customers/?search=quinn").content.decode()
    assert "No active customers match" in html
    assert "1 inactive customer matches" in html
    assert 'href="?search=quinn&amp;status=inactive"' in html
    assert names(manager_page.get("/customers/?search=quinn&status=inactive")) == ["Quiet Quinn"]


def test_a_shop_whose_customers_are_all_inactive_is_not_called_empty(manager_page):
    CustomerFactory(name="Quiet Quinn", status="inactive")
    html = manager_page.get("/customers/").content.decode()
    assert "No customers yet" not in html
    assert "1 inactive customer." in html


def test_status_is_one_click_away(manager_page):
    html = manager_page.get("/customers/").content.decode()
    for value in ("active", "inactive", "all"):
        assert f'id="status-{value}" value="{value}"' in html
    assert 'id="status-active" value="active" autocomplete="off" checked' in html


def test_failed_submit_keeps_the_duplicates_panel(manager_page):
    CustomerFactory(name="Grace Existing", email="grace@example.com", phone="+14155552671")
    response = manager_page.post(
        "/customers/new/", {"name": "Grace Existin", "email": "GRACE@example.com", "phone": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    panel = html[html.index('id="duplicate-warnings"') :]
    assert "Possible duplicate" in panel
    assert "Grace Existing" in panel
    assert "same email, similar name" in panel


def test_focus_goes_to_the_first_field_in_error(manager_page):
    response = manager_page.post(
        "/customers/new/", {"name": "Fine Name", "email": "not-an-email", "phone": "12"}
    )
    form = response.context["form"]
    assert "autofocus" not in form.fields["name"].widget.attrs
    assert form.fields["email"].widget.attrs.get("autofocus") is True
    assert "autofocus" not in form.fields["phone"].widget.attrs
    html = response.content.decode()
    email_input = re.search(r'<input type="email"[^>]*>', html).group(0)
    assert "autofocus" in email_input


def test_a_shared_phone_is_saved_only_after_save_anyway(manager_page):
    grace = CustomerFactory(name="Grace Existing", phone="+14155552671")
    data = {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "415 555 2671"}
    response = manager_page.post("/customers/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Customer.objects.filter(name="Ada Lovelace").exists()
    assert "Is this a different person?" in html
    assert "Add anyway" in html
    assert f'name="confirmed_duplicates" value="{grace.pk}"' in html

    # A confirmation for someone else, or a tampered one, asks again.
    for confirmed in (str(grace.pk + 1000), f"{grace.pk}²", "x"):
        response = manager_page.post("/customers/new/", {**data, "confirmed_duplicates": confirmed})
        assert response.status_code == 200, confirmed
    assert not Customer.objects.filter(name="Ada Lovelace").exists()

    response = manager_page.post("/customers/new/", {**data, "confirmed_duplicates": str(grace.pk)})
    ada = Customer.objects.get(name="Ada Lovelace")
    assert response["Location"] == ada.get_absolute_url()
    assert ada.phone == grace.phone


def test_a_confirmation_survives_a_field_error_on_the_same_submit(manager_page):
    grace = CustomerFactory(name="Grace Existing", phone="+14155552671")
    data = {"name": "Ada", "email": "bad", "phone": "4155552671"}
    response = manager_page.post("/customers/new/", {**data, "confirmed_duplicates": str(grace.pk)})
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert f'name="confirmed_duplicates" value="{grace.pk}"' in html
    assert "Is this a different person?" not in html


def test_editing_a_customer_who_keeps_a_shared_phone_asks_nothing(manager_page):
    CustomerFactory(name="Grace Existing", phone="+14155552671")
    twin = CustomerFactory(name="Grace Twin", phone="+14155552671")
    response = manager_page.post(
        f"/customers/{twin.pk}/edit/", {"name": "Grace Twin II", "phone": "(415) 555-2671"}
    )
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.name == "Grace Twin II"


def test_the_api_saves_a_shared_phone_without_asking(manager_client):
    CustomerFactory(name="Grace Existing", phone="+14155552671")
    response = manager_client.post(
        "/api/customers", {"name": "Ada", "phone": "415 555 2671"}, format="json"
    )
    assert response.status_code == 201


def test_detail_shows_the_points_balance_once(manager_page):
    customer = CustomerFactory(name="Pointy", loyalty_points=0)
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    assert html.count("Loyalty balance") + html.count("Balance:") == 1
