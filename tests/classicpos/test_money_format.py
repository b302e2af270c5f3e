"""Pages and receipts write money in the shop's currency and locale; the API stays plain."""

from decimal import Decimal

import pytest

from classicpos.money_format import format_money
from tests.sales.helpers import ring_up


def test_amounts_carry_the_currency_and_thousands_separators():
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money("-15.00") == "-$15.00"
    assert format_money(None) == ""


def test_the_shops_currency_and_locale_decide(settings):
    settings.CLASSICPOS_CURRENCY = "EUR"
    settings.CLASSICPOS_LOCALE = "de_DE"
    assert format_money(Decimal("1234.50")) == "1.234,50\xa0€"


@pytest.mark.django_db
def test_the_receipt_shows_formatted_money_and_the_api_plain_numbers(
    cashier_page, cashier, cashier_client
):
    sale = ring_up(customer=None, price="617.25", cashier=cashier, quantity=2)
    html = cashier_page.get(f"/sales/{sale.pk}/").content.decode()
    assert 'id="receipt-total">$1,234.50<' in html
    assert cashier_client.get(f"/api/sales/{sale.pk}").json()["total"] == "1234.50"
