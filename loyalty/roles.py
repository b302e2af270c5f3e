"""What each staff role may do with loyalty points and the program."""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_loyaltytransaction"],
    MANAGER: [
        "view_loyaltytransaction",
        "adjust_points",
        "view_loyaltyprogram",
        "change_loyaltyprogram",
        "view_loyaltytier",
        "change_loyaltytier",
        "set_tier",
        "view_points_liability",
    ],
}
