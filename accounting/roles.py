"""What each staff role may do with accounts, invoices and store credit.

A Cashier sees accounts and takes invoice payments at the till; only a Manager
changes credit limits and adjusts store credit.
"""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: [
        "view_customeraccount",
        "view_invoice",
        "view_invoicepayment",
        "add_invoicepayment",
        "view_storecreditentry",
    ],
    MANAGER: [
        "view_customeraccount",
        "change_customeraccount",
        "adjust_store_credit",
        "view_invoice",
        "change_invoice",
        "view_invoicepayment",
        "add_invoicepayment",
        "view_invoicecredit",
        "view_storecreditentry",
    ],
}
