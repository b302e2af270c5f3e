"""A customer's tier: recomputed after each sale and refund and daily, set by a Manager.

The rules, in one place:

- the tier is the highest one whose qualifying spend the customer's money paid over
  the program's window (net of refunds) reaches (``loyalty.tier_rules``);
- an upgrade applies at once, the sale that reaches a tier included, so that sale
  already earns at its multiplier;
- a downgrade waits: the first recompute that finds the spend below the tier held
  notes the day the grace period ends (``CustomerTier.downgrade_on``); only the daily
  job applies it, and only if the spend is still below then, so a sale never changes
  a customer's tier downwards in its middle;
- a Manager's tier holds until its end date (or until a Manager clears it), up or down;
- every change is a ``TierChange`` row saying why, shown in the customer's timeline.

Writes run under the customer's lock (``customers.locks``): inside a checkout or a
refund the sales service holds it already (``sale.customer``); the daily job and the
Manager's change take it themselves, customer by customer.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from classicpos.money_format import format_money
from classicpos.reasons import clean_reason
from customers.locks import customer_for_update
from customers.models import Customer
from loyalty.models import (
    CustomerTier,
    LoyaltyProgram,
    LoyaltyTier,
    TierChange,
    TierChangeCause,
)
from loyalty.selectors import (
    customer_tier_state,
    customers_with_sales_since,
    qualifying_spends,
)
from loyalty.tier_rules import active_tiers, grace_ends, rank, tier_for_spend, window_start

# How many customers the daily job and the table's preview read at a time.
BATCH = 500


@dataclass(frozen=True)
class Spend:
    """A customer's qualifying spend and the window it was counted over, for the reasons."""

    amount: Decimal
    months: int

    def __str__(self) -> str:
        return f"paid {format_money(self.amount)} in the last {self.months} months"


def _spend(customer: Customer, program: LoyaltyProgram, now: datetime) -> Spend:
    since = window_start(window_months=program.tier_window_months, now=now)
    amount = qualifying_spends(customer_ids=[customer.pk], since=since).get(customer.pk)
    return Spend(amount or Decimal(0), program.tier_window_months)


def _change(
    *,
    customer: Customer,
    state: CustomerTier | None,
    tier: LoyaltyTier | None,
    cause: str,
    reason: str,
    now: datetime,
    sale=None,
    user=None,
    manual: bool = False,
    manual_until: date | None = None,
) -> CustomerTier:
    """Give ``customer`` ``tier`` from ``now`` and record why; the caller holds the lock."""
    held = state.tier if state else None
    if state is None:
        state = CustomerTier(customer=customer)
    state.tier = tier
    state.since = now
    state.manual = manual
    state.manual_until = manual_until
    state.downgrade_on = None
    state.save()
    TierChange.objects.create(
        customer=customer,
        from_tier=held.name if held else "",
        to_tier=tier.name if tier else "",
        cause=cause,
        reason=reason,
        sale=sale,
        created_by=user,
    )
    return state


def _set_downgrade_on(state: CustomerTier, day: date | None) -> None:
    if state.downgrade_on != day:
        state.downgrade_on = day
        CustomerTier.objects.filter(pk=state.pk).update(downgrade_on=day)


def _threshold(tier: LoyaltyTier) -> str:
    return f"{tier.name} starts at {format_money(tier.qualifying_spend)}"


def tier_recompute(
    *,
    customer: Customer,
    cause: str,
    sale=None,
    user=None,
    now: datetime | None = None,
    allow_downgrade: bool = False,
) -> LoyaltyTier | None:
    """Apply the recompute rules to the locked ``customer``; return the tier they hold.

    ``allow_downgrade`` is the daily job's: a sale or a refund only notes when a
    downgrade would apply. Costs four queries when nothing changes (the tiers, the
    state, the program, the window's sales with their payments); two for a shop
    without tiers.
    """
    return _recompute(
        customer=customer,
        cause=cause,
        sale=sale,
        user=user,
        now=now,
        allow_downgrade=allow_downgrade,
    )[0]


