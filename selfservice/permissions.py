"""The self-service permissions every surface checks (the customer page's panel, the API)."""

SEND_LINK = "selfservice.send_link"
REVOKE_LINK = "selfservice.revoke_link"
