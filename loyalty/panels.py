"""The Loyalty panel on the customer detail page."""

from django.contrib.humanize.templatetags.humanize import intcomma

from classicpos.money_format import format_money
from customers.panels import CustomerPanel, SummaryFigure, register_panel
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


def loyalty_summary(customer, context) -> list[SummaryFigure]:
    """Return the points balance for the top of the customer page, from the panel's context."""
    points = customer.loyalty_points
    redeemable = points >= context["program"].redeem_step
    return [
        SummaryFigure(
            label="Points",
            value=intcomma(points),
            detail=f"worth {format_money(context['worth'])}" if redeemable else "",
            href="#loyalty-panel",
            warning=points < 0,
        )
    ]


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="loyalty/_loyalty_panel.html",
            context=loyalty_panel_context,
            order=20,
            permission=VIEW_LEDGER,
            summary=loyalty_summary,
        )
    )
