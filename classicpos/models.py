"""Models shared by every API: stored answers for ``Idempotency-Key`` retries."""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.utils import timezone


def subject_tag(resource: str, object_id: int) -> str:
    """Return how an answer names one object it is about: ``" customers:5 "``.

    The spaces around each tag let ``contains`` match a whole tag, never
    ``customers:5`` inside ``customers:51``.
    """
    return f" {resource}:{object_id} "


def _expiry_cutoff():
    """Return the time before which stored answers are expired."""
    return timezone.now() - timedelta(hours=settings.CLASSICPOS_IDEMPOTENCY_TTL_HOURS)


class IdempotencyRecordQuerySet(models.QuerySet):
    def expired(self) -> "IdempotencyRecordQuerySet":
        """Return the answers older than ``CLASSICPOS_IDEMPOTENCY_TTL_HOURS``: never replayed."""
        return self.filter(created_at__lt=_expiry_cutoff())

    def about(self, resource: str, object_ids) -> "IdempotencyRecordQuerySet":
        """Return the answers that name any of these objects (an erasure forgets them).

        A table of at most a TTL's worth of creates is read with ``LIKE``: an
        erasure is rare, and a tag column costs the tills nothing to write.
        """
        conditions = [
            models.Q(subjects__contains=subject_tag(resource, object_id))
            for object_id in object_ids
        ]
        if not conditions:
            return self.none()
        return self.filter(reduce(or_, conditions))


class IdempotencyRecord(models.Model):
    """The first answer given to a create request carrying an ``Idempotency-Key``.

    A retry with the same key, user and endpoint replays it; the same key with a
    different body is refused. The unique constraint is what makes two racing
    retries create one object, not two.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_fingerprint = models.CharField(max_length=64)
    # Empty while the first request with the key is still running (a reservation).
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_location = models.CharField(max_length=500, blank=True)
    # The objects the request and its answer name (``subject_tag``s), so that an
    # erasure finds every stored answer that shows the person.
    subjects = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

    @property
    def is_expired(self) -> bool:
        return self.created_at < _expiry_cutoff()


class ApiTokenStamp(models.Model):
    """A keyed hash of the password a user's API tokens were issued under.

    A token is valid only while the user's password hash still gives this stamp
    (``classicpos.api.authentication``), however the password changed: a form,
    ``changepassword``, or a ``QuerySet.update()`` that no signal sees. Logging
    in under a new password deletes the tokens of the old one before the stamp
    moves on, so they can never become valid again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_token_stamp",
    )
    # ``AbstractBaseUser.get_session_auth_hash()``: an HMAC of the password hash, not the hash.
    password_stamp = models.CharField(max_length=128)

    def __str__(self) -> str:
        return f"API token stamp of user #{self.user_id}"


class KnownDevice(models.Model):
    """A browser or till a user has logged in on: a lockout from elsewhere does not stop it.

    A successful login sets a long-lived cookie holding a random key; only its
    hash is stored. A login attempt that presents the key of one of the user's
    devices is exempt from the lockout of the user at that address (an attacker
    behind the shop's address must not lock the shop's tills out), and its own
    wrong passwords are counted here instead: past the failure limit the device
    is trusted no more until the cool-off has passed or the user logs in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("unlock_login", "Can unlock a user locked out of logging in")]

    def __str__(self) -> str:
        return f"Device #{self.pk} of user #{self.user_id}"


class ThrottleHit(models.Model):
    """One request counted by a rate limit, in the database that every worker shares.

    A limit kept in a worker's memory was a limit per worker, and one keyed on a
    header the client writes was no limit at all.
    """

    scope = models.CharField(max_length=50)
    client = models.CharField(max_length=100)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "client", "at"], name="throttle_hit_client_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.client} {self.at:%Y-%m-%d %H:%M:%S}"


# Background jobs live in their own module; imported here so they are this app's models.
from classicpos.jobs import Job  # noqa: E402, F401
