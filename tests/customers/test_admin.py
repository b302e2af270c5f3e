"""Django admin for customers: list, search, filters, actions; never a hard delete."""

import pytest
from django.contrib.auth.models import Group

from classicpos.roles import MANAGER
from customers.models import Customer
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_superuser=True)
    user.groups.add(Group.objects.get(name=MANAGER))
    client.force_login(user)
    return client


def test_changelist_shows_columns_and_searches(admin_client):
    CustomerFactory(name="Zed Findme", phone="+14155552671")
    CustomerFactory(name="Other Person")
    response = admin_client.get("/admin/customers/customer/", {"q": "findme"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zed Findme" in html
    assert "Other Person" not in html
    assert "(415) 555-2671" in html


def test_filters_by_status(admin_client):
    CustomerFactory(name="Still Here")
    CustomerFactory(name="Gone Quiet", status="inactive")
    html = admin_client.get("/admin/customers/customer/", {"status__exact": "inactive"}).content
    assert b"Gone Quiet" in html
    assert b"Still Here" not in html


def test_add_goes_through_the_service_rules(admin_client):
    response = admin_client.post(
        "/admin/customers/customer/add/",
        {"name": "  Admin Made ", "email": "ADMIN@EXAMPLE.COM", "phone": "415 555 2671"},
    )
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.name, customer.email, customer.phone) == (
        "Admin Made",
        "admin@example.com",
        "+14155552671",
    )


def test_bad_input_shows_the_same_messages_beside_the_fields(admin_client):
    CustomerFactory(name="Owner", email="dup@example.com")
    response = admin_client.post(
        "/admin/customers/customer/add/",
        {"name": " ", "email": "DUP@example.com", "phone": "12"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["name"] == ["Enter a name."]
    assert "already has this email" in errors["email"][0]
    assert errors["phone"][0].startswith("Enter a valid phone number")
    assert Customer.objects.count() == 1


def test_deactivate_and_restore_actions(admin_client):
    customer = CustomerFactory()
    admin_client.post(
        "/admin/customers/customer/",
        {"action": "deactivate_selected", "_selected_action": [customer.pk]},
    )
    customer.refresh_from_db()
    assert customer.status == "inactive"
    admin_client.post(
        "/admin/customers/customer/",
        {"action": "restore_selected", "_selected_action": [customer.pk]},
    )
    customer.refresh_from_db()
    assert customer.status == "active"


def test_no_hard_delete_from_the_admin(admin_client):
    customer = CustomerFactory()
    response = admin_client.get(f"/admin/customers/customer/{customer.pk}/delete/")
    assert response.status_code == 403
    response = admin_client.post(
        "/admin/customers/customer/",
        {"action": "delete_selected", "_selected_action": [customer.pk], "post": "yes"},
    )
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_points_cannot_be_edited_in_the_admin(admin_client):
    customer = CustomerFactory(name="Pat Points", loyalty_points=40)
    url = f"/admin/customers/customer/{customer.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="loyalty_points"' not in page  # shown read-only, never an input
    assert "40" in page
    response = admin_client.post(
        url,
        {"name": "Pat Renamed", "email": "", "phone": "", "address": "", "loyalty_points": 999},
    )
    assert response.status_code == 302  # the rest of the form saved...
    customer.refresh_from_db()
    assert customer.name == "Pat Renamed"
    assert customer.loyalty_points == 40  # ...but points change only through the ledger


def test_change_form_shows_the_phone_in_national_format(admin_client):
    customer = CustomerFactory(name="Phoned", phone="+14155552671")
    html = admin_client.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()
    assert 'value="(415) 555-2671"' in html
    assert "+14155552671" not in html


def test_admin_search_matches_words_in_any_order_and_phone_digits(admin_client):
    CustomerFactory(name="Isla Davis", phone="+14155550008")
    CustomerFactory(name="Isla Brown", phone="+14155550222")
    for term in ("davis isla", "isla 0008", "555-0008"):
        html = admin_client.get("/admin/customers/customer/", {"q": term}).content.decode()
        assert "Isla Davis" in html, term
        assert "Isla Brown" not in html, term
