"""Which till this browser is: a Manager pairs the device once, a signed cookie keeps it.

The cookie holds the till's id, signed with the project's secret, so a cashier
cannot move the device to another till (or another store) by editing it; only a
Manager's pairing page writes it. A chain with one till needs no pairing.
"""

from django.core import signing

from stores.models import Till
from stores.selectors import the_only_till

COOKIE = "classicpos_till"
SALT = "stores.devices.till"
# A till stays paired until a Manager changes it: ten years is "until changed".
MAX_AGE = 10 * 365 * 24 * 3600


def paired_till_id(request) -> int | None:
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    except signing.BadSignature:
        return None
    return int(value) if value and value.isdigit() else None


def device_till(request) -> Till | None:
    """Return the active till this browser is paired with, else the chain's only till."""
    till_id = paired_till_id(request)
    if till_id is not None:
        till = Till.objects.select_related("store").filter(pk=till_id, active=True).first()
        if till is not None:
            return till
    return the_only_till()


def pair(response, till: Till, *, secure: bool) -> None:
    response.set_signed_cookie(
        COOKIE,
        str(till.pk),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def unpair(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")
