"""The navbar's links, as a registry: each app adds its own and names the permission it needs.

``classicpos`` draws the navbar but names no module; each app registers its items
from its ``AppConfig.ready()``, so an app that is not installed has no link, and a
link is shown only to a user who may open the page behind it (a link to a 403 page
is a dead end at the till). The user's name at the right of the navbar links to
their own settings page, when a module has one for them (``register_account_link``:
sales' approval PIN, for those who approve refunds).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.urls import NoReverseMatch, reverse

from classicpos.registry import Registry


class ActiveWhen(StrEnum):
    """When a link is marked as the page the user is on."""

    EXACT = "exact"  # only its own page (the till, the sales list)
    PREFIX = "prefix"  # any page under its URL (a customer's page is "Customers")


@dataclass(frozen=True)
class NavItem:
    name: str  # "crm": the registry's key
    label: str  # "CRM": what the link says
    url_name: str  # "crm:home"
    icon: str  # a Bootstrap icon's name, without "bi-"
    permission: str | None = None
    order: int = 100
    active_when: ActiveWhen = ActiveWhen.EXACT


@dataclass(frozen=True)
class ShownNavItem:
    """A link the user may follow, with its address resolved and whether it is the page now."""

    label: str
    url: str
    icon: str
    active: bool


_items: Registry[NavItem] = Registry("navbar items")
_account_links: Registry[NavItem] = Registry("account links")


def register_nav_item(item: NavItem) -> None:
    _items.register(item)


def register_account_link(item: NavItem) -> None:
    """Let the user's name in the navbar lead to ``item`` for those with its permission."""
    _account_links.register(item)


def nav_items_for(request) -> list[ShownNavItem]:
    """Return the links ``request.user`` may see, in order, each marked active or not."""
    return _shown(_items, request)


def account_link_for(request) -> ShownNavItem | None:
    """Return where the user's name leads, the first account link they may follow, or None."""
    return next(iter(_shown(_account_links, request)), None)


def _shown(registry: Registry[NavItem], request) -> list[ShownNavItem]:
    shown = []
    for item in registry.for_user(request.user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            # A page served by a URL conf without the item's app (as the template's
            # ``{% url ... as %}`` did): no link rather than an error page.
            continue
        if item.active_when == ActiveWhen.PREFIX:
            active = request.path.startswith(url)
        else:
            active = request.path == url
        shown.append(ShownNavItem(label=item.label, url=url, icon=item.icon, active=active))
    return shown


def navigation(request) -> dict:
    """Context processor: ``nav_items`` and ``account_link``, worked out only when used.

    Django templates call a callable they are given, so the many pages and htmx
    fragments that draw no navbar cost nothing.
    """
    return {
        "nav_items": lambda: nav_items_for(request),
        "account_link": lambda: account_link_for(request),
    }
