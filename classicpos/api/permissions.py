"""API permissions: a logged-in staff user, then Django's model permissions.

Reads need the ``view`` permission too, so a role only sees what it was granted.
"""

from rest_framework import permissions

from classicpos.permissions import is_shop_staff


class IsStaff(permissions.BasePermission):
    """Allow shop staff only (``classicpos.permissions.is_shop_staff``, as the pages do)."""

    message = "Only shop staff may use the API."

    def has_permission(self, request, view) -> bool:
        return is_shop_staff(request.user)


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Staff user plus the model permission of the verb, ``view`` included.

    A view may name extra permissions per action in ``action_permissions``,
    e.g. ``{"restore": ["customers.deactivate_customer"]}``.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not IsStaff().has_permission(request, view):
            return False
        if request.method not in view.allowed_methods:
            # Let the view answer 405: a verb it lacks is not a permission question.
            return True
        action_permissions = getattr(view, "action_permissions", {})
        action = getattr(view, "action", None)
        if action in action_permissions:
            return request.user.has_perms(action_permissions[action])
        if getattr(view, "_ignore_model_permissions", False):
            return True
        return super().has_permission(request, view)
