"""How loyalty plugs into sales: the ``points`` and ``voucher`` payment methods, the
points facts of a sale and the "Pay with points" and "Use voucher" widgets at the till."""

from decimal import Decimal

from django.utils import timezone

from classicpos.money_format import format_money
from loyalty import services
from loyalty.expiry_rules import short_day
from loyalty.models import LoyaltyProgram, TransactionKind
from loyalty.selectors import customer_tier_state, points_expiring
from loyalty.vouchers import VOUCHER_METHOD, voucher_limit, vouchers_redeem_for_sale
from sales.extensions import (
    CheckoutWidget,
    MethodLimit,
    PaymentMethodType,
    RefundedAs,
    SaleFacts,
    payment_method,
    register_checkout_widget,
    register_payment_method,
    register_sale_facts,
)

POINTS_METHOD = "points"


def pay_with_points(*, sale, payment, user) -> None:
    """Settle a ``points`` payment by redeeming points; refusing it refuses the sale."""
    services.points_redeem_for_sale(sale=sale, amount=payment.amount, user=user)


def points_limit(*, customer, amount: Decimal) -> MethodLimit:
    """Return how much of ``amount`` the customer's points can pay, in whole steps.

    The detail the till shows beside "Pay with points" also names the customer's
    tier and the soonest points to expire ("Gold member, earns x1.5, 250 points, worth
    $2.00, 120 points expire on 31 Jan"): the cashier sees it all in one place.
    """
    program = LoyaltyProgram.current()
    balance = customer.loyalty_points
    parts = [f"{balance} points, worth {format_money(program.worth(balance))}"]
    state = customer_tier_state(customer=customer)
    if state is not None and state.tier is not None:
        parts.insert(0, f"{state.tier.name} member, earns {_times(state.tier.multiplier)}")
    expiring = points_expiring(customer=customer)
    if expiring:
        day, points = expiring[0]
        parts.append(f"{points} points expire on {short_day(day, today=timezone.localdate())}")
    return MethodLimit(
        max_amount=program.redeemable(points=balance, up_to=amount),
        detail=" \u00b7 ".join(parts),
    )


def _times(multiplier: Decimal) -> str:
    return f"\u00d7{multiplier.normalize()}"


def sale_points(sale) -> dict:
    """Return ``pointsEarned`` and ``pointsRedeemed`` from the prefetched ledger rows."""
    rows = sale.loyalty_transactions.all()
    earned = sum(row.points for row in rows if row.kind == TransactionKind.EARN)
    redeemed = -sum(row.points for row in rows if row.kind == TransactionKind.REDEEM)
    return {"pointsEarned": earned, "pointsRedeemed": redeemed}


def sale_receipt_points(sale) -> list[tuple[str, str]]:
    if sale.customer_id is None:
        return []
    points = sale_points(sale)
    lines = [("Points earned", str(points["pointsEarned"]))]
    tiered = [row for row in sale.loyalty_transactions.all() if row.tier_name]
    if tiered:
        row = tiered[0]
        lines.insert(0, ("Tier", f"{row.tier_name} ({_times(row.multiplier)})"))
    if points["pointsRedeemed"]:
        lines.append(("Points redeemed", str(points["pointsRedeemed"])))
    at_sale = [row for row in sale.loyalty_transactions.all() if row.refund_id is None]
    if at_sale:
        latest = max(at_sale, key=lambda row: row.pk)
        lines.append(("Points balance", str(latest.balance_after)))
    if any(_paid_later(payment.method) for payment in sale.payments.all()):
        lines.append(("Points on the invoice", "earned as it is paid"))
    return lines


def _paid_later(code: str) -> bool:
    method = payment_method(code)
    return method is not None and method.paid_later


def connect() -> None:
    register_payment_method(
        PaymentMethodType(
            code=POINTS_METHOD,
            label="Points",
            needs_customer=True,
            refunded_as=RefundedAs.IN_KIND,
            settle=pay_with_points,
            limit=points_limit,
            order=30,
        )
    )
    register_payment_method(
        PaymentMethodType(
            code=VOUCHER_METHOD,
            label="Voucher",
            needs_customer=True,
            refunded_as=RefundedAs.IN_KIND,
            settle=vouchers_redeem_for_sale,
            limit=voucher_limit,
            order=35,
        )
    )
    register_sale_facts(
        SaleFacts(
            name="loyalty",
            api=sale_points,
            receipt=sale_receipt_points,
            prefetch=("loyalty_transactions",),
        )
    )
    register_checkout_widget(
        CheckoutWidget(
            template_name="loyalty/_checkout_points.html",
            script="loyalty/checkout-points.js",
            order=10,
        )
    )
    register_checkout_widget(
        CheckoutWidget(
            template_name="loyalty/_checkout_voucher.html",
            script="loyalty/checkout-voucher.js",
            order=11,
        )
    )
