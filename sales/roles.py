"""What each staff role may do with products and sales."""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_product", "view_sale", "add_sale"],
    MANAGER: [
        "view_product",
        "add_product",
        "change_product",
        "delete_product",
        "view_sale",
        "add_sale",
        "refund_sale",
        "view_sales_report",
    ],
}
