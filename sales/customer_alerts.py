"""A sale to a customer whose note blocks sales, and what the till warns of at the pick.

``customers.alerts`` says which customers are blocked (issue 32 §5); this is the sale's
side of the rule. A sale to a blocked customer is refused at the quote and at checkout
alike, unless the request carries an override (``alertOverride: {"reason"}``) from a
user who may give one (a Manager: ``customers.permissions.BLOCK_CUSTOMER``, the power to
take a customer off the till altogether). Checkout records the override in the sale's
transaction as the customer's ``customer.alert_overridden`` event, with the sale's number
and the reason, so it shows on their timeline; a retried checkout replays its answer
(``Idempotency-Key``) and records nothing twice. Refunds and invoice payments are not
sales to the customer and are never refused.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from classicpos.reasons import clean_reason
from customers.alerts import is_blocked
from customers.events import record_event
from customers.models import Channel, Customer, CustomerEventKind
from customers.permissions import BLOCK_CUSTOMER
from sales.extensions import PickWarning, pick_warnings_for

REASON_MISSING = "Say why this sale is allowed."


@dataclass(frozen=True)
class AlertOverride:
    """A Manager's "allow this sale" to a blocked customer: why, as typed."""

    reason: str = ""


def blocked_message(customer: Customer) -> str:
    """Say that and why sales to ``customer`` are refused, and how one can go ahead."""
    return (
        f"Sales to {customer.name} are blocked: \u201c{customer.note}\u201d. "
        "A Manager can allow this sale, with a reason."
    )


def sale_block_check(*, customer: Customer | None, override: AlertOverride | None, user) -> str:
    """Return why a sale to a blocked customer goes ahead, or "" when they are not blocked.

    Raises ``ValidationError`` keyed ``customerId`` for a blocked customer without an
    override, ``alertOverride.reason`` for a reason missing or too long
    (``classicpos.reasons``), and ``PermissionDenied`` when ``user`` may not allow it.
    An override for a customer who is not blocked (lifted since the till showed the
    block) is not needed, and is ignored.
    """
    if customer is None or not is_blocked(customer):
        return ""
    if override is None:
        raise ValidationError({"customerId": [blocked_message(customer)]})
    if user is None or not user.has_perm(BLOCK_CUSTOMER):
        raise PermissionDenied(
            f"Only a Manager can allow a sale to {customer.name}: sales to them are blocked."
        )
    try:
        return clean_reason(override.reason, missing=REASON_MISSING)
    except ValidationError as error:
        raise ValidationError({"alertOverride.reason": error.message_dict["reason"]}) from None


def alert_override_record(*, sale, reason: str, user) -> None:
    """Record on the customer's history that ``user`` allowed ``sale`` despite the block.

    Inside checkout's transaction, on the locked customer. The channel is the API's:
    the till and integrations ring sales up through it.
    """
    record_event(
        sale.customer,
        CustomerEventKind.ALERT_OVERRIDDEN,
        actor=user,
        channel=Channel.API,
        # Kept as [old, new] like every event's changes (history, data export, erasure).
        changes={"sale": [None, sale.number], "reason": [None, reason]},
    )


def customer_pick_warnings(*, customer: Customer | None, user) -> list[PickWarning]:
    """Return what the modules warn the cashier of about ``customer`` (none for a walk-in)."""
    if customer is None:
        return []
    return [warning for entry in pick_warnings_for(user) for warning in entry.warnings(customer)]
