"""What the daily jobs' commands share: ``--date``, to run as on a day the job missed.

``loyalty_expire`` and ``birthday_rewards`` are run once a day by cron or a systemd
timer; when a day was missed, an operator runs it again "as on" that day. A day after
today is refused: a job never acts ahead of its day.
"""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone


def add_date_argument(parser) -> None:
    parser.add_argument(
        "--date",
        help="Run as on this day (YYYY-MM-DD), e.g. to catch up a day the job missed; "
        "default today in the shop's time zone.",
    )


def run_date(options, *, why_not_later: str) -> date | None:
    """Return the ``--date`` given (None: today), refusing a malformed or future day."""
    if not options["date"]:
        return None
    try:
        day = date.fromisoformat(options["date"])
    except ValueError as error:
        raise CommandError("Give --date as YYYY-MM-DD.") from error
    if day > timezone.localdate():
        raise CommandError(f"--date may not be after today: {why_not_later}.")
    return day
