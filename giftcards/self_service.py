"""The customer's gift cards on their own page (``selfservice``): last 4 digits and balance.

Never the code: the page is opened without a password, and the code spends money.
"""

from customers.extensions import SelfServiceSection, register_self_service_section
from giftcards.selectors import customer_cards


def cards_context(*, customer) -> dict:
    return {"cards": list(customer_cards(customer=customer))}


def connect() -> None:
    register_self_service_section(
        SelfServiceSection(
            name="giftCards",
            label="Your gift cards",
            template_name="giftcards/_self_service_cards.html",
            context=cards_context,
            order=40,
        )
    )
