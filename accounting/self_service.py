"""The customer's account on their own page (``selfservice``): store credit, open invoices and
the last 30 days' statement, from the selectors the staff pages read."""

from accounting.selectors import (
    account_summary,
    customer_open_invoices,
    customer_statement,
    default_statement_period,
    store_credit_ledger,
)
from customers.extensions import SelfServiceSection, register_self_service_section

STORE_CREDIT_ROWS = 10
OPEN_INVOICES_SHOWN = 20


def account_context(*, customer) -> dict:
    start, end = default_statement_period(start=None, end=None)
    return {
        "account": account_summary(customer=customer),
        "open_invoices": list(customer_open_invoices(customer=customer)[:OPEN_INVOICES_SHOWN]),
        "store_credit_rows": list(store_credit_ledger(customer_id=customer.pk)[:STORE_CREDIT_ROWS]),
        "statement": customer_statement(customer=customer, start=start, end=end),
    }


def connect() -> None:
    register_self_service_section(
        SelfServiceSection(
            name="account",
            label="Your account",
            template_name="accounting/_self_service_account.html",
            context=account_context,
            order=30,
        )
    )
