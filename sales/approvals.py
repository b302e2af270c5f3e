"""A Manager approves, at the till, what the signed-in cashier may not do alone (a refund).

The Manager types their user name and password on the cashier's screen: nobody
logs out, and the refund records both who rang it up and who approved it. The
password goes through ``django.contrib.auth.authenticate`` with the request, so a
wrong one counts towards the same lockout as a wrong login (django-axes).
"""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

WRONG_APPROVAL = "That Manager's user name or password is wrong."
NOT_ALLOWED = "{name} may not approve refunds: a Manager must."


def approver_for(*, request, username: str, password: str, permission: str):
    """Return the user who approves, with ``permission``, from their user name and password.

    Raises ``ValidationError({"approver": [...]})`` when the password is wrong or
    the user may not give this approval.
    """
    if not username or not password:
        raise ValidationError({"approver": ["A Manager's user name and password approve this."]})
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise ValidationError({"approver": [WRONG_APPROVAL]})
    if not user.has_perm(permission):
        raise ValidationError({"approver": [NOT_ALLOWED.format(name=user.get_username())]})
    return user
