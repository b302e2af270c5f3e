"""The program's tier table: replaced as a whole by a Manager, with what it would move.

Saving a table moves nobody by itself. Customers take the new tiers through the
recompute rules of ``loyalty.tiers`` (at their next sale or refund, or the daily
job): an upgrade at once, a downgrade after the grace period. Smile.io recomputed
every tier the moment a setting changed, and customers lost their VIP status;
here the page first says how many customers the change would move up and down.

A tier taken off the table is retired, never deleted: its holders keep it until
the rules move them, and their history still names it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from classicpos.limits import parse_amount
from loyalty.models import CustomerTier, LoyaltyProgram, LoyaltyTier
from loyalty.selectors import customers_with_sales_since, qualifying_spends
from loyalty.tier_rules import active_tiers, rank, tier_for_spend, window_start
from loyalty.tiers import BATCH

MAX_TIERS = 10
NAME_MAX_LENGTH = 40
MAX_WINDOW_MONTHS = 60
MAX_MULTIPLIER = Decimal(10)


@dataclass(frozen=True)
class TierInput:
    name: str
    qualifying_spend: object  # text or a Decimal: read as every amount is
    multiplier: object


@dataclass(frozen=True)
class TierMoves:
    """How many customers a table would move at their next recompute."""

    up: int  # up (or across, to a tier replacing theirs): at once
    down: int  # down: after the grace period, if their spend stays below


@dataclass(frozen=True)
class TierTable:
    tiers: Sequence[LoyaltyTier]
    window_months: int
    moves: TierMoves
    saved: bool


def tier_table() -> TierTable:
    """Return the table as it stands (nothing would move)."""
    program = LoyaltyProgram.current()
    return TierTable(active_tiers(), program.tier_window_months, TierMoves(0, 0), saved=True)


def _multiplier(value, field: str) -> Decimal:
    message = "Give a multiplier from 1 to 10 with at most two decimals (1.25)."
    try:
        multiplier = parse_amount(value, field=field)
    except ValidationError:
        raise ValidationError({field: [message]}) from None
    if not Decimal(1) <= multiplier <= MAX_MULTIPLIER:
        raise ValidationError({field: [message]})
    return multiplier


def _clean(tiers: Sequence[TierInput], window_months) -> tuple[list[LoyaltyTier], int]:
    """Return the table as unsaved tiers, lowest first, or refuse it, each error on its field."""
    errors: dict[str, list[str]] = {}
    if len(tiers) > MAX_TIERS:
        errors["tiers"] = [f"A program has at most {MAX_TIERS} tiers."]
    if not (isinstance(window_months, int) and 1 <= window_months <= MAX_WINDOW_MONTHS):
        errors["window_months"] = [f"Give a whole number of months from 1 to {MAX_WINDOW_MONTHS}."]
    cleaned, names, spends = [], {}, {}
    for index, tier in enumerate(tiers[:MAX_TIERS]):
        field = f"tiers[{index}]"
        name = " ".join(str(tier.name or "").split())
        if not name:
            errors[f"{field}.name"] = ["Give the tier a name."]
        elif len(name) > NAME_MAX_LENGTH:
            errors[f"{field}.name"] = [f"At most {NAME_MAX_LENGTH} characters."]
        elif name.casefold() in names:
            errors[f"{field}.name"] = [f"Two tiers are named “{name}”."]
        names.setdefault(name.casefold(), index)
        try:
            spend = parse_amount(tier.qualifying_spend, field=f"{field}.qualifying_spend")
            if spend <= 0:
                raise ValidationError({f"{field}.qualifying_spend": ["Give an amount above 0."]})
            if spend in spends:
                raise ValidationError(
                    {f"{field}.qualifying_spend": [f"Two tiers start at {spend}."]}
                )
            spends[spend] = index
        except ValidationError as error:
            errors.update(error.message_dict)
            spend = None
        try:
            multiplier = _multiplier(tier.multiplier, f"{field}.multiplier")
        except ValidationError as error:
            errors.update(error.message_dict)
            multiplier = None
        cleaned.append(LoyaltyTier(name=name, qualifying_spend=spend, multiplier=multiplier))
    if errors:
        raise ValidationError(errors)
    return sorted(cleaned, key=lambda tier: tier.qualifying_spend), window_months


def tier_moves(
    *, tiers: Sequence[LoyaltyTier], window_months: int, now: datetime | None = None
) -> TierMoves:
    """Count the customers ``tiers`` would move up and down, by the recompute rules.

    Customers with a tier set by hand are left out: it holds until its end date.
    Reads the holders and the window's buyers a batch at a time (two queries a batch).
    """
    since = window_start(window_months=window_months, now=now)
    states = dict(
        CustomerTier.objects.filter(manual=False)
        .select_related("tier")
        .values_list("customer_id", "tier__name")
    )
    manual = set(CustomerTier.objects.filter(manual=True).values_list("customer_id", flat=True))
    ids = sorted((set(states) | set(customers_with_sales_since(since=since))) - manual)
    held_by_name = {tier.name: tier for tier in LoyaltyTier.objects.all()}
    up = down = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        spends = qualifying_spends(customer_ids=batch, since=since)
        for customer_id in batch:
            held = held_by_name.get(states.get(customer_id))
            target = tier_for_spend(spends.get(customer_id, Decimal(0)), tiers)
            if _named(target) == _named(held):
                continue
            if rank(target) >= rank(held):
                up += 1
            else:
                down += 1
    return TierMoves(up, down)


def _named(tier: LoyaltyTier | None) -> str | None:
    return tier.name.casefold() if tier else None


@transaction.atomic
def tiers_replace(
    *,
    tiers: Sequence[TierInput],
    window_months: int | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> TierTable:
    """Replace the tier table (and the window), or with ``dry_run`` only say what it would move.

    Tiers are matched by name, whatever the case: a tier kept keeps its holders, a new
    one is added, one left out is retired. The program row is locked, so two Managers
    saving at once save one table after the other.
    """
    program = LoyaltyProgram.objects.select_for_update().get(pk=LoyaltyProgram.current().pk)
    window = program.tier_window_months if window_months is None else window_months
    cleaned, window = _clean(list(tiers), window)
    existing = {tier.name.casefold(): tier for tier in LoyaltyTier.objects.select_for_update()}
    for tier in cleaned:
        kept = existing.get(tier.name.casefold())
        if kept is not None:
            tier.pk = kept.pk
        tier.active = True
    moves = tier_moves(tiers=cleaned, window_months=window, now=now or timezone.now())
    if dry_run:
        return TierTable(cleaned, window, moves, saved=False)
    for tier in cleaned:
        kept = existing.pop(tier.name.casefold(), None)
        if kept is None:
            tier.save()
        elif (kept.name, kept.qualifying_spend, kept.multiplier, kept.active) != (
            tier.name,
            tier.qualifying_spend,
            tier.multiplier,
            True,
        ):
            LoyaltyTier.objects.filter(pk=kept.pk).update(
                name=tier.name,
                qualifying_spend=tier.qualifying_spend,
                multiplier=tier.multiplier,
                active=True,
                updated_at=timezone.now(),
            )
    retired = [tier.pk for tier in existing.values() if tier.active]
    if retired:
        LoyaltyTier.objects.filter(pk__in=retired).update(active=False, updated_at=timezone.now())
    if window != program.tier_window_months:
        LoyaltyProgram.objects.filter(pk=program.pk).update(tier_window_months=window)
    return TierTable(active_tiers(), window, moves, saved=True)
