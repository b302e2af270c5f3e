"""The Account panel on the customer detail page."""

from accounting.forms import CreditLimitForm, InvoicePaymentForm, StoreCreditAdjustmentForm
from accounting.selectors import account_summary, customer_open_invoices, store_credit_ledger
from customers.panels import CustomerPanel, register_panel

OPEN_INVOICES_SHOWN = 10
STORE_CREDIT_ROWS = 5


def account_panel_context(customer, request) -> dict:
    user = request.user
    summary = account_summary(customer=customer)
    return {
        "account": summary,
        "open_invoices": list(customer_open_invoices(customer=customer)[:OPEN_INVOICES_SHOWN]),
        "store_credit_rows": list(store_credit_ledger(customer_id=customer.pk)[:STORE_CREDIT_ROWS]),
        "can_record_payment": user.has_perm("accounting.add_invoicepayment"),
        "can_change_limit": user.has_perm("accounting.change_customeraccount"),
        "can_adjust_store_credit": user.has_perm("accounting.adjust_store_credit"),
        "payment_form": InvoicePaymentForm(store_credit=summary.store_credit, auto_id="payment-%s"),
        "credit_limit_form": CreditLimitForm(
            initial={"credit_limit": summary.credit_limit}, auto_id="credit-limit-%s"
        ),
        "adjust_form": StoreCreditAdjustmentForm(auto_id="store-credit-%s"),
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="accounting/_account_panel.html",
            context=account_panel_context,
            order=30,
            permission="accounting.view_customeraccount",
        )
    )
