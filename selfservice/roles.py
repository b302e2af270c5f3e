"""What each staff role may do with self-service links.

A customer asks at the counter "how many points do I have?": a Cashier sends the
link, and revokes it when the customer says it went to the wrong place.
"""

from classicpos.roles import CASHIER, MANAGER

ROLE_PERMISSIONS = {
    CASHIER: ["send_link", "revoke_link"],
    MANAGER: ["send_link", "revoke_link"],
}
