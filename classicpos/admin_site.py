"""Who may use the Django admin: Managers and superusers, never a Cashier.

Every staff user needs ``is_staff`` for the API, and Django's admin lets any
staff user in (a Cashier could add and change customers there, outside the
pages' rules). The admin site stays ``django.contrib.admin.site``, so each app's
``admin.py`` registers on it as usual; :class:`AdminAccessMiddleware` turns a
staff user without the Manager role away from every admin page but the login
and logout, and tells the navbar whether to offer the link.
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from classicpos.permissions import is_shop_staff
from classicpos.roles import MANAGER

ADMIN_NAMESPACE = "admin"
# Admin pages a signed-in Cashier may still reach: signing in and out.
OPEN_ADMIN_VIEWS = frozenset({"login", "logout"})
# The navbar's answer, kept in the session so that pages cost no extra query.
SESSION_KEY = "classicpos_can_use_admin"


def user_can_use_admin(user) -> bool:
    """Return whether ``user`` may open the Django admin (Manager role or superuser)."""
    if not is_shop_staff(user):
        return False
    return user.is_superuser or user.groups.filter(name=MANAGER).exists()


def _remember(request, allowed: bool) -> bool:
    request.session[SESSION_KEY] = [request.user.pk, allowed]
    return allowed


def _navbar_offers_admin(request) -> bool:
    """Return whether to show the Admin link, asking the database once per session.

    The admin pages themselves always check afresh (and refresh this answer), so a
    role changed meanwhile shows at the next login or the next visit to the admin.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, list) and len(remembered) == 2 and remembered[0] == user.pk:
        return bool(remembered[1])
    return _remember(request, user_can_use_admin(user))


class AdminAccessMiddleware:
    """Refuse the admin to staff without the Manager role; set ``request.can_use_admin``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.can_use_admin = SimpleLazyObject(lambda: _navbar_offers_admin(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or ADMIN_NAMESPACE not in match.namespaces:
            return
        # Visitors who are not signed in go to the admin's login page as usual.
        if not request.user.is_authenticated or match.url_name in OPEN_ADMIN_VIEWS:
            return
        if not _remember(request, user_can_use_admin(request.user)):
            raise PermissionDenied("The admin is for Managers.")
