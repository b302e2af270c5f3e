"""The navbar shows each app's links to those who may open them, and marks the page they are on."""

import re

import pytest
from django.contrib.auth.models import Permission

from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _links(client, path: str) -> dict[str, bool]:
    """The navbar's links on ``path``: label -> whether it is marked as the page now."""
    page = client.get(path).content.decode()
    navbar = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    return {
        label.strip(): "active" in classes
        for classes, label in re.findall(
            r'class="nav-link([^"]*)"[^>]*>\s*<i [^>]*></i>([^<]+)</a>', navbar
        )
    }


def _staff_with(*permissions: str):
    user = UserFactory()
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def test_a_user_without_crm_or_invoices_permissions_is_not_offered_them(client):
    client.force_login(_staff_with("customers.view_customer", "sales.add_sale", "sales.view_sale"))
    assert list(_links(client, "/customers/")) == ["Customers", "Checkout", "Sales"]


def test_each_link_needs_its_own_permission(client):
    client.force_login(_staff_with("customers.view_customer", "crm.view_lead"))
    assert list(_links(client, "/customers/")) == ["Customers", "CRM"]
    client.force_login(_staff_with("customers.view_customer", "accounting.view_invoice"))
    assert list(_links(client, "/customers/")) == ["Customers", "Invoices"]


def test_a_manager_sees_every_link_in_order(client, manager):
    client.force_login(manager)
    assert list(_links(client, "/customers/")) == [
        "Customers",
        "Checkout",
        "Sales",
        "CRM",
        "Invoices",
        "Gift cards",
        "Tiers",
        "Stores",
        "Locked logins",
        "Admin",
    ]


def test_the_page_the_user_is_on_is_marked(client, manager):
    customer = CustomerFactory()
    client.force_login(manager)

    def active(path):
        return [label for label, is_active in _links(client, path).items() if is_active]

    # Customers is every page under /customers/; the till and the sales list only themselves.
    assert active("/customers/") == ["Customers"]
    assert active(f"/customers/{customer.pk}/") == ["Customers"]
    assert active("/checkout/") == ["Checkout"]
    assert active("/sales/") == ["Sales"]
    assert active("/sales/approval-pin/") == []
    assert active("/crm/leads/") == ["CRM"]
    assert active("/invoices/") == ["Invoices"]
    assert active("/gift-cards/liability/") == ["Gift cards"]
    assert active("/accounts/lockouts/") == ["Locked logins"]


def test_the_users_name_leads_to_their_approval_pin_only_if_they_approve_refunds(
    client, manager, cashier
):
    client.force_login(manager)
    assert 'href="/sales/approval-pin/" title="Your approval PIN"' in (
        client.get("/customers/").content.decode()
    )
    client.force_login(cashier)
    page = client.get("/customers/").content.decode()
    assert "/sales/approval-pin/" not in page
    assert '<span class="navbar-text text-light"><i class="bi bi-person-circle"' in page
