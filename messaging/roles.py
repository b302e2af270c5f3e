"""What each staff role may do with messages.

A Cashier emails a receipt from the till's receipt page; a Manager also reads the
outbox (who was sent what, and why a message failed).
"""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["email_receipt"],
    MANAGER: ["email_receipt", "view_message"],
}
