"""Who may use each URL: anonymous, Cashier and Manager, every route and method of the URL conf.

The routes are read from ``get_resolver()``, so a new endpoint or page fails here
until it is given an expectation below. Each cell runs against real rows (a
customer, product, sale on account with its invoice, lead, activity...), so a
404 never hides a refusal; a role that is refused gets 403, anonymous visitors
get 401 from the API and the login page from the staff pages, and the others
get through (whatever the handler then answers, never a 5xx).
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from classicpos.roles import CASHIER
from tests.classicpos.routes import cells, url_conf_cells
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF = frozenset({"cashier", "manager"})
MANAGERS = frozenset({"manager"})

# API routes: method -> the roles let through. Anonymous callers always get 401.
API = {
    "api/": {"GET": STAFF},
    "api/schema/": {"GET": STAFF},
    "api/docs/": {"GET": STAFF},
    "api/redoc/": {"GET": STAFF},
    "api/^customers/?$": {"GET": STAFF, "POST": STAFF},
    "api/^customers/(?P<pk>\\d+)/?$": {
        "GET": STAFF,
        "PUT": STAFF,
        "PATCH": STAFF,
        "DELETE": MANAGERS,
    },
    "api/^customers/(?P<pk>\\d+)/restore/?$": {"POST": MANAGERS},
    "api/^customers/duplicates/?$": {"GET": STAFF},
    "api/^customers/(?P<pk>\\d+)/timeline/?$": {"GET": STAFF},
    "api/^customers/export/?$": {"GET": MANAGERS, "POST": MANAGERS},
    "api/^customers/import/?$": {"POST": MANAGERS},
    "api/^customers/import/sources/?$": {"GET": MANAGERS},
    "api/^customers/(?P<pk>\\d+)/anonymise/?$": {"POST": MANAGERS},
    "api/^customers/(?P<pk>\\d+)/merge/?$": {"POST": MANAGERS},
    "api/^customers/(?P<pk>\\d+)/data-export/?$": {"GET": MANAGERS},
    "api/^customers/(?P<customer_id>\\d+)/sales/?$": {"GET": STAFF},
    "api/^customers/(?P<customer_id>\\d+)/loyalty/?$": {"GET": STAFF},
    "api/^customers/(?P<customer_id>\\d+)/loyalty-adjustments/?$": {"POST": MANAGERS},
    "api/^customers/(?P<customer_id>\\d+)/account/?$": {"GET": STAFF, "PATCH": MANAGERS},
    "api/^customers/(?P<customer_id>\\d+)/store-credit/?$": {"GET": STAFF},
    "api/^customers/(?P<customer_id>\\d+)/store-credit-adjustments/?$": {"POST": MANAGERS},
    "api/^customers/(?P<customer_id>\\d+)/statement/?$": {"GET": STAFF},
    "api/^customers/(?P<customer_id>\\d+)/activities/?$": {"GET": STAFF},
    "api/^loyalty-program/?$": {"GET": STAFF},
    "api/^loyalty/tiers/?$": {"GET": STAFF, "POST": MANAGERS},
    "api/^customers/(?P<customer_id>\\d+)/tier/?$": {"POST": MANAGERS},
    "api/^loyalty-transactions/?$": {"GET": STAFF},
    "api/^loyalty-transactions/(?P<pk>\\d+)/?$": {"GET": STAFF},
    "api/^products/?$": {"GET": STAFF, "POST": MANAGERS},
    "api/^products/(?P<pk>\\d+)/?$": {
        "GET": STAFF,
        "PUT": MANAGERS,
        "PATCH": MANAGERS,
        "DELETE": MANAGERS,
    },
    "api/^sales/?$": {"GET": STAFF, "POST": STAFF},
    "api/^sales/quote/?$": {"POST": STAFF},
    "api/^sales/(?P<pk>\\d+)/?$": {"GET": STAFF},
    "api/^sales/(?P<pk>\\d+)/refund/?$": {"POST": MANAGERS},
    "api/^reports/sales-by-store/?$": {"GET": MANAGERS},
    "api/^stores/?$": {"GET": STAFF, "POST": MANAGERS},
    "api/^stores/(?P<pk>\\d+)/?$": {"GET": STAFF, "PATCH": MANAGERS},
    "api/^stores/(?P<pk>\\d+)/staff/?$": {"GET": STAFF, "PUT": MANAGERS},
    "api/^tills/?$": {"GET": STAFF, "POST": MANAGERS},
    "api/^tills/(?P<pk>\\d+)/?$": {"GET": STAFF, "PATCH": MANAGERS},
    "api/^gift-cards/?$": {"POST": MANAGERS},
    "api/^gift-cards/lookup/?$": {"POST": STAFF},
    "api/^gift-cards/(?P<pk>\\d+)/?$": {"GET": STAFF},
    "api/^gift-cards/(?P<pk>\\d+)/entries/?$": {"GET": STAFF},
    "api/^gift-cards/(?P<pk>\\d+)/void/?$": {"POST": MANAGERS},
    "api/^messages/?$": {"GET": MANAGERS},
    "api/^messages/(?P<pk>[^/.]+)/send-again/?$": {"POST": MANAGERS},
    "api/^sales/(?P<pk>\\d+)/email-receipt/?$": {"POST": STAFF},
    "api/^customers/(?P<pk>\\d+)/self-service-link/?$": {"POST": STAFF, "DELETE": STAFF},
    "api/^reports/gift-card-liability/?$": {"GET": MANAGERS},
    "api/^reports/points-liability/?$": {"GET": MANAGERS},
    "api/^invoices/?$": {"GET": STAFF},
    "api/^invoices/(?P<pk>\\d+)/?$": {"GET": STAFF},
    "api/^invoices/(?P<pk>\\d+)/payments/?$": {"POST": STAFF},
    "api/^invoices/(?P<invoice_id>\\d+)/payments/(?P<payment_id>\\d+)/reversal/?$": {
        "POST": MANAGERS
    },
    "api/^leads/?$": {"GET": STAFF, "POST": STAFF},
    "api/^leads/(?P<pk>\\d+)/?$": {"GET": STAFF, "PUT": STAFF, "PATCH": STAFF},
    "api/^leads/(?P<pk>\\d+)/convert/?$": {"POST": STAFF},
    "api/^activities/?$": {"GET": STAFF, "POST": STAFF},
    "api/^activities/(?P<pk>\\d+)/?$": {"GET": STAFF, "PUT": STAFF, "PATCH": STAFF},
    # Each user's own background jobs (another's is not found).
    "api/^jobs/?$": {"GET": STAFF},
    "api/^jobs/(?P<pk>\\d+)/?$": {"GET": STAFF},
    "api/^jobs/(?P<pk>\\d+)/result/?$": {"GET": STAFF},
}

# Staff pages: method -> the roles let through. Anonymous visitors go to the login page.
PAGES = {
    "accounts/lockouts/": {"GET": MANAGERS, "POST": MANAGERS},
    "customers/": {"GET": STAFF},
    "customers/new/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "customers/duplicates/": {"GET": STAFF},
    "customers/<int:pk>/": {"GET": STAFF},
    "customers/<int:pk>/edit/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "customers/<int:pk>/deactivate/": {"GET": MANAGERS, "POST": MANAGERS},
    "customers/<int:pk>/restore/": {"POST": MANAGERS},
    "customers/import/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "customers/export/": {"GET": MANAGERS},
    "customers/likely-duplicates/": {"GET": MANAGERS},
    "customers/<int:pk>/merge/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "customers/<int:pk>/not-duplicate/": {"POST": MANAGERS},
    "customers/<int:pk>/anonymise/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "customers/<int:pk>/data-export/": {"GET": MANAGERS},
    "customers/<int:pk>/timeline/": {"GET": STAFF},
    "customers/<int:pk>/points/adjust/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "customers/<int:pk>/tier/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "loyalty/tiers/": {"GET": MANAGERS, "POST": MANAGERS},
    "customers/<int:pk>/statement/": {"GET": STAFF},
    "customers/<int:pk>/credit-limit/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "customers/<int:pk>/store-credit/adjust/": {
        "GET": MANAGERS,
        "POST": MANAGERS,
        "PUT": MANAGERS,
    },
    "checkout/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "sales/": {"GET": STAFF},
    "sales/<int:pk>/": {"GET": STAFF},
    # A Cashier starts a refund at the till; a Manager's password approves it (sales.approvals).
    "sales/<int:pk>/refund/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "sales/<int:pk>/refund/preview/": {"GET": STAFF},
    "sales/approval-pin/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "reports/sales-by-store/": {"GET": MANAGERS},
    "stores/": {"GET": STAFF},
    # Only a Manager makes a browser a till (a Cashier cannot move it to another store).
    "tills/pair/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "invoices/": {"GET": STAFF},
    "invoices/<int:pk>/": {"GET": STAFF},
    "invoices/<int:pk>/payments/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "invoices/<int:pk>/payments/<int:payment_pk>/reversal/": {
        "GET": MANAGERS,
        "POST": MANAGERS,
        "PUT": MANAGERS,
    },
    # A balance check is a POST (the code stays out of URLs); the rest is a Manager's.
    "gift-cards/": {"GET": STAFF, "POST": STAFF},
    "gift-cards/issue/": {"GET": MANAGERS, "POST": MANAGERS},
    "gift-cards/validity/": {"GET": MANAGERS, "POST": MANAGERS},
    "gift-cards/liability/": {"GET": MANAGERS},
    "loyalty/liability/": {"GET": MANAGERS},
    "gift-cards/<int:pk>/": {"GET": STAFF},
    "gift-cards/<int:pk>/void/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "gift-cards/<int:pk>/block/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "gift-cards/<int:pk>/adjust/": {"GET": MANAGERS, "POST": MANAGERS, "PUT": MANAGERS},
    "messages/": {"GET": MANAGERS},
    "messages/<int:pk>/send-again/": {"POST": MANAGERS},
    "sales/<int:pk>/email-receipt/": {"POST": STAFF},
    "customers/<int:pk>/self-service-link/": {"POST": STAFF},
    "customers/<int:pk>/self-service-link/revoke/": {"POST": STAFF},
    "crm/contacts/": {"GET": STAFF},
    "crm/leads/": {"GET": STAFF},
    "crm/leads/board/": {"GET": STAFF},
    "crm/leads/new/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "crm/leads/<int:pk>/": {"GET": STAFF},
    "crm/leads/<int:pk>/edit/": {"GET": STAFF, "POST": STAFF, "PUT": STAFF},
    "crm/leads/<int:pk>/status/": {"POST": STAFF},
    "crm/leads/<int:pk>/convert/": {"GET": STAFF, "POST": STAFF},
    "crm/leads/<int:lead_pk>/activities/": {"POST": STAFF},
    "crm/customers/<int:customer_pk>/activities/": {"POST": STAFF},
    "crm/tasks/": {"GET": STAFF},
    "crm/activities/<int:pk>/done/": {"POST": STAFF},
    "jobs/": {"GET": STAFF},
    "jobs/<int:pk>/": {"GET": STAFF},
    "jobs/<int:pk>/download/": {"GET": STAFF},
}

# Redirects to a page that then asks for a login: the same answer for everyone.
REDIRECTS = {"": "/customers/", "crm/": "/crm/leads/"}

# Open to everyone, by design: signing in and out, getting a token, unknown API paths.
PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "api/auth/login/",
    "api/auth/logout/",
    "api/auth/token",
    "api/auth/token/",
    "api/^.*$",
    # The customer's own side: the form that emails a link, and the pages the link opens
    # (the link itself is the credential; tests/selfservice checks what each answers).
    "my/",
    "my/<str:token>/",
    "my/<str:token>/consents/",
    "my/<str:token>/data/",
}

CELLS = url_conf_cells()


@pytest.fixture
def shop(module_shop):
    """The shop written once for the module (tests/classicpos/conftest.py): hundreds of
    cells, each rolled back to it, instead of a shop written for every cell."""
    return module_shop


@pytest.fixture
def manager(module_manager):
    return module_manager


@pytest.fixture
def cashier(module_cashier):
    return module_cashier


@pytest.fixture
def cashier_not_staff(db):
    """In the Cashier role but without the staff flag: pages and API refuse them alike."""
    user = UserFactory(username="not-staff", is_staff=False)
    user.groups.add(Group.objects.get(name=CASHIER))
    return user


def test_every_route_and_method_has_an_expectation():
    missing = [
        f"{method} {route}"
        for route, method in CELLS
        if route not in PUBLIC
        and route not in REDIRECTS
        and method not in {**API, **PAGES}.get(route, {})
    ]
    assert not missing, (
        "Add these to the permission matrix in tests/classicpos/test_permission_matrix.py "
        "(API or PAGES: which roles may use them): " + ", ".join(missing)
    )


def test_every_expectation_names_a_route_that_exists():
    handled = {(route, method) for route, method in CELLS}
    stale = [
        f"{method} {route}"
        for route, methods in {**API, **PAGES}.items()
        for method in methods
        if (route, method) not in handled
    ]
    assert not stale, "The permission matrix names routes that are gone: " + ", ".join(stale)


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _answers(client, method: str, url: str):
    return client.generic(method, url, "{}", content_type="application/json")


@pytest.mark.parametrize(("route", "method"), cells([cell for cell in CELLS if cell[0] in API]))
def test_api_permission(shop, cashier, manager, cashier_not_staff, route, method):
    url = shop.url(route)
    assert _answers(_client(), method, url).status_code == 401
    assert _answers(_client(cashier_not_staff), method, url).status_code == 403
    for role, user in (("cashier", cashier), ("manager", manager)):
        status = _answers(_client(user), method, url).status_code
        if role in API[route][method]:
            assert status not in (401, 403), f"{role}: {status}"
            assert status < 500, f"{role}: {status}"
        else:
            assert status == 403, f"{role}: {status}"


def _page_cells():
    for route, method in CELLS:
        if route not in PAGES:
            continue
        yield pytest.param(route, method, id=f"{method} {route}")


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("route", "method"), list(_page_cells()))
def test_page_permission(shop, cashier, manager, cashier_not_staff, route, method):
    url = shop.url(route)
    assert _sent_to_login(_answers(_client(), method, url))
    assert _answers(_client(cashier_not_staff), method, url).status_code == 403
    # An id that names nothing gets the login page too: visitors cannot probe ids.
    assert _sent_to_login(_answers(_client(), method, re.sub(r"/\d+/", "/999999/", url)))
    for role, user in (("cashier", cashier), ("manager", manager)):
        response = _answers(_client(user), method, url)
        if role in PAGES[route][method]:
            assert response.status_code != 403, role
            assert response.status_code < 500, role
            assert not _sent_to_login(response), role
        else:
            assert response.status_code == 403, f"{role}: {response.status_code}"


@pytest.mark.parametrize(("route", "target"), sorted(REDIRECTS.items()))
def test_redirects_send_everyone_to_their_page(route, target, cashier):
    for user in (None, cashier):
        for method in ("GET", "POST"):
            response = _answers(_client(user), method, "/" + route)
            assert response.status_code == 302
            assert response["Location"] == target


@pytest.mark.parametrize("route", sorted(PUBLIC))
def test_public_routes_answer_everyone_without_a_server_error(route, cashier):
    path = "/" + route.replace("^.*$", "no-such-resource")
    for user in (None, cashier):
        for method in ("GET", "POST"):
            assert _answers(_client(user), method, path).status_code < 500


def _admin_pages() -> list:
    pages = [pytest.param(reverse("admin:index"), None, id="admin:index")]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in ("changelist", "add"):
            pages.append(pytest.param(reverse(f"admin:{info}_{view}"), model, id=f"{info}_{view}"))
    return pages


@pytest.mark.parametrize(("url", "model"), _admin_pages())
def test_admin_is_for_managers_only(rf, cashier, manager, url, model):
    anonymous = _client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert _client(cashier).get(url).status_code == 403
    assert _client(cashier).post(url, {}).status_code == 403
    allowed = True
    if model is not None:
        # Managers get what their role's model permissions grant: shop data, not the
        # users, tokens and lockouts (superusers') nor adding to append-only ledgers.
        request = rf.get(url)
        request.user = manager
        model_admin = admin.site._registry[model]
        if url.endswith("/add/"):
            allowed = model_admin.has_add_permission(request)
        else:
            allowed = model_admin.has_view_or_change_permission(request)
    assert _client(manager).get(url).status_code == (200 if allowed else 403)
