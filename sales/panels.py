"""The Orders panel on the customer detail page."""

from customers.panels import CustomerPanel, register_panel
from sales.permissions import VIEW_SALE
from sales.selectors import SaleFilters, customer_sales_summary, sale_list

RECENT_SALES = 5


def orders_panel_context(customer, request) -> dict:
    recent = sale_list(filters=SaleFilters(customer_id=customer.pk), with_details=False)
    return {
        "summary": customer_sales_summary(customer=customer),
        "recent_sales": list(recent[:RECENT_SALES]),
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="sales/_orders_panel.html",
            context=orders_panel_context,
            order=10,
            permission=VIEW_SALE,
        )
    )
