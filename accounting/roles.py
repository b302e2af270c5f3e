"""What each staff role may do with accounts, invoices and store credit.

A Cashier sees accounts and takes invoice payments at the till; only a Manager
changes credit limits, adjusts store credit and reverses an invoice payment.
"""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: [
        "view_customeraccount",
        "view_invoice",
        "view_invoicepayment",
        "add_invoicepayment",
        "view_invoicepaymentreversal",
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
        "view_invoicepaymentreversal",
        "add_invoicepaymentreversal",
        "view_invoicecredit",
        "view_storecreditentry",
    ],
}
