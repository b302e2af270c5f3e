"""Logins are locked per user name and address; API tokens expire and can be revoked."""

import gc
import logging
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api_helpers import assert_problem, post_json
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = {"username": "manager", "password": "not-the-password"}
NEW_PASSWORD = "a-new-long-password"


def token_for(username="manager") -> str:
    response = post_json(
        APIClient(), "/api/auth/token", {"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/api/auth/login/"])
def test_login_pages_lock_out_after_repeated_wrong_passwords(client, manager, path, caplog):
    statuses = [client.post(path, WRONG).status_code for _ in range(30)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[4:]) == {429}  # the fifth wrong password locks the account
    locked = client.post(path, {"username": "manager", "password": TEST_PASSWORD})
    assert locked.status_code == 429  # even the right password waits out the lockout
    assert "Too many failed logins" in locked.content.decode()


def test_a_lockout_is_of_the_user_at_that_address_not_of_the_address(client, manager, cashier):
    for _ in range(5):
        client.post("/accounts/login/", WRONG)
    other = {"username": "cashier", "password": TEST_PASSWORD}
    assert client.post("/accounts/login/", other).status_code == 302


def test_token_endpoint_locks_out_with_a_429_problem(manager, caplog):
    client = APIClient()
    with caplog.at_level(logging.WARNING):
        # Ten tries: under the endpoint's own rate limit, so the lockout is what answers.
        statuses = [post_json(client, "/api/auth/token", WRONG).status_code for _ in range(10)]
    assert statuses[:4] == [400] * 4
    assert set(statuses[4:]) == {429}  # the fifth wrong password locks the account
    right = post_json(client, "/api/auth/token", {"username": "manager", "password": TEST_PASSWORD})
    body = assert_problem(right, 429)
    assert "Too many failed logins" in body["detail"]
    assert any("locked out" in record.getMessage().lower() for record in caplog.records)


