"""A Manager approves, at the till, what the signed-in cashier may not do alone (a refund).

The Manager types their user name and their password or approval PIN on the
cashier's screen: nobody logs out, and the refund records both who rang it up and
who approved it. Every wrong secret goes through ``django.contrib.auth.authenticate``
with the request, so it counts towards the same lockout as a wrong login
(django-axes, per user and address), and a locked user's PIN is refused too: a
4-digit PIN would otherwise fall to a few thousand guesses.
"""

import re

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from sales.models import ApprovalPin

PIN_TEXT = re.compile(r"[0-9]{4,8}", re.ASCII)
WRONG_APPROVAL = "That Manager's user name, password or PIN is wrong."
NOT_ALLOWED = "{name} may not approve refunds: a Manager must."
LOCKED = (
    "Too many wrong passwords or PINs for {name}: they cannot approve from here for a while. "
    "Another Manager can, or a Manager can unlock them under Locked logins."
)
# PINs anyone would try first.
OBVIOUS_PINS = {"0123", "1234", "12345", "123456", "1234567", "12345678", "4321", "87654321"}


def approver_for(*, request, username: str, secret: str, permission: str):
    """Return the user who approves, with ``permission``, from their user name and password
    or PIN.

    Raises ``ValidationError({"approver": [...]})`` when the secret is wrong or the
    user may not give this approval.
    """
    if not username or not secret:
        raise ValidationError(
            {"approver": ["A Manager's user name and password or PIN approve this."]}
        )
    user = _user_by_pin(request, username, secret) if PIN_TEXT.fullmatch(secret) else None
    if user is None:
        # A wrong PIN is tried as a password too: that is what counts the failure.
        user = authenticate(request, username=username, password=secret)
    if getattr(request, "axes_locked_out", False):
        # The approver is locked out, not the cashier: say so in the form instead of
        # letting the lockout middleware answer the cashier's whole request with 429.
        request.axes_locked_out = False
        raise ValidationError({"approver": [LOCKED.format(name=username)]})
    if user is None or not user.is_active:
        raise ValidationError({"approver": [WRONG_APPROVAL]})
    if not user.has_perm(permission):
        raise ValidationError({"approver": [NOT_ALLOWED.format(name=user.get_username())]})
    return user


def _user_by_pin(request, username: str, pin: str):
    if AxesProxyHandler.is_locked(request, credentials={"username": username}):
        return None
    found = (
        ApprovalPin.objects.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if found is None or not check_password(pin, found.pin_hash):
        return None
    return found.user


@transaction.atomic
def approval_pin_set(*, user, password: str, pin: str) -> ApprovalPin:
    """Set ``user``'s approval PIN, once they have typed their password.

    Raises ``ValidationError`` on ``password`` or ``pin``.
    """
    if not user.check_password(password or ""):
        raise ValidationError({"password": ["That is not your password."]})
    pin = (pin or "").strip()
    if not PIN_TEXT.fullmatch(pin):
        raise ValidationError({"pin": ["A PIN is 4 to 8 digits."]})
    if len(set(pin)) == 1 or pin in OBVIOUS_PINS:
        raise ValidationError({"pin": ["Choose a PIN that is harder to guess."]})
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    approval_pin, _ = ApprovalPin.objects.update_or_create(
        user=locked, defaults={"pin_hash": make_password(pin)}
    )
    return approval_pin
