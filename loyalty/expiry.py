"""Points that expire: the daily job's writes (``manage.py loyalty_expire``).

Expiry is a ledger row (kind ``expire``) that takes exactly what the due lots still
hold, so the balance stays the ledger's sum and a point spent or already expired is
never taken (``loyalty.lots``). Each customer is handled in a transaction of their
own, under their lock: the lots are read again there, so two runs at once, or a run
twice the same day, give one effect. The row's reference names the customer and the
day (``expire-<customer>-<day>``), and the ledger refuses a reference twice.

The notice: customers are told ``LoyaltyProgram.expiry_notice_days`` before a day
their points expire (``loyalty.signals.points_expiring``, which ``messaging`` turns
into an email for those who agreed to email), once per customer and day: the lots
keep the day they were told of (``notified_for``), in the signal's transaction.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from customers.locks import customer_for_update
from loyalty.expiry_rules import lot_expires_on
from loyalty.lots import lots_expire
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, PointsLot, TransactionKind
from loyalty.selectors import last_purchase_on, open_lots_with_last_purchase
from loyalty.services import _write
from loyalty.signals import points_expiring

# How many customers' lots the daily job reads at a time.
BATCH = 500


@dataclass
class ExpiryRun:
    """What one run did: points expired, from how many customers, notices given."""

    customers: int = 0
    points: int = 0
    notices: int = 0


def expiry_reference(*, customer_id: int, day: date) -> str:
    """Return the expire row's reference: one a customer a day (unique in the ledger)."""
    return f"expire-{customer_id}-{day.isoformat()}"


def points_expire_all(*, today: date | None = None) -> ExpiryRun:
    """Expire every lot due by ``today`` and give the notices due; return what was done.

    Reads, without locks, which customers have lots that may expire (a fixed day, or
    months without a purchase) a batch at a time; only those with something due are
    locked and written, each in its own short transaction.
    """
    today = today or timezone.localdate()
    notice_days = LoyaltyProgram.current().expiry_notice_days
    run = ExpiryRun()
    for batch in _candidate_batches():
        lots_by_customer = defaultdict(list)
        for lot in open_lots_with_last_purchase(customer_ids=batch):
            lots_by_customer[lot.customer_id].append(lot)
        for customer_id, lots in lots_by_customer.items():
            if _has_work(lots, today=today, notice_days=notice_days):
                expired, notices = points_expire_for_customer(
                    customer_id=customer_id, today=today, notice_days=notice_days
                )
                run.customers += int(expired > 0)
                run.points += expired
                run.notices += notices
    return run


def _candidate_batches():
    """Yield the ids of customers holding lots that can expire, ``BATCH`` at a time."""
    ids = (
        PointsLot.objects.filter(remaining__gt=0)
        .exclude(expires_on__isnull=True, inactivity_months__isnull=True)
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
        .distinct()
    )
    batch = []
    for customer_id in ids.iterator(chunk_size=BATCH):
        batch.append(customer_id)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _has_work(lots: list[PointsLot], *, today: date, notice_days: int) -> bool:
    last = last_purchase_on(lots[0])
    return bool(_due(lots, last, today)) or bool(_to_notify(lots, last, today, notice_days))


def _due(lots, last: date | None, today: date) -> list[PointsLot]:
    return [lot for lot in lots if (day := lot_expires_on(lot, last)) and day <= today]


def _to_notify(lots, last: date | None, today: date, notice_days: int) -> dict[date, list]:
    """Return the lots to announce, by expiry day: due within the notice, not yet told."""
    days = defaultdict(list)
    if notice_days <= 0:
        return days
    horizon = today + timedelta(days=notice_days)
    for lot in lots:
        day = lot_expires_on(lot, last)
        if day and today < day <= horizon and lot.notified_for != day:
            days[day].append(lot)
    return days


@transaction.atomic
def points_expire_for_customer(
    *, customer_id: int, today: date, notice_days: int
) -> tuple[int, int]:
    """Expire the customer's lots due by ``today`` and announce those due soon.

    Returns the points expired and the notices given. Locks the customer first and
    reads the lots again under the lock, so a redemption at a till and this job wait
    for each other and the job expires only what is still held.
    """
    customer = customer_for_update(customer_id)
    if customer is None:
        return 0, 0
    lots = list(open_lots_with_last_purchase(customer_ids=[customer_id]))
    if not lots:
        return 0, 0
    last = last_purchase_on(lots[0])
    expired = 0
    reference = expiry_reference(customer_id=customer_id, day=today)
    due = _due(lots, last, today)
    if due and not LoyaltyTransaction.objects.filter(reference=reference).exists():
        expired = lots_expire(due)
        _write(
            customer=customer,
            kind=TransactionKind.EXPIRE,
            points=-expired,
            reason=_reason(due, last),
            reference=reference,
        )
    notices = 0
    for day, day_lots in sorted(_to_notify(lots, last, today, notice_days).items()):
        PointsLot.objects.filter(pk__in=[lot.pk for lot in day_lots]).update(notified_for=day)
        # The notice tells all the day's points, those announced before included.
        points = sum(lot.remaining for lot in lots if lot_expires_on(lot, last) == day)
        points_expiring.send(sender=PointsLot, customer=customer, points=points, on=day)
        notices += 1
    return expired, notices


def _reason(due: list[PointsLot], last: date | None) -> str:
    earned = sorted({lot.earned_on for lot in due})
    if any(lot.expires_on is None for lot in due) and last is not None:
        return f"Points expired: no purchase since {last.isoformat()}"
    if len(earned) == 1:
        return f"Points earned on {earned[0].isoformat()} expired"
    return f"Points earned from {earned[0].isoformat()} to {earned[-1].isoformat()} expired"
