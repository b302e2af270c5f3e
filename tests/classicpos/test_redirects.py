"""``next`` after a POST: one ``safe_next`` for every app, a path on this site or the fallback."""

import pytest

from tests.accounting.helpers import give_credit, sell_on_account
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

NOT_A_PATH = ["-1", "²", "customers", "//evil.example/", "https://evil.example/x"]


def _posts(shop_rows):
    """Return ``(url, data, fallback)`` of each page that goes back to ``next``."""
    lead, activity, invoice = shop_rows
    customer = activity.customer
    return [
        (f"/customers/{customer.pk}/deactivate/", {}, customer.get_absolute_url()),
        (f"/customers/{customer.pk}/restore/", {}, customer.get_absolute_url()),
        (f"/crm/leads/{lead.pk}/status/", {"status": "contacted"}, "/crm/leads/board/"),
        (f"/crm/activities/{activity.pk}/done/", {}, "/crm/tasks/"),
        (
            f"/invoices/{invoice.pk}/payments/",
            {"amount": "1.00", "method": "cash", "confirmed": "1"},
            None,
        ),
    ]


@pytest.fixture
def shop_rows(cashier):
    customer = CustomerFactory()
    give_credit(customer, "100.00", None)
    sale = sell_on_account(customer, "20.00", cashier)
    return LeadFactory(), ActivityFactory(customer=customer), sale.invoice


@pytest.mark.parametrize("next_value", NOT_A_PATH)
def test_a_next_that_is_not_a_path_here_goes_to_the_page_s_own_fallback(
    client, manager, shop_rows, next_value
):
    client.force_login(manager)
    for url, data, fallback in _posts(shop_rows):
        response = client.post(url, {**data, "next": next_value})
        assert response.status_code == 302, (url, next_value)
        expected = fallback or shop_rows[2].get_absolute_url()
        assert response["Location"] == expected, (url, next_value)


def test_a_path_on_this_site_is_where_the_page_goes_back_to(client, manager, shop_rows):
    client.force_login(manager)
    for url, data, _fallback in _posts(shop_rows):
        response = client.post(url, {**data, "next": "/customers/?page=2"})
        assert response["Location"] == "/customers/?page=2", url
