"""Birthday rewards (``manage.py birthday_rewards``, daily): points, a one-time voucher, or
both, in the birthday week.

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
they expire under the program's rule. The voucher (``loyalty.vouchers``) carries the
same reference in its own table, where it is unique too, and lasts the program's
``birthday_voucher_days``.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.locks import customer_for_update
from customers.models import Customer, CustomerStatus
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, RewardVoucher, TransactionKind
from loyalty.services import _write
from loyalty.signals import birthday_rewarded
from loyalty.vouchers import voucher_issue

# The days either side of the birthday that make its week.
WEEK_REACH = 3
BATCH = 500


@dataclass
class BirthdayRun:
    """What one run did: customers rewarded, the points and vouchers given, greetings."""

    customers: int = 0
    points: int = 0
    vouchers: int = 0
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
    """Give the program's birthday points and voucher to every eligible customer in their week."""
    today = today or timezone.localdate()
    program = LoyaltyProgram.current()
    run = BirthdayRun()
    if program.birthday_points <= 0 and program.birthday_voucher <= 0:
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
    references = {
        birthday_reference(customer_id=pk, year=celebrated[md]): (pk, celebrated[md])
        for pk, md in batch
    }
    points_given = set(
        LoyaltyTransaction.objects.filter(reference__in=references).values_list(
            "reference", flat=True
        )
    )
    vouchers_given = set(
        RewardVoucher.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    for reference, (customer_id, year) in references.items():
        if _rewarded(reference, points_given, vouchers_given, program):
            continue
        given = birthday_reward_give(
            customer_id=customer_id, year=year, celebrated=celebrated, program=program
        )
        if given is not None:
            run.customers += 1
            run.points += given.points
            run.vouchers += int(given.voucher is not None)
            run.greetings += int(program.birthday_greeting)


def _rewarded(reference: str, points_given, vouchers_given, program) -> bool:
    """Whether every part of the program's reward was given for ``reference`` already."""
    points_done = program.birthday_points <= 0 or reference in points_given
    voucher_done = program.birthday_voucher <= 0 or reference in vouchers_given
    return points_done and voucher_done


@dataclass(frozen=True)
class BirthdayGift:
    points: int
    voucher: RewardVoucher | None


@transaction.atomic
def birthday_reward_give(
    *, customer_id: int, year: int, celebrated: dict[int, int], program: LoyaltyProgram
) -> BirthdayGift | None:
    """Give ``customer_id`` the birthday reward of ``year``; return what this call gave.

    Under the customer's lock the customer is read again (a consent withdrawn or a
    birthday changed since the batch was read counts) and the references looked for,
    so only one of two runs at once writes the row and the voucher.
    """
    customer = customer_for_update(customer_id)
    birthdays = [md for md, celebrated_year in celebrated.items() if celebrated_year == year]
    still_eligible = Customer.objects.filter(
        _eligible(), pk=customer_id, birthday_md__in=birthdays
    ).exists()
    if customer is None or not still_eligible:
        return None
    reference = birthday_reference(customer_id=customer_id, year=year)
    points = 0
    if (
        program.birthday_points > 0
        and not LoyaltyTransaction.objects.filter(reference=reference).exists()
    ):
        points = program.birthday_points
        _write(
            customer=customer,
            kind=TransactionKind.BIRTHDAY,
            points=points,
            reason=f"Birthday reward {year}",
            reference=reference,
            program=program,
        )
    voucher = None
    if (
        program.birthday_voucher > 0
        and not RewardVoucher.objects.filter(reference=reference).exists()
    ):
        voucher = voucher_issue(
            customer=customer,
            amount=program.birthday_voucher,
            reason=f"Birthday {year}",
            reference=reference,
            valid_until=timezone.localdate() + timedelta(days=program.birthday_voucher_days),
        )
    if not points and voucher is None:
        return None
    birthday_rewarded.send(
        sender=LoyaltyTransaction,
        customer=customer,
        points=points,
        voucher=voucher,
        greeting=program.birthday_greeting,
    )
    return BirthdayGift(points=points, voucher=voucher)
