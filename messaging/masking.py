"""How an email address is shown to staff: ``m•••@example.com``.

The one masking function: the Messages page, the API and the customer's timeline
all show addresses through it, so an address typed for one sale is never read back
whole by anyone who did not type it.
"""

MASK = "\u2022\u2022\u2022"


def mask_email(address: str) -> str:
    """Return ``address`` with all but the first character of its local part hidden."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return MASK if address else ""
    return f"{local[:1]}{MASK}@{domain}"
