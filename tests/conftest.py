"""Fixtures shared by the whole suite: users in each role and API clients."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from classicpos.api.authentication import stamp_for_new_token
from classicpos.roles import CASHIER, MANAGER
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: the API's throttles count requests there."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager(db):
    """A staff user in the Manager role (not a superuser: permissions come from the role)."""
    user = UserFactory(username="manager")
    user.groups.add(Group.objects.get(name=MANAGER))
    return user


@pytest.fixture
def cashier(db):
    """A staff user in the Cashier role."""
    user = UserFactory(username="cashier")
    user.groups.add(Group.objects.get(name=CASHIER))
    return user


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
