"""The ranges of numbers ClassicPOS accepts, and how an amount of money is written.

Beyond them an input is refused with a message on its field (a 400 problem
document in the API, a message beside the field on a page), never a database
overflow or a 500. The API schema documents the same bounds.

Amounts and points are checked twice over: each one as it is typed
(``parse_amount``), and every figure worked out from them - a sale's lines,
subtotal, total and payments, a store credit or points balance - before it is
written (``check_amount``, ``check_points``). A figure past its column is saved
by SQLite and then breaks every page that reads it back, and is a database
error on PostgreSQL, so these checks come before any write.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

# Database ids are 64-bit; a larger number cannot name anything.
MAX_ID = 2**63 - 1
# Items of one product on one sale line.
MAX_QUANTITY = 10_000
# Money fields hold 12 digits, 2 of them cents.
MAX_AMOUNT = Decimal("9999999999.99")
# A customer's lifetime spend adds many sales up: 16 digits, 2 of them cents.
MAX_LIFETIME_AMOUNT = Decimal("99999999999999.99")
# One manual points adjustment, either way.
MAX_POINTS_ADJUSTMENT = 1_000_000
# Points columns (balances, ledger rows) are 32-bit integers.
MAX_POINTS = 2**31 - 1

# An amount as a till, a form or a CSV writes it: ASCII digits, an optional minus
# and at most one decimal point. ``Decimal()`` alone also takes Unicode digits
# ("١٢"), underscores ("1_000"), exponents ("1e3"), "Infinity" and "NaN", which no
# till sends: they are typos or probes, and refused as not an amount.
AMOUNT_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
NOT_AN_AMOUNT = "Enter an amount such as 12.50."
TOO_MANY_DECIMALS = "Enter an amount with at most two decimals."
TOO_LARGE = f"Enter an amount of at most {MAX_AMOUNT:,}."
CENT = Decimal("0.01")


def is_whole_number(value) -> bool:
    """Return whether ``value`` is a Python ``int`` and not a ``bool`` (``True`` is an int too).

    JSON ``true`` reaches a service as ``True``, which ``isinstance(value, int)``
    alone takes for the quantity 1.
    """
    return isinstance(value, int) and not isinstance(value, bool)


def is_id(value) -> bool:
    """Return whether ``value`` is a whole number that can be a database id."""
    return is_whole_number(value) and 1 <= value <= MAX_ID


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """Return ``value`` as a Decimal of whole cents that a money column can hold.

    ``value`` is text (a form, a JSON string), a whole number, or a Decimal a
    caller already holds. Raises ``ValidationError({field: [message]})``; the
    sign is the caller's rule (a payment is positive, an adjustment not zero).
    """
    if isinstance(value, Decimal):
        amount = value
        if not amount.is_finite():
            raise ValidationError({field: [NOT_AN_AMOUNT]})
    elif is_whole_number(value):
        # Not through str(): Python refuses to write an int of over 4,300 digits.
        amount = Decimal(value)
    elif isinstance(value, float | str):
        text = str(value).strip()
        if not AMOUNT_TEXT.fullmatch(text):
            raise ValidationError({field: [NOT_AN_AMOUNT]})
        amount = Decimal(text)
    else:
        raise ValidationError({field: [NOT_AN_AMOUNT]})
    # The size before the cents: rounding a huge Decimal such as 1E+400 to cents
    # overflows the decimal context instead of refusing the field.
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError({field: [TOO_LARGE]})
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError({field: [TOO_MANY_DECIMALS]})
    return amount


def check_amount(amount: Decimal, *, field: str, what: str, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """Return ``amount`` (a sum worked out from valid amounts) when its column holds it.

    Raises ``ValidationError({field: ["<what> would come to ..., past the limit of ..."]})``;
    ``what`` names the figure ("The payments", "The store credit balance").
    """
    if abs(amount) > limit:
        raise ValidationError(
            {field: [f"{what} would come to {amount:,}, past the limit of {limit:,}."]}
        )
    return amount


def check_points(points: int, *, field: str, what: str = "The points balance") -> int:
    """Return ``points`` (a balance or a ledger row) when a 32-bit column holds it.

    Raises ``ValidationError({field: [...]})`` naming ``what`` and the limit.
    """
    if abs(points) > MAX_POINTS:
        raise ValidationError(
            {field: [f"{what} would come to {points:,}, past the limit of {MAX_POINTS:,}."]}
        )
    return points
