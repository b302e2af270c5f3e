"""Lockouts that an attacker cannot turn on the shop: per user and address, known devices kept.

Five wrong passwords lock that user from that address only; a device the user
logged in on before keeps working; a Manager unlocks from a staff page; the token
endpoint's rate limit is shared by every worker and keyed on the real address.
"""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.test import APIClient

from classicpos.throttling import LoginRateThrottle
from tests.api_helpers import post_json
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SHOP = "10.0.0.7"  # the shop's one public address: every till and the attacker behind it
ELSEWHERE = "192.0.2.40"


def _login(client, username: str, password: str = TEST_PASSWORD) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def _lock(username: str, address: str = SHOP) -> None:
    attacker = Client(REMOTE_ADDR=address)
    for _ in range(5):
        _login(attacker, username, "not-the-password")
    assert _login(attacker, username) == 429


def test_a_lockout_holds_that_user_at_that_address_only(manager, cashier):
    _lock("manager")

    assert _login(Client(REMOTE_ADDR=SHOP), "cashier") == 302
    assert _login(Client(REMOTE_ADDR=ELSEWHERE), "manager") == 302


def test_a_device_the_user_logged_in_on_keeps_working_behind_a_locked_address(manager):
    till = Client(REMOTE_ADDR=SHOP)
    assert _login(till, "manager") == 302
    till.post("/accounts/logout/")

    _lock("manager")

    assert _login(till, "manager") == 302


def test_a_known_device_is_not_a_way_around_the_lockout(manager):
    till = Client(REMOTE_ADDR=SHOP)
    assert _login(till, "manager") == 302
    till.post("/accounts/logout/")
    statuses = [_login(till, "manager", "not-the-password") for _ in range(12)]

    assert statuses[-1] == 429
    assert _login(till, "manager") == 429


def test_a_device_cookie_of_another_user_exempts_nobody(manager, cashier):
    till = Client(REMOTE_ADDR=SHOP)
    assert _login(till, "cashier") == 302
    till.post("/accounts/logout/")

    _lock("manager")

    assert _login(till, "manager") == 429


def test_a_manager_unlocks_a_user_from_the_lockouts_page(manager):
    UserFactory(username="maria")
    _lock("maria")
    page = Client()
    page.force_login(manager)

    listed = page.get("/accounts/lockouts/")
    assert listed.status_code == 200
    assert "maria" in listed.content.decode()
    assert SHOP in listed.content.decode()
    done = page.post("/accounts/lockouts/", {"username": "maria", "ip_address": SHOP}, follow=True)

    assert done.status_code == 200
    assert "Unlocked maria" in done.content.decode()
    assert _login(Client(REMOTE_ADDR=SHOP), "maria") == 302


def test_a_cashier_cannot_open_the_lockouts_page(cashier):
    page = Client()
    page.force_login(cashier)
    assert page.get("/accounts/lockouts/").status_code == 403
    assert (
        page.post("/accounts/lockouts/", {"username": "x", "ip_address": SHOP}).status_code == 403
    )


def test_the_lockout_page_names_the_staff_page_not_the_admin(manager):
    attacker = Client(REMOTE_ADDR=SHOP)
    for _ in range(5):
        _login(attacker, "manager", "not-the-password")
    locked = attacker.post("/accounts/login/", {"username": "manager", "password": "x"})
    assert "Locked logins" in locked.content.decode()
    assert "Django admin" not in locked.content.decode()


# --- the token endpoint's rate limit --------------------------------------------------


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/min"})


WRONG = {"username": "nobody", "password": "not-the-password"}


@override_settings(AXES_ENABLED=False)
def test_the_token_rate_limit_is_shared_by_every_worker(three_a_minute):
    client = APIClient(REMOTE_ADDR=SHOP)
    statuses = []
    for _ in range(5):
        statuses.append(post_json(client, "/api/auth/token", WRONG).status_code)
        # Each request as if served by another worker: nothing kept in process memory.
        cache.clear()
    assert statuses == [400, 400, 400, 429, 429]


@override_settings(AXES_ENABLED=False)
def test_a_forged_forwarded_for_does_not_reset_the_token_rate_limit(three_a_minute):
    client = APIClient(REMOTE_ADDR=SHOP)
    statuses = [
        post_json(
            client, "/api/auth/token", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]
    assert post_json(APIClient(REMOTE_ADDR=ELSEWHERE), "/api/auth/token", WRONG).status_code == 400


@override_settings(AXES_ENABLED=False, CLASSICPOS_PROXY_COUNT=1)
def test_behind_a_proxy_the_rate_limit_keys_on_the_address_the_proxy_saw(three_a_minute):
    proxy = APIClient(REMOTE_ADDR="127.0.0.1")

    def attempt(forwarded: str) -> int:
        return post_json(
            proxy, "/api/auth/token", WRONG, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # What the client wrote (left) changes each time; what the proxy appended does not.
    statuses = [attempt(f"198.51.100.{n}, {SHOP}") for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]
    assert attempt(ELSEWHERE) == 400


def test_managers_find_the_page_in_the_menu_and_cashiers_do_not(manager, cashier):
    for user, shown in ((manager, True), (cashier, False)):
        page = Client()
        page.force_login(user)
        html = page.get("/customers/").content.decode()
        assert ('href="/accounts/lockouts/"' in html) is shown


def test_a_token_login_honours_a_device_cookie_but_sets_none(manager):
    till = Client(REMOTE_ADDR=SHOP)
    assert _login(till, "manager") == 302
    _lock("manager")
    api = APIClient(REMOTE_ADDR=SHOP)
    api.cookies = till.cookies

    response = post_json(api, "/api/auth/token", {"username": "manager", "password": TEST_PASSWORD})

    assert response.status_code == 200
    fresh = post_json(
        APIClient(REMOTE_ADDR=ELSEWHERE),
        "/api/auth/token",
        {"username": "manager", "password": TEST_PASSWORD},
    )
    assert fresh.status_code == 200
    assert "classicpos_device" not in fresh.cookies
