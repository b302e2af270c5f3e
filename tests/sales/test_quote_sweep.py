"""Every cent from 0.01 to 200.00 at both tax rates, priced by the quote and by an
independent integer reference; no database, so the sweep costs seconds, not minutes.

That checkout charges what the quote says is ``test_quotes``' Hypothesis test.
"""

from decimal import Decimal
from unittest import mock

import pytest
from django.test import override_settings

from sales.models import Product
from sales.quotes import LineInput, sale_quote
from tests.sales.helpers import TAX_RATES, as_money

CENTS = range(1, 20_001)  # 0.01 .. 200.00


def reference_tax_cents(price_cents: int, per_ten_thousand: int) -> int:
    """Return the tax in whole cents, rounded half-up, by integer arithmetic alone: adding
    half the divisor before dividing rounds a half up. It shares nothing with ``to_cents``."""
    return (price_cents * per_ten_thousand + 5_000) // 10_000


@pytest.mark.parametrize("rate", TAX_RATES)
def test_quote_prices_every_cent_up_to_200_as_integer_arithmetic_does(rate):
    """Sweep one-line carts without a database: the quote's only read, the products, is
    answered by one unsaved product whose price each step changes."""
    product = Product(pk=1, sku="SWEEP", name="Sweep", price=Decimal("0.01"), active=True)
    lines = [LineInput(product_id=product.pk, quantity=1)]
    with (
        mock.patch.object(Product.objects, "in_bulk", return_value={product.pk: product}),
        override_settings(CLASSICPOS_TAX_RATE=Decimal(rate)),
    ):
        for cents in CENTS:
            product.price = Decimal(cents) / 100
            quote = sale_quote(lines=lines)
            tax = reference_tax_cents(cents, TAX_RATES[rate])
            # As text: a figure with other than two decimals is wrong even when equal.
            assert (str(quote.subtotal), str(quote.tax), str(quote.total)) == (
                as_money(cents),
                as_money(tax),
                as_money(cents + tax),
            ), product.price


def test_the_reference_rounds_half_up():
    # 2.00 x 7.25 % = 14.5 cents; 2.00 x 8.75 % = 17.5 cents; 1.00 x 7.25 % = 7.25 cents.
    assert reference_tax_cents(200, 725) == 15
    assert reference_tax_cents(200, 875) == 18
    assert reference_tax_cents(100, 725) == 7
