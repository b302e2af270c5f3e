"""The accounting settings, read when used so a shop (or a test) can change them.

``classicpos/settings.py`` reads both from the environment at start-up; a value
set later (``override_settings``) is read by the same ``classicpos.config``
function, so a malformed one is the same ``ImproperlyConfigured`` naming it.
"""

from decimal import Decimal

from django.conf import settings

from classicpos import config


def default_credit_limit() -> Decimal:
    """Return the credit limit a new customer account gets (``0``: no credit)."""
    raw = settings.CLASSICPOS_DEFAULT_CREDIT_LIMIT
    return config.amount("CLASSICPOS_DEFAULT_CREDIT_LIMIT", raw, example="500.00")


def payment_terms_days() -> int:
    """Return how many days after its issue date an invoice is due."""
    return config.whole_number(
        "CLASSICPOS_PAYMENT_TERMS_DAYS", settings.CLASSICPOS_PAYMENT_TERMS_DAYS, unit="days"
    )
