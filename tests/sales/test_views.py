"""Sales pages without a browser: checkout, receipt, list, refund, the Orders panel."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


def test_checkout_page_offers_every_registered_method_with_its_flags(cashier_page):
    response = cashier_page.get("/checkout/")
    assert response.status_code == 200
    methods = {m["value"]: m for m in json.loads(response.context["methods_json"])}
    assert list(methods)[:2] == ["cash", "card"]
    assert methods["cash"]["needsCustomer"] is False
    assert methods["points"]["needsCustomer"] is True  # offered once a customer is chosen
    assert "api-client.js" in response.content.decode()
    assert "loyalty/checkout-points.js" in response.content.decode()  # loyalty's widget


def test_receipt_shows_lines_totals_payments_and_points(cashier_page, cashier):
    customer = CustomerFactory(name="Receipt Rae")
    sale = ring_up(customer=customer, price="12.34", cashier=cashier, quantity=2)
    html = cashier_page.get(f"/sales/{sale.pk}/").content.decode()
    for text in (sale.number, "Receipt Rae", "24.68", "Paid by cash", "Points earned", "Print"):
        assert text in html
    assert "Manager approval" in html  # a cashier's refund needs a Manager's password


@pytest.mark.parametrize("names_customer", [False, True])
def test_the_paper_receipt_names_the_customer_only_when_the_shop_says_so(
    cashier_page, cashier, settings, names_customer
):
    settings.CLASSICPOS_RECEIPT_NAMES_CUSTOMER = names_customer
    sale = ring_up(customer=CustomerFactory(name="Private Pat"), price="5.00", cashier=cashier)
    html = cashier_page.get(f"/sales/{sale.pk}/").content.decode()
    line = html[html.index('id="receipt-customer"') - 80 : html.index("Private Pat")]
    assert "Private Pat" in html  # the cashier on screen still sees whose sale it is
    assert ("d-print-none" in line) is not names_customer


def test_receipt_prints_the_shops_details_and_the_points_balance(cashier_page, cashier, settings):
    settings.CLASSICPOS_SHOP_ADDRESS = "1 Market St, Springfield"
    settings.CLASSICPOS_SHOP_PHONE = "555-0100"
    settings.CLASSICPOS_SHOP_TAX_ID = "US-12-3456789"
    customer = CustomerFactory(name="Paper Pat")
    ring_up(customer=customer, price="7.00", cashier=cashier)
    sale = ring_up(customer=customer, price="5.00", cashier=cashier)
    html = cashier_page.get(f"/sales/{sale.pk}/").content.decode()
    for text in ("1 Market St, Springfield", "Tel. 555-0100", "Tax ID US-12-3456789"):
        assert text in html
    assert 'data-fact="points-balance">12<' in html  # 7 earned before, 5 with this sale
    assert 'class="print-as-text"' in html


def test_completed_flag_shows_a_toast_once(cashier_page, cashier):
    sale = ring_up(customer=None, price="1.00", cashier=cashier)
    response = cashier_page.get(f"/sales/{sale.pk}/?completed=1", follow=True)
    assert "Sale recorded." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/sales/{sale.pk}/"


def test_sales_list_filters_and_constant_queries(manager_page, cashier, django_assert_num_queries):
    ann = CustomerFactory(name="Ann")
    ring_up(customer=ann, price="5.00", cashier=cashier)
    ring_up(customer=None, price="6.00", cashier=cashier)
    assert len(manager_page.get(f"/sales/?customer={ann.pk}").context["sales"]) == 1
    assert len(manager_page.get("/sales/?status=refunded").context["sales"]) == 0
    assert len(manager_page.get("/sales/?from=2000-01-01&to=2999-01-01").context["sales"]) == 2
    with CaptureQueriesContext(connection) as few:
        manager_page.get("/sales/")
    baseline = len(few.captured_queries)
    assert baseline == 5  # session, user, perms (1), count, page of sales
    for _ in range(6):
        ring_up(customer=CustomerFactory(), price="1.00", cashier=cashier)
    with django_assert_num_queries(baseline):
        manager_page.get("/sales/")


def test_sales_list_empty_state(manager_page):
    assert "No sales found" in manager_page.get("/sales/").content.decode()


def test_manager_refunds_from_the_receipt(manager_page, cashier):
    sale = ring_up(customer=None, price="10.00", cashier=cashier, quantity=3)
    line = sale.lines.get()
    assert "Refund" in manager_page.get(f"/sales/{sale.pk}/").content.decode()
    assert manager_page.get(f"/sales/{sale.pk}/refund/").status_code == 200
    response = manager_page.post(
        f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1", "reason": "Chipped"}, follow=True
    )
    assert "Refunded $10.00 on" in response.content.decode()
    sale.refresh_from_db()
    assert sale.status == "partially_refunded"
    response = manager_page.post(f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "9"}, follow=True)
    assert "Only 2 of" in response.content.decode()


def test_cashier_cannot_refund_without_a_managers_approval(cashier_page, cashier):
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    line = sale.lines.get()
    response = cashier_page.post(f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1"})
    assert response.status_code == 200  # the form again, asking for the approval
    assert "Manager approval" in response.content.decode()
    assert Sale.objects.get().status == "completed"


def test_orders_panel_on_the_customer_page(cashier_page, cashier, manager):
    from sales.services import sale_refund

    customer = CustomerFactory()
    first = ring_up(customer=customer, price="10.00", cashier=cashier)
    ring_up(customer=customer, price="30.00", cashier=cashier)
    sale_refund(sale=first, user=manager)
    response = cashier_page.get(f"/customers/{customer.pk}/")
    html = response.content.decode()
    assert 'id="orders-panel"' in html
    assert 'data-figure="visits">2<' in html
    assert 'data-figure="lifetime-spend">$30.00<' in html
    assert 'data-figure="average-sale">$15.00<' in html
    assert 'data-figure="refunded">$10.00<' in html  # 40.00 sold - 10.00 refunded = 30.00
    assert f'data-net="{first.number}">$0.00<' in html
    assert first.number in html
    assert f"/checkout/?customer={customer.pk}" in html  # New sale for this customer


def test_customer_page_query_count_does_not_grow_with_history(
    cashier_page, cashier, django_assert_num_queries
):
    customer = CustomerFactory()
    ring_up(customer=customer, price="1.00", cashier=cashier)
    cashier_page.get(f"/customers/{customer.pk}/")
    with CaptureQueriesContext(connection) as few:
        cashier_page.get(f"/customers/{customer.pk}/")
    baseline = len(few.captured_queries)
    # Session, user, perms (1), customer, its tags; one query per panel figure: orders
    # summary, recent sales, the Insights months, loyalty program, loyalty ledger, loyalty
    # tier, the Account panel's account, invoice figures, open invoices and store credit
    # history, CRM activities, the Before ClassicPOS panel's ids and history (2), the By store
    # panel's figures at every store (1), the Gift cards panel's cards (1), the Self-service
    # panel's recent links (1); then the timeline's
    # first page, one query per registered source (15: an invoice payment's reversal is one of its
    # own, the history from an old system another, gift card entries another, tier changes
    # another).
    assert baseline == 36
    for _ in range(8):
        ring_up(customer=customer, price=str(Decimal("2.00")), cashier=cashier)
    with django_assert_num_queries(baseline):
        cashier_page.get(f"/customers/{customer.pk}/")


@pytest.mark.parametrize("page", ["999", "x", "-1"])
def test_lists_show_the_nearest_page_for_a_bad_page_number(manager_page, cashier, page):
    CustomerFactory.create_batch(12)
    customers = manager_page.get(f"/customers/?page_size=10&page={page}")
    assert customers.status_code == 200
    # The nearest page: the last for a number past the end, the first for one below it.
    assert customers.context["page_obj"].number == (2 if page == "999" else 1)
    ring_up(customer=None, price="1.00", cashier=cashier)
    assert manager_page.get(f"/sales/?page={page}").status_code == 200


def test_sales_list_shows_the_customer_filter_as_a_removable_chip(manager_page, cashier):
    ann = CustomerFactory(name="Ann Filtered")
    ring_up(customer=ann, price="5.00", cashier=cashier)
    html = manager_page.get(f"/sales/?customer={ann.pk}&status=completed").content.decode()
    assert 'id="customer-filter"' in html
    assert "Ann Filtered" in html
    assert 'href="?status=completed"' in html  # the chip's remove link keeps other filters
    assert 'id="customer-filter"' not in manager_page.get("/sales/").content.decode()


@pytest.mark.parametrize(
    "path", ["/sales/{pk}/", "/sales/{pk}/refund/", "/sales/{pk}/refund/preview/"]
)
def test_anonymous_visitors_cannot_tell_which_sales_exist(client, cashier, path):
    sale = ring_up(customer=None, price="1.00", cashier=cashier)
    for pk in (sale.pk, 999999):
        response = client.get(path.format(pk=pk))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