def _recompute(
    *, customer, cause, sale=None, user=None, now=None, allow_downgrade=False
) -> tuple[LoyaltyTier | None, bool]:
    """``tier_recompute``'s work: the tier held after it, and whether it changed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tiers = active_tiers()
    state = customer_tier_state(customer=customer)
    if state is None and not tiers:
        return None, False
    held = state.tier if state else None
    in_force = state is not None and state.manual
    if in_force and (state.manual_until is None or state.manual_until >= today):
        return held, False
    program = LoyaltyProgram.current()
    spend = _spend(customer, program, now)
    target = tier_for_spend(spend.amount, tiers)
    if state is not None and state.manual:
        ended = state.manual_until.isoformat()
        reason = f"The tier set by hand ended on {ended}; {spend}"
        return _change(
            customer=customer,
            state=state,
            tier=target,
            cause=cause,
            reason=reason,
            now=now,
            sale=sale,
            user=user,
        ).tier, True
    if target == held:
        if state is not None:
            _set_downgrade_on(state, None)
        return held, False
    if rank(target) >= rank(held):
        reason = f"Upgraded: {spend}; {_threshold(target)}"
        if target is not None and held is not None and rank(target) == rank(held):
            reason = f"{held.name} was taken off the tier table; {spend}"
        return _change(
            customer=customer,
            state=state,
            tier=target,
            cause=cause,
            reason=reason,
            now=now,
            sale=sale,
            user=user,
        ).tier, True
    if state.downgrade_on is None:
        _set_downgrade_on(state, grace_ends(today))
    if allow_downgrade and state.downgrade_on <= today:
        below = _threshold(held) if held.active else f"{held.name} was taken off the tier table"
        reason = f"Grace period ended on {state.downgrade_on.isoformat()}: {spend}; {below}"
        return _change(
            customer=customer,
            state=state,
            tier=target,
            cause=cause,
            reason=reason,
            now=now,
            user=user,
        ).tier, True
    return held, False


def tier_multiplier_for_sale(*, sale) -> LoyaltyTier | None:
    """Recompute the tier of ``sale``'s locked customer with the sale counted; return it.

    Checkout's award calls this first, so the sale that reaches a tier earns at it.
    """
    return tier_recompute(
        customer=sale.customer, cause=TierChangeCause.SALE, sale=sale, user=sale.cashier
    )


@transaction.atomic
def tier_set(
    *,
    customer: Customer,
    tier: str | None,
    reason: str,
    user,
    until: date | None = None,
    now: datetime | None = None,
) -> CustomerTier | None:
    """Set a Manager's tier (up or down) until ``until``, or clear it (``tier=None``).

    A cleared tier gives way to the computed one at once, both ways: the Manager
    decides now, so no grace period applies. Refuses an unknown tier, a day that
    is not after today and a missing reason, each on its field.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    try:
        reason = clean_reason(reason, missing="Say why the tier is set by hand.")
    except ValidationError as error:
        errors.update(error.message_dict)
    chosen = None
    if tier is not None:
        chosen = _tier_named(tier)
        if chosen is None:
            names = ", ".join(t.name for t in active_tiers()) or "none yet"
            errors["tier"] = [f"There is no tier named “{tier}”. The tiers: {names}."]
    if until is not None and until <= today:
        errors["until"] = ["Give a day after today."]
    if tier is None and until is not None:
        errors["until"] = ["A day applies to a tier set by hand; leave it out to clear one."]
    if errors:
        raise ValidationError(errors)
    locked = customer_for_update(customer.pk)
    state = customer_tier_state(customer=locked)
    if chosen is None:
        if state is None or not state.manual:
            return state
        program = LoyaltyProgram.current()
        target = tier_for_spend(_spend(locked, program, now).amount, active_tiers())
        return _change(
            customer=locked,
            state=state,
            tier=target,
            cause=TierChangeCause.MANUAL,
            reason=f"Tier set by hand cleared: {reason}",
            now=now,
            user=user,
        )
    if state is not None and state.manual and state.tier == chosen and state.manual_until == until:
        return state
    ends = f" until {until.isoformat()}" if until else ""
    return _change(
        customer=locked,
        state=state,
        tier=chosen,
        cause=TierChangeCause.MANUAL,
        reason=f"Set by hand{ends}: {reason}",
        now=now,
        user=user,
        manual=True,
        manual_until=until,
    )


def _tier_named(name: str) -> LoyaltyTier | None:
    return LoyaltyTier.objects.filter(active=True, name__iexact=str(name).strip()).first()


def tiers_recompute_all(*, now: datetime | None = None, user=None) -> int:
    """Recompute every customer who holds a tier or bought in the window; return the changes.

    The daily job. Customers are read a batch at a time and only those whose tier
    would change are locked and recomputed, each in its own short transaction, with
    the rules of ``tier_recompute`` (downgrades whose grace ended included). Running
    it twice, or twice at once, changes nothing more: the second finds each change made.
    """
    now = now or timezone.now()
    program = LoyaltyProgram.current()
    since = window_start(window_months=program.tier_window_months, now=now)
    ids = set(CustomerTier.objects.values_list("customer_id", flat=True))
    ids.update(customers_with_sales_since(since=since))
    tiers = active_tiers()
    today = timezone.localdate(now)
    changes = 0
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        spends = qualifying_spends(customer_ids=batch, since=since)
        states = CustomerTier.objects.select_related("tier").in_bulk(batch)
        for customer_id in batch:
            state = states.get(customer_id)
            target = tier_for_spend(spends.get(customer_id, Decimal(0)), tiers)
            if _may_change(state, target, today):
                changes += _recompute_one(customer_id, now=now, user=user)
    return changes


def _may_change(state: CustomerTier | None, target: LoyaltyTier | None, today: date) -> bool:
    """Whether a recompute could write anything: read without a lock, decided under it."""
    if state is None:
        return target is not None
    if state.manual:
        return state.manual_until is not None and state.manual_until < today
    if target == state.tier:
        return state.downgrade_on is not None
    return (
        rank(target) >= rank(state.tier)
        or state.downgrade_on is None
        or (state.downgrade_on <= today)
    )


@transaction.atomic
def _recompute_one(customer_id: int, *, now: datetime, user) -> int:
    customer = customer_for_update(customer_id)
    _, changed = _recompute(
        customer=customer, cause=TierChangeCause.DAILY, now=now, user=user, allow_downgrade=True
    )
    return int(changed)
