"""The customer's points on their own page (``selfservice``): the balance, its worth, history."""

from customers.extensions import SelfServiceSection, register_self_service_section
from loyalty.models import LoyaltyProgram
from loyalty.selectors import customer_ledger
from loyalty.vouchers import usable_vouchers

HISTORY_ROWS = 20


def points_context(*, customer) -> dict:
    """The balance and the latest entries; an adjustment's reason is staff's note, left off."""
    program = LoyaltyProgram.current()
    return {
        "program": program,
        "points": customer.loyalty_points,
        "worth": program.worth(customer.loyalty_points),
        "entries": list(customer_ledger(customer=customer).select_related("sale")[:HISTORY_ROWS]),
        "vouchers": list(usable_vouchers(customer=customer)),
    }


def connect() -> None:
    register_self_service_section(
        SelfServiceSection(
            name="points",
            label="Your points",
            template_name="loyalty/_self_service_points.html",
            context=points_context,
            order=20,
        )
    )
