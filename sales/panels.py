"""The Orders, Insights and By store panels on the customer detail page."""

from customers.panels import CustomerPanel, register_panel
from sales.insights import insights_chart
from sales.permissions import VIEW_SALE
from sales.selectors import (
    SaleFilters,
    customer_monthly_sales,
    customer_sales_by_store,
    customer_sales_summary,
    sale_list,
)

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


def stores_panel_context(customer, request) -> dict:
    """The customer's figures per store, and the home store's name, from one query; shown
    only in a chain of several stores (a one-store shop's Orders panel says it all)."""
    stores = customer_sales_by_store(customer=customer)
    home = next((row for row in stores if row.store_id == customer.home_store_id), None)
    return {
        "several_stores": len(stores) > 1,
        "home_store_name": home.store_name if home else "",
        "by_store": [row for row in stores if row.visits],
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
    register_panel(
        CustomerPanel(
            template_name="sales/_insights_panel.html",
            context=insights_panel_context,
            order=15,
            permission=VIEW_SALE,
        )
    )
    register_panel(
        CustomerPanel(
            template_name="sales/_stores_panel.html",
            context=stores_panel_context,
            order=17,
            permission=VIEW_SALE,
        )
    )
