"""Models shared by every API: stored answers for ``Idempotency-Key`` retries."""

from django.conf import settings
from django.db import models


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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
