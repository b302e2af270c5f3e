"""A discount as the cashier types it: an amount ("2.50") or a percentage ("10%").

The till sends the text as typed; only the quote turns it into money, here, so a
percentage is worked out once, in cents rounded half-up, on the server, and the
page never does the sum. The same rule serves the sale's discount and a line's.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from classicpos import limits
from sales.money import ZERO, to_cents

PERCENT_TEXT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,2})?)\s*%", re.ASCII)
HUNDRED = Decimal(100)
NOT_A_DISCOUNT = "Enter an amount such as 2.50 or a percentage such as 10%."
PERCENT_TOO_LARGE = "A percentage discount is at most 100%."


@dataclass(frozen=True)
class Discount:
    """Exactly one of ``amount`` and ``percent`` is set."""

    amount: Decimal | None = None
    percent: Decimal | None = None

    def of(self, base: Decimal) -> Decimal:
        """Return what this discount takes off ``base``, in cents."""
        if self.percent is not None:
            return to_cents(base * self.percent / HUNDRED)
        return self.amount

    def __str__(self) -> str:
        return f"{self.percent.normalize():f}%" if self.percent is not None else f"{self.amount}"


NO_DISCOUNT = Discount(amount=ZERO)


def parse_discount(value, *, field: str = "discount") -> Discount:
    """Return ``value`` (text, a number or a Discount) as a Discount.

    Raises ``ValidationError({field: [message]})``. Blank is no discount.
    """
    if isinstance(value, Discount):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return NO_DISCOUNT
    if isinstance(value, str) and value.strip().endswith("%"):
        match = PERCENT_TEXT.fullmatch(value.strip())
        if match is None:
            raise ValidationError({field: [NOT_A_DISCOUNT]})
        percent = Decimal(match.group(1))
        if percent > HUNDRED:
            raise ValidationError({field: [PERCENT_TOO_LARGE]})
        return Discount(percent=percent)
    try:
        amount = limits.parse_amount(value, field=field)
    except ValidationError as error:
        if error.message_dict[field] == [limits.NOT_AN_AMOUNT]:
            raise ValidationError({field: [NOT_A_DISCOUNT]}) from None
        raise
    if amount < 0:
        raise ValidationError({field: ["The discount cannot be negative."]})
    return Discount(amount=amount)


def discount_off(value, base: Decimal, *, field: str, of_what: str) -> Decimal:
    """Return what ``value`` takes off ``base`` (a subtotal, a line), never more than it.

    Raises ``ValidationError({field: [...]})`` for text that is no discount, and for
    an amount past ``base`` ("more than the subtotal of 12.50").
    """
    discount = parse_discount(value, field=field).of(base)
    if discount > base:
        raise ValidationError({field: [f"The discount cannot be more than {of_what} of {base}."]})
    return discount
