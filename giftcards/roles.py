"""What each staff role may do with gift cards.

A Cashier sells, reloads and takes gift cards at the till and looks up a balance;
a Manager also issues cards outside a sale, voids, blocks and adjusts them, sets
their validity and reads the liability.
"""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["view_giftcard", "view_giftcardentry"],
    MANAGER: [
        "view_giftcard",
        "view_giftcardentry",
        "add_giftcardentry",
        "issue_giftcard",
        "void_giftcard",
        "view_giftcard_liability",
        "view_giftcardprogram",
        "change_giftcardprogram",
    ],
}
