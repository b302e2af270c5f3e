"""``manage.py birthday_rewards``: the daily birthday points and vouchers (and greetings)."""

from django.core.management.base import BaseCommand

from classicpos.daily_jobs import add_date_argument, run_date
from loyalty.birthdays import birthday_rewards_give


class Command(BaseCommand):
    help = (
        "Give the loyalty program's birthday points and voucher (daily) to customers in their "
        "birthday week who gave a birthday and agreed to marketing, with the program's "
        "greeting email. Safe to run twice, or twice at once: a customer is rewarded once "
        "a year."
    )

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        today = run_date(options, why_not_later="a reward is given in its week")
        run = birthday_rewards_give(today=today)
        self.stdout.write(
            f"{run.points} point(s) and {run.vouchers} voucher(s) given to {run.customers} "
            f"customer(s) for their birthday; {run.greetings} greeting(s)."
        )
