"""What each staff role may do with customers (read by the role sync and the data migration)."""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_customer", "add_customer", "change_customer"],
    MANAGER: [
        "view_customer",
        "add_customer",
        "change_customer",
        "delete_customer",
        "deactivate_customer",
        "import_customer",
        "export_customer",
        "merge_customer",
        "anonymise_customer",
    ],
}
