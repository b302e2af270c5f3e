"""Every change of loyalty points: award, reverse, redeem, adjust, reconcile.

Each service writes one ledger row and the customer's cached balance in the
same transaction, with the customer row locked, so the balance always equals
the ledger's sum and two tills cannot spend the same points.

Locks follow ``customers.locks``: inside a checkout or a refund the sales
service has already locked the customer (before the sale) and hands it over on
``sale.customer``; these services use that instance and never lock again.
Standalone writes (adjust, reconcile) take the customer's lock themselves.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from classicpos.limits import MAX_POINTS_ADJUSTMENT, check_points, is_whole_number
from classicpos.reasons import clean_reason
from customers.locks import customer_for_update
from customers.models import Customer
from loyalty import lots, tiers
from loyalty.models import (
    LoyaltyProgram,
    LoyaltyTransaction,
    PointsLot,
    TierChangeCause,
    TransactionKind,
)
from sales.money import refunded_share
from sales.selectors import sale_paid_in_money
from stores.selectors import recorded_at


def _write(
    *,
    customer: Customer,
    kind: str,
    points: int,
    sale=None,
    refund=None,
    reason: str = "",
    user=None,
    field: str = "points",
    reference: str = "",
    till=None,
    tier=None,
    multiplier: Decimal = Decimal(1),
    program: LoyaltyProgram | None = None,
    carried: list[lots.CarriedLot] | None = None,
) -> LoyaltyTransaction:
    """Apply ``points`` to the locked ``customer``'s balance and record the ledger row.

    Every points write comes here, so the 32-bit columns' bound lives here: a
    balance or a row past it is refused on ``field`` (the caller's input that
    caused it) before anything is written. The customer's points lots follow the
    row (``loyalty.lots``), so expiry always knows which points are held.
    """
    balance_before = customer.loyalty_points
    balance = check_points(customer.loyalty_points + points, field=field)
    check_points(points, field=field, what="This change of points")
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=balance)
    # The same instance may write again in this transaction (redeem, then earn).
    customer.loyalty_points = balance
    row = LoyaltyTransaction.objects.create(
        customer=customer,
        kind=kind,
        points=points,
        balance_after=balance,
        sale=sale,
        refund=refund,
        reason=reason,
        reference=reference,
        tier_name=tier.name if tier else "",
        multiplier=tier.multiplier if tier else multiplier,
        created_by=user,
        **recorded_at(till=till, source=refund or sale),
    )
    lots.lots_follow(entry=row, balance_before=balance_before, program=program, carried=carried)
    return row


@transaction.atomic
def points_award_for_sale(*, sale) -> LoyaltyTransaction | None:
    """Award the points a completed sale earns on what was paid in money.

    Called by the ``sale_completed`` receiver inside the checkout's transaction,
    where ``sale.customer`` is locked; nothing for walk-in sales or zero points.
    The customer's tier is recomputed first with this sale counted, so the sale
    that reaches a tier earns at its multiplier (``loyalty.tiers``).
    The database allows one award per sale, so a second call fails loudly.
    """
    if sale.customer_id is None:
        return None
    tier = tiers.tier_multiplier_for_sale(sale=sale)
    multiplier = tier.multiplier if tier else Decimal(1)
    program = LoyaltyProgram.current()
    points = program.points_earned(sale_paid_in_money(sale=sale), multiplier)
    if points <= 0:
        return None
    return _write(
        program=program,
        customer=sale.customer,
        kind=TransactionKind.EARN,
        points=points,
        sale=sale,
        reason=f"Sale {sale.number}",
        user=sale.cashier,
        tier=tier,
        # What a sale earns follows from what it is paid.
        field="payments",
    )


def points_award_for_later_payment(
    *, sale, paid_so_far: Decimal, reference: str, user=None, reversal: bool = False
) -> LoyaltyTransaction | None:
    """Bring the points a sale earned up (or down) to what its money paid so far earns.

    The sale earned at checkout on what it was paid in money then; ``paid_so_far``
    is what has been paid for it since, net of payments reversed. The target is
    what the sale's money in all earns, so payments of 10.50 and 10.50 earn what
    21.00 does; this payment writes the difference with what the sale has earned
    so far, once (``reference`` is unique in the ledger). A payment raises the
    target and earns; a reversed payment lowers it and the difference is taken
    back as a ``REVERSAL`` row with the reversal's reference (the balance may go
    below zero, as a refund's take-back may). Called by the ``sale_paid_later``
    receiver inside the payment's (or reversal's) transaction, which holds the
    customer's lock. A payment never takes points back, and a reversal never gives
    any, whatever the program's rate did in between: paying more must not cost points.
    """
    if sale.customer_id is None:
        return None
    if LoyaltyTransaction.objects.filter(reference=reference).exists():
        return None
    program = LoyaltyProgram.current()
    multiplier = _sale_multiplier(sale)
    target = program.points_earned(sale_paid_in_money(sale=sale) + paid_so_far, multiplier)
    points = target - _earned_net_of_payment_reversals(sale)
    if points == 0 or (points < 0) != reversal:
        return None
    return _write(
        # The sender holds the customer's lock: read the row, do not lock it again.
        customer=Customer.objects.get(pk=sale.customer_id),
        kind=TransactionKind.EARN if points > 0 else TransactionKind.REVERSAL,
        points=points,
        sale=sale,
        reason=(
            f"Invoice payment for sale {sale.number}"
            if points > 0
            else f"Invoice payment for sale {sale.number} reversed: points taken back"
        ),
        user=user,
        field="amount",
        reference=reference,
        multiplier=multiplier,
    )


def _sale_multiplier(sale) -> Decimal:
    """Return the multiplier ``sale`` earned at checkout (1 when it earned nothing then)."""
    first = (
        LoyaltyTransaction.objects.filter(sale=sale, kind=TransactionKind.EARN)
        .order_by("pk")
        .values_list("multiplier", flat=True)
        .first()
    )
    return first or Decimal(1)


def _earned_net_of_payment_reversals(sale) -> int:
    """Return what the sale earned, less what reversed invoice payments took back.

    Reversals of later payments carry a reference; a refund's take-back has none
    and is counted by the refund's own rule (``points_reverse_for_refund``).
    """
    earned = _ledger_sum(sale, kind=TransactionKind.EARN)
    return earned + _ledger_sum(sale, kind=TransactionKind.REVERSAL, refund__isnull=True)


@transaction.atomic
def points_redeem_for_sale(*, sale, amount: Decimal, user=None) -> LoyaltyTransaction:
    """Spend the customer's points to pay ``amount`` of ``sale``; refuse when short.

    Checkout calls this directly (the ``points`` method's ``settle``) inside its
    transaction with ``sale.customer`` locked, so a refusal rolls the sale back.
    """
    if sale.customer_id is None:
        raise ValidationError({"payments": ["Paying with points needs a customer."]})
    program = LoyaltyProgram.current()
    points = program.points_for_payment(amount)
    customer = sale.customer
    if customer.loyalty_points < points:
        raise ValidationError(
            {
                "payments": [
                    f"{customer.name} has {customer.loyalty_points} points "
                    f"(worth {program.worth(customer.loyalty_points)}); "
                    f"paying {amount} needs {points}."
                ]
            }
        )
    return _write(
        customer=customer,
        kind=TransactionKind.REDEEM,
        points=-points,
        sale=sale,
        reason=f"Sale {sale.number}",
        user=user or sale.cashier,
    )


def _ledger_sum(sale, **filters) -> int:
    total = LoyaltyTransaction.objects.filter(sale=sale, **filters).aggregate(s=Sum("points"))["s"]
    return total or 0


def _share(points: int, sale) -> int:
    """Return ``points``' share of what has been refunded of ``sale`` so far."""
    return int(refunded_share(points, refunded=sale.refunded_total, total=sale.goods_total))


@transaction.atomic
def points_reverse_for_refund(*, refund) -> list[LoyaltyTransaction]:
    """Take back the points earned on the refunded part and give back points redeemed.

    Works on running totals over all of the sale's refunds
    (``sales.money.refunded_share``), so several partial refunds never take back more
    than was earned, and a full refund takes back exactly what was earned. The
    take-back may leave a negative balance. ``refund.sale.customer`` is locked
    by the refund service.
    """
    sale = refund.sale
    if sale.customer_id is None:
        return []
    earned = _earned_net_of_payment_reversals(sale)
    redeemed = -_ledger_sum(sale, kind=TransactionKind.REDEEM)
    taken_back = -_ledger_sum(
        sale, kind=TransactionKind.REVERSAL, points__lt=0, refund__isnull=False
    )
    given_back = _ledger_sum(sale, kind=TransactionKind.REVERSAL, points__gt=0)
    # The refund lowers what the customer paid in the window: a downgrade may start
    # its grace period (never applied here, in the middle of a sale's refund).
    tiers.tier_recompute(
        customer=sale.customer, cause=TierChangeCause.REFUND, sale=sale, user=refund.created_by
    )
    rows = []
    # Points of the sale that already expired left the balance once, by the expire
    # row: the take-back stops short of them instead of taking them a second time.
    expired = PointsLot.objects.filter(sale=sale, entry__kind=TransactionKind.EARN).aggregate(
        s=Sum("expired")
    )["s"]
    take = min(_share(earned, sale), earned - (expired or 0)) - taken_back
    if take > 0:
        rows.append(
            _write(
                customer=sale.customer,
                kind=TransactionKind.REVERSAL,
                points=-take,
                sale=sale,
                refund=refund,
                reason=f"Refund of sale {sale.number}: points earned taken back",
                user=refund.created_by,
                field="lines",
            )
        )
    give = _share(redeemed, sale) - given_back
    if give > 0:
        rows.append(
            _write(
                customer=sale.customer,
                kind=TransactionKind.REVERSAL,
                points=give,
                sale=sale,
                refund=refund,
                reason=f"Refund of sale {sale.number}: points redeemed given back",
                user=refund.created_by,
                field="lines",
            )
        )
    return rows


@transaction.atomic
def points_adjust(
    *, customer: Customer, points: int, reason: str, user, till=None
) -> LoyaltyTransaction:
    """Record a Manager's manual correction; it may not take the balance below zero."""
    errors = {}
    try:
        reason = clean_reason(reason, missing="Say why the points are adjusted.")
    except ValidationError as error:
        errors.update(error.message_dict)
    if not is_whole_number(points) or points == 0:
        errors["points"] = ["Enter a whole number of points other than zero."]
    elif abs(points) > MAX_POINTS_ADJUSTMENT:
        errors["points"] = [f"Adjust by at most {MAX_POINTS_ADJUSTMENT:,} points at a time."]
    if errors:
        raise ValidationError(errors)
    locked = customer_for_update(customer.pk)
    if points < 0 and locked.loyalty_points + points < 0:
        raise ValidationError(
            {"points": [f"{locked.name} has only {locked.loyalty_points} points."]}
        )
    row = _write(
        customer=locked,
        kind=TransactionKind.ADJUSTMENT,
        points=points,
        reason=reason,
        user=user,
        till=till,
    )
    customer.loyalty_points = locked.loyalty_points
    return row


@transaction.atomic
def points_reconcile(*, customer_id: int, user=None) -> LoyaltyTransaction | None:
    """Write the adjustment that makes the ledger explain the current balance.

    Used by ``loyalty_reconcile --fix`` for balances changed outside the ledger
    (an import, a manual SQL update): the balance stays, and the ledger gains a
    visible, signed row for the difference that a Manager can review or undo.
    """
    customer = customer_for_update(customer_id)
    ledger = (
        LoyaltyTransaction.objects.filter(customer_id=customer_id).aggregate(s=Sum("points"))["s"]
        or 0
    )
    difference = customer.loyalty_points - ledger
    if difference == 0:
        return None
    row = LoyaltyTransaction.objects.create(
        customer=customer,
        kind=TransactionKind.ADJUSTMENT,
        points=difference,
        balance_after=customer.loyalty_points,
        reason=f"Reconciliation: balance {customer.loyalty_points} did not match ledger {ledger}",
        created_by=user,
    )
    # The lots followed the ledger, so they move with the difference as from its sum.
    lots.lots_follow(entry=row, balance_before=ledger)
    return row


@transaction.atomic
def points_lots_reconcile(*, customer_id: int) -> int:
    """Make the customer's points lots hold their balance again; return the change.

    Used by ``loyalty_reconcile --fix`` after the balances: expiry takes only what
    lots hold, so lots that drifted would expire too much or too little.
    """
    customer = customer_for_update(customer_id)
    return lots.lots_reconcile(customer_id=customer_id, balance=customer.loyalty_points)
