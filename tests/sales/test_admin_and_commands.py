"""Admin for products, sales and loyalty; the demo sales command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from loyalty.models import LoyaltyProgram, LoyaltyTransaction
from sales.models import Product, Sale
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_superuser=True)
    user.groups.add(Group.objects.get(name="Manager"))
    client.force_login(user)
    return client


def test_products_are_edited_through_the_service_and_never_deleted(admin_client):
    response = admin_client.post(
        "/admin/sales/product/add/",
        {"sku": " TEA-9 ", "name": "  Black   tea ", "price": "3.50", "active": "on"},
    )
    assert response.status_code == 302
    product = Product.objects.get()
    assert (product.sku, product.name) == ("TEA-9", "Black tea")
    assert admin_client.get(f"/admin/sales/product/{product.pk}/delete/").status_code == 403


def test_sales_are_read_only_in_the_admin(admin_client, cashier):
    sale = ring_up(customer=CustomerFactory(), price="4.00", cashier=cashier)
    assert admin_client.get("/admin/sales/sale/").status_code == 200
    page = admin_client.get(f"/admin/sales/sale/{sale.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get("/admin/sales/sale/add/").status_code == 403
    assert admin_client.get(f"/admin/sales/sale/{sale.pk}/delete/").status_code == 403


def test_ledger_is_read_only_and_program_editable_in_the_admin(admin_client, cashier):
    ring_up(customer=CustomerFactory(), price="4.00", cashier=cashier)
    row = LoyaltyTransaction.objects.get()
    assert admin_client.get("/admin/loyalty/loyaltytransaction/").status_code == 200
    assert (
        b'name="_save"'
        not in admin_client.get(f"/admin/loyalty/loyaltytransaction/{row.pk}/change/").content
    )
    program = LoyaltyProgram.current()
    response = admin_client.post(
        f"/admin/loyalty/loyaltyprogram/{program.pk}/change/",
        {
            "earn_rate": "2",
            "redeem_step": "50",
            "redeem_value": "0.50",
            "minimum_sale_amount": "1.00",
            "expiry_rule": "never",
            "expiry_notice_days": "14",
            "birthday_points": "0",
            "birthday_voucher": "0.00",
            "birthday_voucher_days": "30",
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.redeem_step == 50


def test_seed_demo_rings_up_sales_through_checkout(admin_client):
    out = StringIO()
    call_command("seed_demo", "--customers", "10", "--sales", "15", stdout=out)
    assert "Created 10 demo customers." in out.getvalue()
    assert "Created 10 products and 15 sales." in out.getvalue()
    assert sales_history().count() == 15
    assert all(sale.total > 0 for sale in Sale.objects.all())
    assert LoyaltyTransaction.objects.filter(kind="earn").exists()
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "sales: data already exists" in out.getvalue()
    assert sales_history().count() == 15


@pytest.mark.parametrize("rate", ["0.0725", "0.0875"])
def test_seed_demo_works_with_a_sales_tax(settings, rate):
    settings.CLASSICPOS_TAX_RATE = Decimal(rate)
    call_command("seed_demo", "--customers", "5", "--sales", "20", stdout=StringIO())
    sales = list(sales_history().prefetch_related("payments"))
    assert len(sales) == 20
    assert all(sale.tax > 0 for sale in sales)
    every_sale = Sale.objects.prefetch_related("payments")
    assert all(sum(p.amount for p in sale.payments.all()) == sale.total for sale in every_sale)


def sales_history():
    """The sales the sales seeder rang up: not the gift cards the gift card seeder sold and
    spent after it."""
    return Sale.objects.filter(stored_value=0, gift_card_entries__isnull=True)
