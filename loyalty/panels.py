"""The Loyalty panel on the customer detail page."""

from customers.panels import CustomerPanel, register_panel
from loyalty.models import LoyaltyProgram
from loyalty.permissions import ADJUST_POINTS, VIEW_LEDGER
from loyalty.selectors import customer_ledger

RECENT_ROWS = 10


def loyalty_panel_context(customer, request) -> dict:
    program = LoyaltyProgram.current()
    return {
        "program": program,
        "worth": program.worth(customer.loyalty_points),
        "ledger": list(customer_ledger(customer=customer)[:RECENT_ROWS]),
        "can_adjust": request.user.has_perm(ADJUST_POINTS),
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="loyalty/_loyalty_panel.html",
            context=loyalty_panel_context,
            order=20,
            permission=VIEW_LEDGER,
        )
    )
