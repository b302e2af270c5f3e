"""``manage.py purge_idempotency_keys``: forget stored API answers past their TTL."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from classicpos.api.idempotency import purge_expired_answers


class Command(BaseCommand):
    help = (
        "Delete stored Idempotency-Key answers older than CLASSICPOS_IDEMPOTENCY_TTL_HOURS. "
        "Every stored answer already does this; run it where the API is seldom written to."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            deleted = purge_expired_answers()
        hours = settings.CLASSICPOS_IDEMPOTENCY_TTL_HOURS
        plural = "" if deleted == 1 else "s"
        self.stdout.write(f"Deleted {deleted} stored answer{plural} older than {hours} hours.")
