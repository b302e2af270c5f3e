"""The Loyalty panel on the customer detail page."""

from django.contrib.humanize.templatetags.humanize import intcomma

from classicpos.money_format import format_money
from customers.panels import CustomerPanel, SummaryFigure, register_panel
from loyalty.models import LoyaltyProgram
from loyalty.permissions import ADJUST_POINTS, SET_TIER, VIEW_LEDGER
from loyalty.selectors import customer_ledger, customer_tier_state
from loyalty.tier_rules import active_tiers

RECENT_ROWS = 10


def loyalty_panel_context(customer, request) -> dict:
    program = LoyaltyProgram.current()
    can_set_tier = request.user.has_perm(SET_TIER)
    return {
        "program": program,
        "worth": program.worth(customer.loyalty_points),
        "ledger": list(customer_ledger(customer=customer)[:RECENT_ROWS]),
        "can_adjust": request.user.has_perm(ADJUST_POINTS),
        "tier_state": customer_tier_state(customer=customer),
        "can_set_tier": can_set_tier,
        "tiers": active_tiers() if can_set_tier else [],
    }


def loyalty_summary(customer, context) -> list[SummaryFigure]:
    """Return the points balance for the top of the customer page, from the panel's context."""
    points = customer.loyalty_points
    redeemable = points >= context["program"].redeem_step
    state = context["tier_state"]
    tier = []
    if state is not None and state.tier is not None:
        tier = [
            SummaryFigure(
                label="Tier",
                value=state.tier.name,
                detail=f"\u00d7{state.tier.multiplier.normalize()}",
                href="#loyalty-panel",
            )
        ]
    return [
        *tier,
        SummaryFigure(
            label="Points",
            value=intcomma(points),
            detail=f"worth {format_money(context['worth'])}" if redeemable else "",
            href="#loyalty-panel",
            warning=points < 0,
        ),
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
