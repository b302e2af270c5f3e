"""``manage.py birthday_rewards``: the daily birthday points (and greetings)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loyalty.birthdays import birthday_rewards_give


class Command(BaseCommand):
    help = (
        "Give the loyalty program's birthday points (daily) to customers in their birthday "
        "week who gave a birthday and agreed to marketing, with the program's greeting "
        "email. Safe to run twice, or twice at once: a customer is rewarded once a year."
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
                raise CommandError("--date may not be after today: a reward is given in its week.")
        run = birthday_rewards_give(today=today)
        self.stdout.write(
            f"{run.points} point(s) given to {run.customers} customer(s) for their birthday; "
            f"{run.greetings} greeting(s)."
        )
