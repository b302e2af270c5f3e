"""The Account panel on the customer detail page."""

from accounting.forms import CreditLimitForm, StoreCreditAdjustmentForm
from accounting.permissions import (
    ADJUST_STORE_CREDIT,
    CHANGE_CUSTOMER_ACCOUNT,
    RECORD_PAYMENT,
    VIEW_CUSTOMER_ACCOUNT,
)
from accounting.selectors import account_summary, customer_open_invoices, store_credit_ledger
from classicpos.money_format import format_money
from customers.panels import CustomerPanel, SummaryFigure, register_panel

OPEN_INVOICES_SHOWN = 10
STORE_CREDIT_ROWS = 5
# The credit limit dialog's ids, the same when the view sends the form back with errors.
CREDIT_LIMIT_AUTO_ID = "credit-limit-%s"


def account_panel_context(customer, request) -> dict:
    user = request.user
    summary = account_summary(customer=customer)
    return {
        "account": summary,
        "open_invoices": list(customer_open_invoices(customer=customer)[:OPEN_INVOICES_SHOWN]),
        "store_credit_rows": list(store_credit_ledger(customer_id=customer.pk)[:STORE_CREDIT_ROWS]),
        "can_record_payment": user.has_perm(RECORD_PAYMENT),
        "can_change_limit": user.has_perm(CHANGE_CUSTOMER_ACCOUNT),
        "can_adjust_store_credit": user.has_perm(ADJUST_STORE_CREDIT),
        "credit_limit_form": CreditLimitForm(
            initial={"credit_limit": summary.credit_limit}, auto_id=CREDIT_LIMIT_AUTO_ID
        ),
        "adjust_form": StoreCreditAdjustmentForm(auto_id="store-credit-%s"),
    }


def account_summary_figures(customer, context) -> list[SummaryFigure]:
    """Return the account's figures for the top of the customer page, from the panel's context.

    Store credit, what is owed (overdue in red) and, with a credit account, what may
    still go on account: read from the panel's ``account_summary``, so no query of their own.
    """
    account = context["account"]
    owed = []
    if account.open_invoices:
        owed.append(
            f"{account.open_invoices} open invoice{'s' if account.open_invoices != 1 else ''}"
        )
    if account.overdue:
        owed.append(f"{format_money(account.overdue)} overdue")
    figures = [
        SummaryFigure(
            label="Store credit", value=format_money(account.store_credit), href="#account-panel"
        ),
        SummaryFigure(
            label="Owes",
            value=format_money(account.outstanding),
            detail=" · ".join(owed),
            href="#account-panel",
            warning=bool(account.overdue),
        ),
    ]
    if account.credit_limit:
        figures.append(
            SummaryFigure(
                label="On account",
                value=format_money(account.available_credit),
                detail=f"available of {format_money(account.credit_limit)}",
                href="#account-panel",
            )
        )
    return figures


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="accounting/_account_panel.html",
            context=account_panel_context,
            order=30,
            permission=VIEW_CUSTOMER_ACCOUNT,
            summary=account_summary_figures,
        )
    )
