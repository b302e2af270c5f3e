"""Known devices: a lockout of a user at an address does not stop the devices they use.

Logins are locked per user *and* address (django-axes), so five wrong passwords
lock that user from that address only. The shop's tills share one address with
anyone on its Wi-Fi, though, and an attacker there could still lock a cashier
out of their own till. A successful login therefore leaves a device cookie
(OWASP's "device cookies"): an attempt that presents the key of one of the
user's devices is exempt from the address lockout (``is_known_device``, axes'
whitelist), and its own wrong passwords count against the device instead, which
past the limit is trusted no more until the cool-off has passed.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.utils import timezone

from classicpos.models import KnownDevice

DEVICE_COOKIE = "classicpos_device"
DEVICE_COOKIE_MAX_AGE = int(timedelta(days=400).total_seconds())
# Where a login leaves the key of a new device for the middleware to set as a cookie.
NEW_DEVICE_KEY = "classicpos_new_device_key"


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _username(credentials) -> str:
    return str((credentials or {}).get("username") or "")


def _device(request, username: str) -> KnownDevice | None:
    """Return the user's device whose key the request presents, if any."""
    key = request.COOKIES.get(DEVICE_COOKIE)
    if not key or not username:
        return None
    return (
        KnownDevice.objects.filter(key_hash=_key_hash(key), user__username=username)
        .select_related("user")
        .first()
    )


def _trusted(device: KnownDevice) -> bool:
    if device.failures < settings.AXES_FAILURE_LIMIT:
        return True
    return device.last_failure_at < timezone.now() - settings.AXES_COOLOFF_TIME


def is_known_device(request, credentials=None) -> bool:
    """Return whether this login attempt comes from a trusted device of the user it names.

    django-axes asks this before it counts or refuses an attempt
    (``AXES_WHITELIST_CALLABLE``).
    """
    device = _device(request, _username(credentials))
    return device is not None and _trusted(device)


@transaction.atomic
def device_remember(*, request, user, new: bool = True) -> None:
    """After a successful login: clear the device's failures, or make this a known device.

    A new device's key reaches the browser as a cookie (``KnownDeviceMiddleware``).
    ``new=False`` (the token endpoint, whose callers seldom keep cookies) only clears
    the failures of a device the request names: a script logging in every hour must
    not add a device every hour.
    """
    now = timezone.now()
    device = _device(request, user.get_username())
    if device is not None:
        KnownDevice.objects.filter(pk=device.pk).update(
            failures=0, last_failure_at=None, last_login_at=now
        )
        return
    if not new:
        return
    # Devices unused for longer than their cookie lives are gone from the browser too.
    KnownDevice.objects.filter(
        last_login_at__lt=now - timedelta(seconds=DEVICE_COOKIE_MAX_AGE)
    ).delete()
    key = secrets.token_urlsafe(32)
    KnownDevice.objects.create(user=user, key_hash=_key_hash(key), last_login_at=now)
    setattr(getattr(request, "_request", request), NEW_DEVICE_KEY, key)


@transaction.atomic
def device_count_failure(*, request, credentials) -> None:
    """Count a wrong password against the device it came from (a failure older than the
    cool-off starts the count again)."""
    device = _device(request, _username(credentials))
    if device is None:
        return
    device = KnownDevice.objects.select_for_update().get(pk=device.pk)
    now = timezone.now()
    stale = device.last_failure_at and device.last_failure_at < now - settings.AXES_COOLOFF_TIME
    device.failures = 1 if stale else device.failures + 1
    device.last_failure_at = now
    device.save(update_fields=["failures", "last_failure_at"])


def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        device_remember(request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        device_count_failure(request=request, credentials=credentials)


def connect() -> None:
    """Follow every login and failed login, whichever page or endpoint it came through."""
    user_logged_in.connect(_logged_in, dispatch_uid="classicpos_device_logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="classicpos_device_login_failed")


class KnownDeviceMiddleware:
    """Give the browser of a new known device its key, as a long-lived HttpOnly cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, NEW_DEVICE_KEY, None)
        if key:
            response.set_cookie(
                DEVICE_COOKIE,
                key,
                max_age=DEVICE_COOKIE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