@override_settings(AXES_ENABLED=False)
def test_token_endpoint_is_rate_limited_per_address(manager, monkeypatch):
    from classicpos.throttling import LoginRateThrottle

    # DRF reads the rates once, at import; the test lowers this one directly.
    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    client = APIClient()
    statuses = [post_json(client, "/api/auth/token", WRONG).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_delete_revokes_the_token_it_is_sent_with(manager):
    kept, revoked = token_for(), token_for()
    response = client_with(revoked).delete("/api/auth/token")
    assert response.status_code == 204
    assert_problem(client_with(revoked).get("/api/customers"), 401)
    assert client_with(kept).get("/api/customers").status_code == 200


def test_delete_without_a_token_says_what_to_send(manager_client):
    body = assert_problem(manager_client.delete("/api/auth/token"), 400)
    assert "Authorization" in body["errors"]


def test_a_password_change_revokes_every_token(manager):
    token = token_for()
    manager.set_password("a-new-long-password")
    manager.save()
    assert_problem(client_with(token).get("/api/customers"), 401)
    assert AuthToken.objects.filter(user=manager).count() == 0


def test_a_password_changed_by_a_queryset_update_revokes_every_token(manager):
    old = token_for()
    # No save(), no signal: as a data migration, a script or a bulk reset would do it.
    type(manager).objects.filter(pk=manager.pk).update(password=make_password(NEW_PASSWORD))
    assert_problem(client_with(old).get("/api/customers"), 401)
    new = post_json(
        APIClient(), "/api/auth/token", {"username": "manager", "password": NEW_PASSWORD}
    ).json()["token"]
    assert client_with(new).get("/api/customers").status_code == 200
    assert_problem(client_with(old).get("/api/customers"), 401)


def test_a_token_unused_until_after_the_next_login_dies_with_the_old_password(manager):
    old = token_for()
    type(manager).objects.filter(pk=manager.pk).update(password=make_password(NEW_PASSWORD))
    # Logging in with the new password comes first; the old token is tried after.
    new = post_json(
        APIClient(), "/api/auth/token", {"username": "manager", "password": NEW_PASSWORD}
    ).json()["token"]
    assert_problem(client_with(old).get("/api/customers"), 401)
    assert client_with(new).get("/api/customers").status_code == 200


def test_saving_a_user_without_a_new_password_keeps_the_tokens(manager):
    token = token_for()
    manager.first_name = "Maria"
    manager.save()
    assert client_with(token).get("/api/customers").status_code == 200


def test_tokens_expire(manager):
    token = token_for()
    AuthToken.objects.filter(user=manager).update(expiry=timezone.now() - timedelta(seconds=1))
    assert_problem(client_with(token).get("/api/customers"), 401)


def test_an_expired_token_is_deleted_when_used_and_the_others_at_the_next_login(manager):
    old, other, current = token_for(), token_for(), token_for()
    expired = timezone.now() - timedelta(seconds=1)
    AuthToken.objects.filter(user=manager).update(expiry=expired)
    assert_problem(client_with(old).get("/api/customers"), 401)
    assert AuthToken.objects.filter(user=manager).count() == 2  # the used one went
    fresh = token_for()
    # Logging in again sweeps the user's other expired tokens.
    assert AuthToken.objects.filter(user=manager).count() == 1
    assert client_with(fresh).get("/api/customers").status_code == 200
    for stale in (other, current):
        assert_problem(client_with(stale).get("/api/customers"), 401)


def test_a_used_token_is_extended_and_keeps_working(manager):
    token = token_for()
    soon = timezone.now() + timedelta(hours=1)
    AuthToken.objects.filter(user=manager).update(expiry=soon)
    assert client_with(token).get("/api/customers").status_code == 200
    # Used, it lasts the whole TTL again (a till's token while the till is in use).
    assert AuthToken.objects.get(user=manager).expiry > soon + timedelta(days=1)
    assert client_with(token).get("/api/customers").status_code == 200


def test_a_token_is_checked_by_its_whole_secret_not_its_key(manager):
    token = token_for()
    # The first 15 characters find the token; the rest must match its digest too.
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    assert_problem(client_with(forged).get("/api/customers"), 401)
    assert client_with(token).get("/api/customers").status_code == 200


def test_the_token_of_a_deactivated_user_is_refused(manager):
    token = token_for()
    manager.is_active = False
    manager.save()
    assert_problem(client_with(token).get("/api/customers"), 401)


def test_a_token_check_is_one_query_and_yields_the_user(manager, django_assert_num_queries):
    from rest_framework.test import APIRequestFactory

    from classicpos.api.authentication import TokenAuthentication

    token = token_for()
    request = APIRequestFactory().get("/api/customers", HTTP_AUTHORIZATION=f"Token {token}")
    with django_assert_num_queries(1):
        user, auth_token = TokenAuthentication().authenticate(request)
    assert user == manager
    assert user.check_password(TEST_PASSWORD)
    assert auth_token.user_id == manager.pk
    assert auth_token.expiry > timezone.now()
    assert auth_token._state.adding is False


@pytest.mark.django_db(transaction=True)
def test_the_token_lookup_does_not_keep_a_finished_threads_connection(manager):
    def wrappers() -> int:
        gc.collect()
        # type(), not isinstance(): the heap holds weak proxies whose objects are gone.
        return sum(issubclass(type(item), BaseDatabaseWrapper) for item in gc.get_objects())

    token = token_for()
    statuses = []

    def request_in_a_thread():
        # As the development server does: a thread, and its own connection, per request.
        statuses.append(client_with(token).get("/api/customers").status_code)
        connections.close_all()

    before = wrappers()
    for _ in range(5):
        thread = threading.Thread(target=request_in_a_thread)
        thread.start()
        thread.join()
    assert statuses == [200] * 5
    assert wrappers() <= before


def test_tokens_are_listed_and_revocable_in_the_admin(admin_client_for_tokens, manager):
    token_for()
    page = admin_client_for_tokens.get("/admin/knox/authtoken/")
    assert page.status_code == 200
    assert "manager" in page.content.decode()


def test_a_manager_who_is_not_a_superuser_sees_and_revokes_tokens_in_the_admin(client, manager):
    token_for()
    digest = AuthToken.objects.get(user=manager).digest
    client.force_login(manager)
    listed = client.get("/admin/knox/authtoken/")
    assert listed.status_code == 200
    assert digest[:8] in listed.content.decode() or "manager" in listed.content.decode()
    response = client.post(f"/admin/knox/authtoken/{digest}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=manager).exists()


@pytest.fixture
def admin_client_for_tokens(client):
    from tests.factories import UserFactory

    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    return client
