"""What each staff role may do with customers (read by the role sync and the data migration)."""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_customer", "add_customer", "change_customer", "view_tag", "view_customerevent"],
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
        "tag_customer",
        "view_tag",
        "add_tag",
        "change_tag",
        "delete_tag",
        "view_customerevent",
    ],
}
