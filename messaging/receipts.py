"""A sale's receipt as an email: a subject, a plain-text body and an HTML body.

The figures are the sale's own and the other modules' facts are their
``receipt(sale)`` lines (``sales.extensions.sale_facts``): points earned and the
balance, a gift card's balance. Nothing is worked out again here. A receipt is a
transactional message: it carries no marketing, so it needs no marketing consent.
Sections printed once on paper (a new gift card's code) stay off the email: an
inbox is not the place for a code that spends money.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from sales.extensions import sale_facts
from sales.models import Sale
from sales.selectors import sale_detail_list


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def receipt_context(*, sale: Sale, names_customer: bool) -> dict:
    """Return what both bodies of ``sale``'s receipt show."""
    sale = sale_detail_list().select_related("customer", "cashier").get(pk=sale.pk)
    store = sale.store
    return {
        "sale": sale,
        "store": store,
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
        "lines": list(sale.lines.all()),
        "payments": list(sale.payments.all()),
        "refunds": list(sale.refunds.all()),
        "facts": [line for extension in sale_facts() for line in extension.receipt(sale)],
        "customer_name": sale.customer.name if names_customer and sale.customer_id else "",
    }


def receipt_message(*, sale: Sale, names_customer: bool) -> RenderedMessage:
    """Render ``sale``'s receipt email; the customer's name only when ``names_customer``."""
    context = receipt_context(sale=sale, names_customer=names_customer)
    store_name = context["store"].receipt_name
    return RenderedMessage(
        subject=f"Your receipt {sale.number} from {store_name}",
        text=render_to_string("messaging/receipt_email.txt", context),
        html=render_to_string("messaging/receipt_email.html", context),
    )
