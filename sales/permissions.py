"""The sales permissions every surface checks (till, receipts, refunds, API), named once."""

VIEW_SALE = "sales.view_sale"
# Ring up a sale; also what asking the till's quote needs.
ADD_SALE = "sales.add_sale"
REFUND_SALE = "sales.refund_sale"
# The day's takings per store and till (``sales.reports``): Managers.
VIEW_SALES_REPORT = "sales.view_sales_report"
