"""How messaging plugs into sales: the receipt page's "Email receipt" form.

The form is a receipt section (``SaleFacts.receipt_template``) that adds no figures to the
sale, its API or its receipt lines; the template draws it only for users who may email a
receipt, and never on paper.
"""

from sales.extensions import SaleFacts, register_sale_facts


def email_receipt_section(sale) -> dict:
    """What the form needs: the customer's own email to offer, if they have one."""
    customer = sale.customer if sale.customer_id else None
    return {
        "sale_id": sale.pk,
        "customer_id": sale.customer_id,
        "customer_email": customer.email if customer else "",
    }


def connect() -> None:
    register_sale_facts(
        SaleFacts(
            name="messaging",
            api=lambda sale: {},
            receipt=lambda sale: [],
            receipt_template="messaging/_email_receipt.html",
            receipt_context=email_receipt_section,
            order=900,
        )
    )
