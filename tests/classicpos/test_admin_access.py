"""The Django admin is for Managers (and superusers): a Cashier neither sees nor enters it."""

import pytest

from customers.models import Customer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/customers/customer/", "/admin/customers/customer/add/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_cashier_is_refused_every_admin_page(cashier_page, path):
    response = cashier_page.get(path)
    assert response.status_code == 403
    assert "You can't do that" in response.content.decode()


def test_cashier_cannot_add_a_customer_through_the_admin(cashier_page):
    response = cashier_page.post(
        "/admin/customers/customer/add/", {"name": "Sneaky Sam", "email": "", "phone": ""}
    )
    assert response.status_code == 403
    assert not Customer.objects.exists()


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_manager_uses_the_admin(manager_page, path):
    assert manager_page.get(path).status_code == 200


def test_superuser_without_a_role_uses_the_admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get("/admin/customers/customer/").status_code == 200


def test_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/customers/customer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/").status_code == 200


def test_cashier_may_still_log_out_from_the_admin(cashier_page):
    response = cashier_page.post("/admin/logout/")
    assert response.status_code == 302
    assert cashier_page.get("/customers/").status_code == 302


def test_navbar_offers_admin_to_managers_only(client, manager, cashier):
    client.force_login(manager)
    assert 'href="/admin/"' in client.get("/customers/").content.decode()
    client.force_login(cashier)
    html = client.get("/customers/").content.decode()
    assert 'href="/admin/"' not in html
    assert "Customers" in html
