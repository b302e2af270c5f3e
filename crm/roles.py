"""What each staff role may do in the CRM (read by the role sync and the data migration).

Cashiers add leads, log activities and convert leads; Managers also reassign a
lead's owner and mark leads lost.
"""

from classicpos.roles import CASHIER, MANAGER

_EVERY_ROLE = [
    "view_lead",
    "add_lead",
    "change_lead",
    "convert_lead",
    "view_activity",
    "add_activity",
    "change_activity",
]

ROLE_PERMISSIONS = {
    CASHIER: list(_EVERY_ROLE),
    MANAGER: [*_EVERY_ROLE, "reassign_lead", "mark_lead_lost"],
}
