"""Money as people read it: the shop's currency, its locale's separators ("$1,234.50").

Formatting is for pages and receipts only; the API keeps plain decimal strings.
Babel carries the locale data (CLDR), so "de_DE" with EUR reads "1.234,50 €".
"""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django.conf import settings


def format_money(amount) -> str:
    """Return ``amount`` in the shop's currency and locale; empty input stays empty."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return format_currency(value, settings.CLASSICPOS_CURRENCY, locale=settings.CLASSICPOS_LOCALE)
