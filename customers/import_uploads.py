"""A checked import file, kept on the server between "Check the file" and "Import".

Why keep it: a browser never fills a file input in for the user, so after a
check the Manager had to pick the file again, and could pick another file, or
one edited since, than the one checked. The check stores the upload's bytes
under a random token; the page carries only the token, and "Import" imports
exactly the bytes that were checked.

Why in the database: any worker (or host) then answers the "Import" that
follows the check, which a worker's disk or memory cache would not; and the
token is only a key, never a path. A kept file holds personal data, so it lives
briefly: it is deleted when it is imported (a reload that posts the token again
imports nothing twice) and after ``KEPT_FOR``; each check deletes the expired
ones in its transaction (no cron). Only the Manager who checked it may use it.

Its own module because ``customers/models.py`` is long; ``customers.models``
imports it, so it is one of the app's models like the rest. The functions here
are its only writers and readers.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

KEPT_FOR = timedelta(hours=1)
# What ``secrets.token_urlsafe(32)`` writes: anything else names no kept file, and is
# refused before it reaches the database (a lone surrogate cannot be sent to PostgreSQL).
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEPT_FILE_GONE = (
    "The checked file is no longer kept (it is kept for an hour, until it is imported): "
    "choose it again."
)


class CheckedImportFile(models.Model):
    """A file a Manager checked, waiting for them to import it."""

    token = models.CharField(max_length=64, unique=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "customer_checked_import_files"

    def __str__(self) -> str:
        return f"{self.file_name} checked at {self.checked_at:%Y-%m-%d %H:%M}"


def _kept():
    return CheckedImportFile.objects.filter(checked_at__gt=timezone.now() - KEPT_FOR)


@transaction.atomic
def checked_file_keep(*, user, file_name: str, content: bytes) -> CheckedImportFile:
    """Keep a checked file for ``user`` under a new token; forget every expired one."""
    CheckedImportFile.objects.filter(checked_at__lte=timezone.now() - KEPT_FOR).delete()
    return CheckedImportFile.objects.create(
        token=secrets.token_urlsafe(32),
        checked_by=user,
        file_name=file_name[:255],
        content=content,
    )


def checked_files_forget() -> int:
    """Delete every kept file; return how many went.

    For an erasure: a checked file may hold the person's details, and reading every
    file for them (in whatever format a row wrote the phone) is no sure way to find
    them. The Manager who checked one checks it again.
    """
    deleted, _per_model = CheckedImportFile.objects.all().delete()
    return deleted


def checked_file_get(*, user, token: str) -> CheckedImportFile | None:
    """Return ``user``'s kept file under ``token`` (to check it again), or None.

    A token of another shape names no file and is never looked up: the page
    hands back whatever the form posted, and PostgreSQL refuses a NUL in text.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return _kept().filter(token=token, checked_by=user).first()


@transaction.atomic
def checked_file_take(*, user, token: str) -> CheckedImportFile | None:
    """Return ``user``'s kept file and delete it, so it is imported once; None if gone.

    The row is locked first: of two posts of one token (a double click, a
    reload), one takes the file and the other finds nothing.
    """
    kept = _kept().select_for_update().filter(token=token, checked_by=user).first()
    if kept is not None:
        kept.content = bytes(kept.content)  # PostgreSQL hands back a memoryview
        CheckedImportFile.objects.filter(pk=kept.pk).delete()
    return kept
