"""The till tells the cashier the customer's tier and which points expire when, beside the
points, and offers a birthday voucher; a Manager reads
what the points held are worth (1280 and 375 px)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from loyalty import services
from loyalty.models import ExpiryRule, LoyaltyProgram, LoyaltyTier
from loyalty.tier_rules import months_after
from loyalty.tiers import tier_set
from loyalty.vouchers import voucher_issue
from tests.customers.factories import CustomerFactory
from tests.e2e.test_checkout import add_product, complete_sale, pick_customer
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e


def test_the_till_shows_the_tier_and_the_points_that_expire_soonest(make_page, staff):
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_EARNING
    program.expiry_months = 2
    program.save()
    ProductFactory(sku="TEA-1", name="Green tea", price=Decimal("4.00"))
    customer = CustomerFactory(name="Evan Expiring", email="evan@example.com")
    manager = get_user_model().objects.get(username="maria")
    services.points_adjust(customer=customer, points=120, reason="Welcome", user=manager)
    gold = LoyaltyTier.objects.create(
        name="Gold", qualifying_spend=Decimal("500.00"), multiplier=Decimal("1.50")
    )
    tier_set(customer=customer, tier=gold.name, reason="Founding member", user=manager)
    day = months_after(timezone.localdate(), 2)

    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto("/checkout/")
    add_product(page, "TEA-1")
    pick_customer(page, "evan@", "Evan Expiring")
    page.locator("#points-helper:not(.d-none)").wait_for()

    helper = page.inner_text("#points-helper").strip()
    assert helper.startswith("Gold member, earns \u00d71.5 \u00b7 120 points")
    assert f"120 points expire on {day.day} {day:%b}" in helper
    browser.assert_fits_and_is_accessible("the till with expiring points", "till-points-expiry")


def test_a_manager_reads_the_points_liability_from_the_tiers_page(make_page, staff):
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_EARNING
    program.expiry_months = 1
    program.save()
    manager = get_user_model().objects.get(username="maria")
    for name, points in (("Lia Liable", 250), ("Owen Owed", 1000)):
        services.points_adjust(
            customer=CustomerFactory(name=name), points=points, reason="Welcome", user=manager
        )

    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/loyalty/tiers/")
    page.click("#points-liability-link")
    page.locator("h1", has_text="Points liability").wait_for()

    assert page.inner_text("[data-total='points']") == "1250"
    assert page.inner_text("[data-total='worth']") == "$12.50"
    assert "No tier" in page.inner_text("#liability-by-tier")
    assert "within 90 days" in page.inner_text("#liability-expiring")
    assert page.locator("#download-csv").get_attribute("href") == "?download=csv"
    browser.assert_fits_and_is_accessible("the points liability", "points-liability")


def test_a_birthday_voucher_pays_at_the_till_once(make_page, staff):
    ProductFactory(sku="CAKE-1", name="Birthday cake", price=Decimal("4.00"))
    customer = CustomerFactory(name="Bea Birthday", email="bea@example.com")
    until = timezone.localdate() + timedelta(days=20)
    voucher = voucher_issue(
        customer=customer,
        amount=Decimal("5.00"),
        reason="Birthday 2026",
        reference=f"birthday-{customer.pk}-2026",
        valid_until=until,
    )

    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto("/checkout/")
    add_product(page, "CAKE-1")
    pick_customer(page, "bea@", "Bea Birthday")
    page.locator("#voucher-helper:not(.d-none)").wait_for()

    assert page.inner_text("#voucher-helper-text").startswith("Birthday 2026: $5.00 until ")
    assert page.inner_text("#use-voucher [data-max-amount]") == "$4.00"
    browser.assert_fits_and_is_accessible("the till offering a voucher", "till-voucher")
    page.click("#use-voucher")
    page.locator("[data-field='payments[0].amount']").wait_for()
    assert page.input_value("[data-field='payments[0].method']") == "voucher"
    assert page.input_value("[data-field='payments[0].amount']") == "4.00"
    sale = complete_sale(page)

    voucher.refresh_from_db()
    assert (voucher.sale_id, voucher.used_amount) == (sale.pk, Decimal("4.00"))
    assert [(p.method, p.amount) for p in sale.payments.all()] == [("voucher", Decimal("4.00"))]
    browser.goto("/checkout/")
    add_product(page, "CAKE-1")
    pick_customer(page, "bea@", "Bea Birthday")
    page.locator("#points-helper:not(.d-none)").wait_for()
    assert page.locator("#voucher-helper.d-none").count() == 1
