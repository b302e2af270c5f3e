"""Birthday rewards (``manage.py birthday_rewards``, daily): points in the birthday week.

Who: an active customer who gave a birthday and agreed to marketing (email or text
messages): a gift for a birthday is marketing, and a customer who said no to it is
not written to, nor singled out, for it.

When: the birthday week is the birthday and the three days either side. The daily job
rewards a customer on the first day it runs inside their week, so a job missed for a
day or three still catches up; a birthday on 29 February is kept on the 28th in other
years. The customers are found through ``Customer.birthday_md`` (an index), whatever
the year they were born.

Once a year: the ledger row (kind ``birthday``) is referenced by the customer and the
year of the birthday it celebrates (``birthday-<customer>-<year>``), and the ledger
refuses a reference twice. Each customer is rewarded in a transaction of their own,
under their lock, and the reference is looked for again there: two runs at once, or a
run twice a day, give one reward. The points open a lot like any points earned, so
they expire under the program's rule.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.locks import customer_for_update
from customers.models import Customer, CustomerStatus
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, TransactionKind
from loyalty.services import _write
from loyalty.signals import birthday_rewarded

# The days either side of the birthday that make its week.
WEEK_REACH = 3
BATCH = 500


@dataclass
class BirthdayRun:
    """What one run did: customers rewarded, the points given, greetings asked for."""

    customers: int = 0
    points: int = 0
    greetings: int = 0


def birthday_reference(*, customer_id: int, year: int) -> str:
    """Return the reward's ledger reference: one a customer a year (unique in the ledger)."""
    return f"birthday-{customer_id}-{year}"


def birthdays_around(today: date) -> dict[int, int]:
    """Return the birthdays whose week holds ``today``, as ``birthday_md`` (March 14 is
    314) to the year of the birthday celebrated (next year's, around New Year)."""
    celebrated = {}
    for offset in range(-WEEK_REACH, WEEK_REACH + 1):
        day = today + timedelta(days=offset)
        celebrated[day.month * 100 + day.day] = day.year
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            celebrated[229] = day.year
    return celebrated


def _eligible() -> Q:
    return Q(status=CustomerStatus.ACTIVE, birthday__isnull=False) & (
        Q(email_consent=True) | Q(sms_consent=True)
    )


def birthday_rewards_give(*, today: date | None = None) -> BirthdayRun:
    """Give the program's birthday points to every eligible customer in their week."""
    today = today or timezone.localdate()
    program = LoyaltyProgram.current()
    run = BirthdayRun()
    if program.birthday_points <= 0:
        return run
    celebrated = birthdays_around(today)
    ids = (
        Customer.objects.filter(_eligible(), birthday_md__in=celebrated)
        .order_by("pk")
        .values_list("pk", "birthday_md")
    )
    batch = []
    for row in ids.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            _give_batch(batch, celebrated, program, run)
            batch = []
    _give_batch(batch, celebrated, program, run)
    return run


def _give_batch(batch, celebrated: dict[int, int], program, run: BirthdayRun) -> None:
    """Reward the batch's customers not rewarded yet this year (read once, unlocked)."""
    references = {birthday_reference(customer_id=pk, year=celebrated[md]): pk for pk, md in batch}
    given = set(
        LoyaltyTransaction.objects.filter(reference__in=references).values_list(
            "reference", flat=True
        )
    )
    for reference, customer_id in references.items():
        if reference in given:
            continue
        year = int(reference.rsplit("-", 1)[1])
        if birthday_reward_give(
            customer_id=customer_id, year=year, celebrated=celebrated, program=program
        ):
            run.customers += 1
            run.points += program.birthday_points
            run.greetings += int(program.birthday_greeting)


@transaction.atomic
def birthday_reward_give(
    *, customer_id: int, year: int, celebrated: dict[int, int], program: LoyaltyProgram
) -> bool:
    """Give ``customer_id`` the birthday points of ``year``; return whether this call did.

    Under the customer's lock the customer is read again (a consent withdrawn or a
    birthday changed since the batch was read counts) and the reference looked for,
    so only one of two runs at once writes the row.
    """
    customer = customer_for_update(customer_id)
    birthdays = [md for md, celebrated_year in celebrated.items() if celebrated_year == year]
    still_eligible = Customer.objects.filter(
        _eligible(), pk=customer_id, birthday_md__in=birthdays
    ).exists()
    if customer is None or not still_eligible:
        return False
    reference = birthday_reference(customer_id=customer_id, year=year)
    if LoyaltyTransaction.objects.filter(reference=reference).exists():
        return False
    _write(
        customer=customer,
        kind=TransactionKind.BIRTHDAY,
        points=program.birthday_points,
        reason=f"Birthday reward {year}",
        reference=reference,
        program=program,
    )
    birthday_rewarded.send(
        sender=LoyaltyTransaction,
        customer=customer,
        points=program.birthday_points,
        greeting=program.birthday_greeting,
    )
    return True
