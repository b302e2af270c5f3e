"""Fixtures shared by the whole suite: users in each role and API clients."""

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from classicpos.api.authentication import stamp_for_new_token
from classicpos.roles import CASHIER, MANAGER
from tests.factories import staff_user

# Fixtures by which a test reaches the database (pytest-django orders tests by them).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


# The longest browser walks (about a minute apiece on the 2-core machine), started first
# among the transactional tests so that no worker is left running one after the others are done.
LONGEST_WALKS = (
    "tests/e2e/test_shell.py::test_the_api_docs_work_offline_and_pass_axe",
    "tests/e2e/test_shell.py::test_every_page_works_offline_and_passes_axe",
)


def _uses_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"}
        & set(getattr(item, "fixturenames", ()))
    )


def _walk_order(item) -> int:
    if item.nodeid in LONGEST_WALKS:
        return LONGEST_WALKS.index(item.nodeid)
    return len(LONGEST_WALKS) if "tests/e2e/" in item.nodeid else len(LONGEST_WALKS) + 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Start with the slow tests that never touch the test database (the bench smoke runs,
    half a minute apiece in their own processes). pytest-django has put the database tests
    first, then the transactional ones, then the rest; the slow rest would come last, and
    under pytest-xdist (make test) one worker would still be running them long after the
    others ran out of tests. A test that uses no database may run anywhere in the order.

    Among the transactional tests (they stay where pytest-django put them: after every test
    that runs in a transaction), the browser tests go first, the longest walks first of all,
    and the short thread and migration tests after them, for the same reason."""
    first = [
        item for item in items if item.get_closest_marker("slow") and not _uses_the_database(item)
    ]
    if first:
        chosen = set(map(id, first))
        items[:] = first + [item for item in items if id(item) not in chosen]
    places = [index for index, item in enumerate(items) if _is_transactional(item)]
    if places and places == list(range(places[0], places[-1] + 1)):
        items[places[0] : places[-1] + 1] = sorted(
            items[places[0] : places[-1] + 1], key=_walk_order
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: the API's throttles count requests there."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager(db):
    """A staff user in the Manager role (not a superuser: permissions come from the role)."""
    return staff_user("manager", MANAGER)


@pytest.fixture
def cashier(db):
    """A staff user in the Cashier role."""
    return staff_user("cashier", CASHIER)


@pytest.fixture
def anonymous_client():
    return APIClient()


@pytest.fixture
def manager_client(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.fixture
def cashier_client(cashier):
    client = APIClient()
    client.force_authenticate(cashier)
    return client


@pytest.fixture
def token_client(manager):
    """The API as a till calls it: a Manager's knox token, no session, issued as the
    token endpoint issues it (under a password stamp, so no request stamps it later)."""
    stamp_for_new_token(manager)
    _, token = AuthToken.objects.create(manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def manager_page(client, manager):
    """The Django test client logged in as a Manager, for the staff pages."""
    client.force_login(manager)
    return client


@pytest.fixture
def cashier_page(client, cashier):
    """The Django test client logged in as a Cashier."""
    client.force_login(cashier)
    return client
