"""``manage.py loyalty_expire``: the daily expiry of points and its notices."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loyalty.expiry import points_expire_all


class Command(BaseCommand):
    help = (
        "Expire the points due (daily): an 'expire' ledger row per customer that takes what "
        "their due lots still hold, and the notices of points expiring within the program's "
        "notice days. Safe to run twice, or twice at once: a day expires once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Run as on this day (YYYY-MM-DD), e.g. to catch up a day the job missed; "
            "default today in the shop's time zone.",
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give --date as YYYY-MM-DD.") from error
            if today > timezone.localdate():
                raise CommandError("--date may not be after today: points expire on their day.")
        run = points_expire_all(today=today)
        self.stdout.write(
            f"{run.points} point(s) expired from {run.customers} customer(s); "
            f"{run.notices} notice(s)."
        )
