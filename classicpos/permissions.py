"""The project-wide permissions the staff pages check, named once, and who is staff."""

# Lift a login lockout (``/accounts/lockouts/``): a Manager's call.
UNLOCK_LOGIN = "classicpos.unlock_login"


def is_shop_staff(user) -> bool:
    """Return whether ``user`` is shop staff: signed in, active and flagged as staff.

    The one rule for the staff pages (``classicpos.views.StaffPageMixin``), the API
    (``classicpos.api.permissions.IsStaff``) and the admin. A role (a group) says
    what a staff user may do, not who is staff: the pages once let a Cashier-group
    user without the flag in while every API call the till makes refused them.
    """
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
