"""The ranges of numbers ClassicPOS accepts, in one place.

Beyond them an input is refused with a message on its field (a 400 problem
document in the API), never a database overflow or a 500. The API schema
documents the same bounds.
"""

from decimal import Decimal

# Database ids are 64-bit; a larger number cannot name anything.
MAX_ID = 2**63 - 1
# Items of one product on one sale line.
MAX_QUANTITY = 10_000
# Money fields hold 12 digits, 2 of them cents.
MAX_AMOUNT = Decimal("9999999999.99")
# One manual points adjustment, either way.
MAX_POINTS_ADJUSTMENT = 1_000_000
# Points bounds for list filters (a 32-bit column).
MAX_POINTS = 2**31 - 1


def is_id(value) -> bool:
    """Return whether ``value`` is a whole number that can be a database id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
