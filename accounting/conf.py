"""The accounting settings, read when used so a shop (or a test) can change them.

``classicpos/settings.py`` reads both from the environment; until it does, they
fall back to the environment here, then to the defaults below.
"""

import os
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_CREDIT_LIMIT = "0"
DEFAULT_PAYMENT_TERMS_DAYS = "30"


def default_credit_limit() -> Decimal:
    """Return the credit limit a new customer account gets (``0``: no credit)."""
    raw = getattr(
        settings,
        "CLASSICPOS_DEFAULT_CREDIT_LIMIT",
        os.environ.get("CLASSICPOS_DEFAULT_CREDIT_LIMIT", DEFAULT_CREDIT_LIMIT),
    )
    try:
        limit = Decimal(str(raw))
    except InvalidOperation as error:
        raise ImproperlyConfigured(
            f"CLASSICPOS_DEFAULT_CREDIT_LIMIT must be an amount such as 500.00, not {raw!r}."
        ) from error
    if not limit.is_finite() or limit < 0:
        raise ImproperlyConfigured("CLASSICPOS_DEFAULT_CREDIT_LIMIT must be 0 or more.")
    return limit.quantize(Decimal("0.01"))


def payment_terms_days() -> int:
    """Return how many days after its issue date an invoice is due."""
    raw = getattr(
        settings,
        "CLASSICPOS_PAYMENT_TERMS_DAYS",
        os.environ.get("CLASSICPOS_PAYMENT_TERMS_DAYS", DEFAULT_PAYMENT_TERMS_DAYS),
    )
    try:
        days = int(raw)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(
            f"CLASSICPOS_PAYMENT_TERMS_DAYS must be a whole number of days, not {raw!r}."
        ) from error
    if days < 0:
        raise ImproperlyConfigured("CLASSICPOS_PAYMENT_TERMS_DAYS must be 0 or more.")
    return days
