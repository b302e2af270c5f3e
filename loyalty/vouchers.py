"""Reward vouchers: issued once, paid with once at the till, given back by refunds.

A voucher is a payment method (``voucher``), as points are: it pays part of a sale in
kind, so the sale's price and tax are what they would be without it, and a refund gives
its share back in kind, as a new voucher. The till offers the customer's usable
vouchers (unused, not past their day) together, soonest to end first; a sale paying
with them uses each whole, and the part of the last one it did not need is not kept
("one-time"). Every write runs inside checkout's or the refund's transaction with the
customer locked, and the vouchers are locked again here, so one voucher pays one sale.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from classicpos import prepared
from classicpos.money_format import format_money
from loyalty.expiry_rules import short_day
from loyalty.models import LoyaltyProgram, RewardVoucher
from sales.extensions import MethodLimit
from sales.money import ZERO, refunded_share

VOUCHER_METHOD = "voucher"


def _usable_vouchers_of(slot):
    return RewardVoucher.objects.filter(
        customer_id=slot("customer"), sale__isnull=True, valid_until__gte=slot("today")
    ).order_by("valid_until", "pk")


def usable_vouchers(*, customer, today: date | None = None) -> QuerySet[RewardVoucher]:
    """Return the customer's vouchers that can still pay, soonest to end first (the same
    query the till's prepared statement runs, as a QuerySet to lock or list)."""
    values = {"customer": customer.pk, "today": today or timezone.localdate()}
    return _usable_vouchers_of(prepared.slots(values))


def voucher_issue(
    *, customer, amount: Decimal, reason: str, reference: str, valid_until: date
) -> RewardVoucher:
    """Issue a voucher once per ``reference``; a second call returns the first one."""
    voucher, _ = RewardVoucher.objects.get_or_create(
        reference=reference,
        defaults={
            "customer": customer,
            "amount": amount,
            "reason": reason,
            "valid_until": valid_until,
        },
    )
    return voucher


def voucher_limit(*, customer, amount: Decimal) -> MethodLimit:
    """Return what the customer's vouchers can pay of ``amount``, and which they are
    ("Birthday 2026: $5.00 until 21 Jun"), for the till. One query, prepared
    (``classicpos.prepared``): every quote for a customer asks it."""
    today = timezone.localdate()
    values = {"customer": customer.pk, "today": today}
    vouchers = prepared.statement("usable vouchers", _usable_vouchers_of, values).instances(values)
    if not vouchers:
        return MethodLimit(max_amount=ZERO, detail="No voucher")
    held = sum((voucher.amount for voucher in vouchers), ZERO)
    detail = " \u00b7 ".join(
        f"{voucher.reason}: {format_money(voucher.amount)} until "
        f"{short_day(voucher.valid_until, today=today)}"
        for voucher in vouchers
    )
    return MethodLimit(max_amount=min(held, amount), detail=detail)


def vouchers_redeem_for_sale(*, sale, payment, user=None) -> list[RewardVoucher]:
    """Pay ``payment.amount`` of ``sale`` with the customer's vouchers (the ``voucher``
    method's ``settle``); refuse when they hold less. Each voucher used is used whole."""
    if sale.customer_id is None:
        raise ValidationError({"amount": ["Paying with a voucher needs a customer."]})
    vouchers = list(usable_vouchers(customer=sale.customer).select_for_update())
    held = sum((voucher.amount for voucher in vouchers), ZERO)
    if held < payment.amount:
        raise ValidationError(
            {
                "amount": [
                    f"{sale.customer.name}'s vouchers pay at most {held}."
                    if held
                    else f"{sale.customer.name} has no voucher to use."
                ]
            }
        )
    now = timezone.now()
    left = payment.amount
    used = []
    for voucher in vouchers:
        if left <= 0:
            break
        voucher.sale = sale
        voucher.used_amount = min(voucher.amount, left)
        voucher.used_at = now
        voucher.save(update_fields=["sale", "used_amount", "used_at"])
        left -= voucher.used_amount
        used.append(voucher)
    return used


def vouchers_give_back_for_refund(*, refund) -> RewardVoucher | None:
    """Give the vouchers' share of ``refund`` back as a new voucher, once per refund.

    The share is the running one every in-kind method uses (``sales.money.refunded_share``
    over the sale's refunds so far), so partial refunds never give back more than the
    vouchers paid. The new voucher lasts as long as the latest one used, and at least
    the program's voucher days from today.
    """
    sale = refund.sale
    used = list(sale.reward_vouchers.all())
    paid = sum((voucher.used_amount for voucher in used), ZERO)
    if not used or paid <= 0:
        return None
    before = sale.refunded_total - refund.total
    share = refunded_share(
        paid, refunded=sale.refunded_total, total=sale.goods_total
    ) - refunded_share(paid, refunded=before, total=sale.goods_total)
    if share <= 0:
        return None
    program = LoyaltyProgram.current()
    today = timezone.localdate()
    valid_until = max(
        max(voucher.valid_until for voucher in used),
        today + timedelta(days=program.birthday_voucher_days),
    )
    return voucher_issue(
        customer=sale.customer,
        amount=share,
        reason=f"Given back by a refund of {sale.number}"[:80],
        reference=f"refund-{refund.pk}",
        valid_until=valid_until,
    )
