"""Who may use the Django admin: Managers and superusers, never a Cashier.

Every staff user needs ``is_staff`` for the API, and Django's admin lets any
staff user in (a Cashier could add and change customers there, outside the
pages' rules). The admin site stays ``django.contrib.admin.site``, so each app's
``admin.py`` registers on it as usual; :class:`AdminAccessMiddleware` turns a
staff user without the Manager role away from every admin page but the login
and logout, and tells the navbar whether to offer the link.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from classicpos.roles import MANAGER

ADMIN_NAMESPACE = "admin"
# Admin pages a signed-in Cashier may still reach: signing in and out.
OPEN_ADMIN_VIEWS = frozenset({"login", "logout"})


def user_can_use_admin(user) -> bool:
    """Return whether ``user`` may open the Django admin (Manager role or superuser)."""
    if user is None or isinstance(user, AnonymousUser):
        return False
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=MANAGER).exists()


class AdminAccessMiddleware:
    """Refuse the admin to staff without the Manager role; set ``request.can_use_admin``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.can_use_admin = SimpleLazyObject(
            lambda: user_can_use_admin(getattr(request, "user", None))
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or ADMIN_NAMESPACE not in match.namespaces:
            return
        # Visitors who are not signed in go to the admin's login page as usual.
        signing_in_or_out = match.url_name in OPEN_ADMIN_VIEWS
        if request.user.is_authenticated and not signing_in_or_out and not request.can_use_admin:
            raise PermissionDenied("The admin is for Managers.")
