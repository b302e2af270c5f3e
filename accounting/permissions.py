"""The accounting permissions every surface checks (pages, API, panels, timeline), named once."""

VIEW_CUSTOMER_ACCOUNT = "accounting.view_customeraccount"
# A customer's credit limit: a Manager's call.
CHANGE_CUSTOMER_ACCOUNT = "accounting.change_customeraccount"
ADJUST_STORE_CREDIT = "accounting.adjust_store_credit"
VIEW_STORE_CREDIT = "accounting.view_storecreditentry"
VIEW_INVOICE = "accounting.view_invoice"
RECORD_PAYMENT = "accounting.add_invoicepayment"
# Undo an invoice payment (a row beside it, never a change to it): Managers.
REVERSE_PAYMENT = "accounting.add_invoicepaymentreversal"
