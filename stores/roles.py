"""What each staff role may do with stores and tills: Managers set them up, everyone sees them."""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_store", "view_till"],
    MANAGER: ["view_store", "add_store", "change_store", "view_till", "add_till", "change_till"],
}
