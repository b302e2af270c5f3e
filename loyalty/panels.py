"""The Loyalty panel on the customer detail page."""

from decimal import Decimal

from customers.panels import CustomerPanel, register_panel
from loyalty.models import LoyaltyProgram
from loyalty.selectors import customer_ledger

RECENT_ROWS = 10


def loyalty_panel_context(customer, request) -> dict:
    program = LoyaltyProgram.current()
    steps = max(customer.loyalty_points, 0) // program.redeem_step
    return {
        "program": program,
        "worth": Decimal(steps) * program.redeem_value,
        "ledger": list(customer_ledger(customer=customer)[:RECENT_ROWS]),
        "can_adjust": request.user.has_perm("loyalty.adjust_points"),
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="loyalty/_loyalty_panel.html",
            context=loyalty_panel_context,
            order=20,
            permission="loyalty.view_loyaltytransaction",
        )
    )
