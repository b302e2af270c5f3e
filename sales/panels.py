"""The Orders and Insights panels on the customer detail page."""

from customers.panels import CustomerPanel, register_panel
from sales.insights import insights_chart
from sales.permissions import VIEW_SALE
from sales.selectors import SaleFilters, customer_monthly_sales, customer_sales_summary, sale_list

RECENT_SALES = 5
INSIGHTS_MONTHS = 24


def orders_panel_context(customer, request) -> dict:
    recent = sale_list(filters=SaleFilters(customer_id=customer.pk), with_details=False)
    return {
        "summary": customer_sales_summary(customer=customer),
        "recent_sales": list(recent[:RECENT_SALES]),
    }


def insights_panel_context(customer, request) -> dict:
    months = customer_monthly_sales(customer=customer, months=INSIGHTS_MONTHS)
    return {"chart": insights_chart(months=months), "months_shown": INSIGHTS_MONTHS}


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="sales/_orders_panel.html",
            context=orders_panel_context,
            order=10,
            permission=VIEW_SALE,
        )
    )
    register_panel(
        CustomerPanel(
            template_name="sales/_insights_panel.html",
            context=insights_panel_context,
            order=15,
            permission=VIEW_SALE,
        )
    )
