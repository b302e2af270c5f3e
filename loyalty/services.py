"""Every change of loyalty points: award, reverse, redeem, adjust, reconcile.

Each service writes one ledger row and the customer's cached balance in the
same transaction, with the customer row locked, so the balance always equals
the ledger's sum and two tills cannot spend the same points.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from customers.models import Customer
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, TransactionKind

REASON_MAX_LENGTH = 500
POINTS_METHOD = "points"


def _locked_customer(customer_id: int) -> Customer:
    """Return the customer row locked until the transaction ends.

    On PostgreSQL ``select_for_update`` makes a second till wait here until the
    first commits, so both see the true balance. SQLite ignores it, but there
    every write transaction is IMMEDIATE and already holds the database's only
    write lock, which serialises the tills the same way.
    """
    return Customer.objects.select_for_update().get(pk=customer_id)


def _write(
    *,
    customer_id: int,
    kind: str,
    points: int,
    sale=None,
    refund=None,
    reason: str = "",
    user=None,
) -> LoyaltyTransaction:
    """Apply ``points`` to the balance and record the ledger row, under the row lock."""
    customer = _locked_customer(customer_id)
    balance = customer.loyalty_points + points
    if kind in (TransactionKind.REDEEM, TransactionKind.ADJUSTMENT) and points < 0 and balance < 0:
        raise ValidationError(
            {"points": [f"{customer.name} has only {customer.loyalty_points} points."]}
        )
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=balance)
    return LoyaltyTransaction.objects.create(
        customer=customer,
        kind=kind,
        points=points,
        balance_after=balance,
        sale=sale,
        refund=refund,
        reason=reason,
        created_by=user,
    )


def points_paid_by_other_methods(*, sale) -> Decimal:
    """Return what the customer paid for ``sale`` in money: the total less points payments."""
    by_points = sum(
        (payment.amount for payment in sale.payments.all() if payment.method == POINTS_METHOD),
        Decimal("0"),
    )
    return max(sale.total - by_points, Decimal("0"))


def points_earned_for_amount(*, amount: Decimal, program: LoyaltyProgram) -> int:
    """Return the points an amount earns: whole points, rounded down."""
    if amount < program.minimum_sale_amount:
        return 0
    return int((amount * program.earn_rate).to_integral_value(rounding=ROUND_FLOOR))


@transaction.atomic
def points_award_for_sale(*, sale) -> LoyaltyTransaction | None:
    """Award the points a completed sale earns; nothing for walk-in sales or zero points.

    Called by the ``sale_completed`` receiver inside the sale's transaction; the
    database allows one award per sale, so a second call fails loudly.
    """
    if sale.customer_id is None:
        return None
    program = LoyaltyProgram.current()
    points = points_earned_for_amount(
        amount=points_paid_by_other_methods(sale=sale), program=program
    )
    if points <= 0:
        return None
    return _write(
        customer_id=sale.customer_id,
        kind=TransactionKind.EARN,
        points=points,
        sale=sale,
        reason=f"Sale {sale.number}",
        user=sale.cashier,
    )


def points_for_payment_amount(*, amount: Decimal, program: LoyaltyProgram) -> int:
    """Return the points a points payment of ``amount`` costs, or refuse an uneven amount."""
    steps = amount / program.redeem_value
    if amount <= 0 or steps != steps.to_integral_value():
        raise ValidationError(
            {
                "payments": [
                    f"Points pay in steps of {program.redeem_value} "
                    f"({program.redeem_step} points each)."
                ]
            }
        )
    return int(steps) * program.redeem_step


@transaction.atomic
def points_redeem_for_sale(*, sale, amount: Decimal, user=None) -> LoyaltyTransaction:
    """Spend the customer's points to pay ``amount`` of ``sale``; refuse when short.

    Checkout calls this directly (not through a signal) inside its transaction,
    so a refusal rolls the whole sale back.
    """
    if sale.customer_id is None:
        raise ValidationError({"payments": ["Paying with points needs a customer."]})
    program = LoyaltyProgram.current()
    points = points_for_payment_amount(amount=amount, program=program)
    customer = _locked_customer(sale.customer_id)
    if customer.loyalty_points < points:
        worth = Decimal(customer.loyalty_points // program.redeem_step) * program.redeem_value
        raise ValidationError(
            {
                "payments": [
                    f"{customer.name} has {customer.loyalty_points} points (worth {worth}); "
                    f"paying {amount} needs {points}."
                ]
            }
        )
    return _write(
        customer_id=customer.pk,
        kind=TransactionKind.REDEEM,
        points=-points,
        sale=sale,
        reason=f"Sale {sale.number}",
        user=user or sale.cashier,
    )


def _ledger_sum(sale, **filters) -> int:
    total = LoyaltyTransaction.objects.filter(sale=sale, **filters).aggregate(s=Sum("points"))["s"]
    return total or 0


def _refunded_fraction(sale) -> Decimal:
    """Return how much of the sale has been refunded so far, from 0 to 1."""
    if sale.status == "refunded" or sale.total <= 0:
        return Decimal("1")
    refunded = sum((refund.total for refund in sale.refunds.all()), Decimal("0"))
    return min(refunded / sale.total, Decimal("1"))


def _share(points: int, fraction: Decimal) -> int:
    return int((Decimal(points) * fraction).to_integral_value(rounding=ROUND_HALF_UP))


@transaction.atomic
def points_reverse_for_refund(*, refund) -> list[LoyaltyTransaction]:
    """Take back the points earned on the refunded part and give back points redeemed.

    Works on running totals over all of the sale's refunds, so several partial
    refunds never take back more than was earned, and a full refund takes back
    exactly what was earned. The take-back may leave a negative balance.
    """
    sale = refund.sale
    if sale.customer_id is None:
        return []
    fraction = _refunded_fraction(sale)
    earned = _ledger_sum(sale, kind=TransactionKind.EARN)
    redeemed = -_ledger_sum(sale, kind=TransactionKind.REDEEM)
    taken_back = -_ledger_sum(sale, kind=TransactionKind.REVERSAL, points__lt=0)
    given_back = _ledger_sum(sale, kind=TransactionKind.REVERSAL, points__gt=0)
    rows = []
    take = _share(earned, fraction) - taken_back
    if take > 0:
        rows.append(
            _write(
                customer_id=sale.customer_id,
                kind=TransactionKind.REVERSAL,
                points=-take,
                sale=sale,
                refund=refund,
                reason=f"Refund of sale {sale.number}: points earned taken back",
                user=refund.created_by,
            )
        )
    give = _share(redeemed, fraction) - given_back
    if give > 0:
        rows.append(
            _write(
                customer_id=sale.customer_id,
                kind=TransactionKind.REVERSAL,
                points=give,
                sale=sale,
                refund=refund,
                reason=f"Refund of sale {sale.number}: points redeemed given back",
                user=refund.created_by,
            )
        )
    return rows


def _clean_reason(reason) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationError({"reason": ["Say why the points are adjusted."]})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [f"Keep the reason to {REASON_MAX_LENGTH} characters."]})
    return text


@transaction.atomic
def points_adjust(*, customer: Customer, points: int, reason: str, user) -> LoyaltyTransaction:
    """Record a Manager's manual correction; it may not take the balance below zero."""
    errors = {}
    try:
        reason = _clean_reason(reason)
    except ValidationError as error:
        errors.update(error.message_dict)
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        errors["points"] = ["Enter a whole number of points other than zero."]
    if errors:
        raise ValidationError(errors)
    return _write(
        customer_id=customer.pk,
        kind=TransactionKind.ADJUSTMENT,
        points=points,
        reason=reason,
        user=user,
    )


@transaction.atomic
def points_reconcile(*, customer_id: int, user=None) -> LoyaltyTransaction | None:
    """Write the adjustment that makes the ledger explain the current balance.

    Used by ``loyalty_reconcile --fix`` for balances changed outside the ledger
    (an import, a manual SQL update): the balance stays, and the ledger gains a
    visible, signed row for the difference that a Manager can review or undo.
    """
    customer = _locked_customer(customer_id)
    ledger = (
        LoyaltyTransaction.objects.filter(customer_id=customer_id).aggregate(s=Sum("points"))["s"]
        or 0
    )
    difference = customer.loyalty_points - ledger
    if difference == 0:
        return None
    return LoyaltyTransaction.objects.create(
        customer=customer,
        kind=TransactionKind.ADJUSTMENT,
        points=difference,
        balance_after=customer.loyalty_points,
        reason=f"Reconciliation: balance {customer.loyalty_points} did not match ledger {ledger}",
        created_by=user,
    )
