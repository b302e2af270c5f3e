"""How loyalty takes part in the customer data tools.

- Merge: ledger rows are immutable, so the duplicate's balance moves as a pair of
  adjustments (out of the duplicate, into the survivor), each balance still the
  sum of its ledger; the duplicate's earlier rows stay as its history.
- Import: the points of a customer the import creates enter the ledger as an
  opening adjustment, written in bulk with the cached balance and its points lots.
- Download my data: the customer's points ledger, oldest row first, their tier's
  changes with why, and their vouchers.
- Vouchers move with a merge: a voucher not used yet is the survivor's to use.
- Tiers stay with each customer: the duplicate's history is its own, and the sales
  the merge moves count towards the survivor's tier at its next recompute.
"""

from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When

from classicpos.limits import MAX_POINTS_ADJUSTMENT
from customers.extensions import (
    DataExportSection,
    ImportColumn,
    MergeStep,
    register_data_export_section,
    register_import_column,
    register_merge_step,
)
from customers.import_parts import imported_balance
from customers.models import Customer
from loyalty.lots import lots_carried, lots_open_in_bulk
from loyalty.models import (
    LoyaltyProgram,
    LoyaltyTransaction,
    PointsLot,
    RewardVoucher,
    TierChange,
    TransactionKind,
)
from loyalty.services import _write

OPENING_REASON = "Opening balance (customer import)"


def merge_points(*, duplicate, survivor, user) -> None:
    """Move the duplicate's whole balance, positive or negative, through the ledger."""
    points = duplicate.loyalty_points
    if points == 0:
        return
    # The points keep the days they were earned and their expiry: a merge neither
    # extends nor shortens them.
    carried = lots_carried(customer_id=duplicate.pk)
    _write(
        customer=duplicate,
        kind=TransactionKind.ADJUSTMENT,
        points=-points,
        reason=f"Merged into customer #{survivor.pk}",
        user=user,
    )
    _write(
        customer=survivor,
        kind=TransactionKind.ADJUSTMENT,
        points=points,
        reason=f"Merged from customer #{duplicate.pk}",
        user=user,
        field="duplicate_id",
        carried=carried,
    )


def count_points(*, customer) -> list[tuple[str, int]]:
    return [("loyalty points", customer.loyalty_points)]


def parse_points(text: str) -> int:
    """Return opening points: a whole number from 0 up to the adjustment limit."""
    cleaned = text.replace(",", "").replace("_", "").strip()
    if cleaned.isascii() and cleaned.isdigit():
        points = int(cleaned)
        if points <= MAX_POINTS_ADJUSTMENT:
            return points
        raise ValidationError(f"Import at most {MAX_POINTS_ADJUSTMENT:,} points per customer.")
    raise ValidationError("Enter a whole number of points, 0 or more.")


def parse_points_worth(text: str) -> int:
    """Return opening points for a balance another system kept in money ("18.50").

    Lightspeed keeps loyalty as a dollar balance; here it becomes the points the
    program says are worth that much (whole redemption steps, rounded down).
    """
    worth = imported_balance(text, "Enter the loyalty balance as an amount, e.g. 18.50.")
    program = LoyaltyProgram.current()
    points = int(worth // program.redeem_value) * program.redeem_step
    if points > MAX_POINTS_ADJUSTMENT:
        raise ValidationError(f"Import at most {MAX_POINTS_ADJUSTMENT:,} points per customer.")
    return points


def open_balances(*, values: list[tuple[Customer, int]], user) -> None:
    """Give new customers their opening points: one ledger row and the cached balance each.

    The customers were created in this transaction with no points (or, when a
    file gives both points and a balance's worth, with the points the first column
    opened), so each balance after is what they hold plus these; four queries for
    the whole batch (the rows, their lots with the program's terms, the balances).
    """
    values = [(customer, points) for customer, points in values if points]
    if not values:
        return
    after = {customer.pk: (customer.loyalty_points or 0) + points for customer, points in values}
    before = {customer.pk: customer.loyalty_points or 0 for customer, _points in values}
    entries = LoyaltyTransaction.objects.bulk_create(
        LoyaltyTransaction(
            customer=customer,
            kind=TransactionKind.ADJUSTMENT,
            points=points,
            balance_after=after[customer.pk],
            reason=OPENING_REASON,
            created_by=user,
        )
        for customer, points in values
    )
    lots_open_in_bulk(entries=entries, balances_before=before)
    Customer.objects.filter(pk__in=list(after)).update(
        loyalty_points=Case(*(When(pk=pk, then=Value(balance)) for pk, balance in after.items()))
    )
    for customer, _points in values:
        customer.loyalty_points = after[customer.pk]


def export_points(*, customer) -> list[dict]:
    """Return every row of the customer's points ledger, oldest first (one query)."""
    rows = (
        LoyaltyTransaction.objects.filter(customer=customer)
        .select_related("sale", "store")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": row.pk,
            "createdAt": row.created_at,
            "kind": row.kind,
            "points": row.points,
            "balanceAfter": row.balance_after,
            "saleNumber": row.sale.number if row.sale else None,
            "refundId": row.refund_id,
            "reason": row.reason,
            "reference": row.reference,
            "store": row.store.name if row.store else None,
        }
        for row in rows
    ]


