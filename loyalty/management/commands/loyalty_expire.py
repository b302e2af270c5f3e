"""``manage.py loyalty_expire``: the daily expiry of points and its notices."""

from django.core.management.base import BaseCommand

from classicpos.daily_jobs import add_date_argument, run_date
from loyalty.expiry import points_expire_all


class Command(BaseCommand):
    help = (
        "Expire the points due (daily): an 'expire' ledger row per customer that takes what "
        "their due lots still hold, and the notices of points expiring within the program's "
        "notice days. Safe to run twice, or twice at once: a day expires once."
    )

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        today = run_date(options, why_not_later="points expire on their day")
        run = points_expire_all(today=today)
        self.stdout.write(
            f"{run.points} point(s) expired from {run.customers} customer(s); "
            f"{run.notices} notice(s)."
        )