def export_points_lots(*, customer) -> list[dict]:
    """Return the customer's points lots: when each was earned, what is left, when it
    expires (one query; an inactivity lot's day moves with purchases, so its months)."""
    rows = PointsLot.objects.filter(customer=customer).order_by("earned_on", "pk")
    return [
        {
            "earnedOn": row.earned_on,
            "points": row.points,
            "remaining": row.remaining,
            "expired": row.expired,
            "expiresOn": row.expires_on,
            "expiresAfterMonthsWithoutPurchase": row.inactivity_months,
        }
        for row in rows
    ]


def merge_vouchers(*, duplicate, survivor, user) -> None:
    RewardVoucher.objects.filter(customer=duplicate).update(customer=survivor)


def count_vouchers(*, customer) -> list[tuple[str, int]]:
    return [("vouchers", RewardVoucher.objects.filter(customer=customer).count())]


def export_vouchers(*, customer) -> list[dict]:
    """Return the customer's vouchers, oldest first, and what each paid (one query)."""
    rows = RewardVoucher.objects.filter(customer=customer).order_by("created_at", "pk")
    return [
        {
            "createdAt": row.created_at,
            "reason": row.reason,
            "amount": row.amount,
            "validUntil": row.valid_until,
            "usedAmount": row.used_amount,
            "usedAt": row.used_at,
        }
        for row in rows
    ]


def export_tier_changes(*, customer) -> list[dict]:
    """Return every change of the customer's tier, oldest first, with why (one query)."""
    rows = TierChange.objects.filter(customer=customer).order_by("created_at", "pk")
    return [
        {
            "createdAt": row.created_at,
            "from": row.from_tier or None,
            "to": row.to_tier or None,
            "cause": row.cause,
            "reason": row.reason,
        }
        for row in rows
    ]


def connect() -> None:
    register_merge_step(
        MergeStep(
            name="loyalty",
            merge=merge_points,
            count=count_points,
            moves=("loyalty points",),
            keeps=("loyalty_transactions", "tier_changes", "loyalty_tier", "points_lots"),
            order=30,
        )
    )
    register_merge_step(
        MergeStep(
            name="loyalty-vouchers",
            merge=merge_vouchers,
            count=count_vouchers,
            moves=("vouchers",),
            order=46,
        )
    )
    register_import_column(
        ImportColumn(
            field="loyalty_points",
            header="loyaltyPoints",
            aliases=("loyalty points", "loyalty_points", "points"),
            parse=parse_points,
            apply_to_new=open_balances,
        )
    )
    register_import_column(
        ImportColumn(
            field="loyalty_value",
            header="loyaltyValue",
            aliases=("loyalty balance value",),
            parse=parse_points_worth,
            apply_to_new=open_balances,
            exported=False,
            order=110,
        )
    )
    register_data_export_section(
        DataExportSection(
            name="points",
            label="Points",
            rows=export_points,
            models=("loyalty.LoyaltyTransaction",),
            order=30,
        )
    )
    register_data_export_section(
        DataExportSection(
            name="points_lots",
            label="Points held and when they expire",
            rows=export_points_lots,
            models=("loyalty.PointsLot",),
            order=30,
        )
    )
    register_data_export_section(
        DataExportSection(
            name="vouchers",
            label="Vouchers",
            rows=export_vouchers,
            models=("loyalty.RewardVoucher",),
            order=32,
        )
    )
    register_data_export_section(
        DataExportSection(
            name="tiers",
            label="Tier changes",
            rows=export_tier_changes,
            # The tier held now is the last change's "to".
            models=("loyalty.TierChange", "loyalty.CustomerTier"),
            order=31,
        )
    )
