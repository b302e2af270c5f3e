"""How loyalty plugs into sales: the ``points`` payment method and the points facts of a sale."""

from loyalty import services
from loyalty.models import TransactionKind
from sales.extensions import SaleFacts, register_payment_handler, register_sale_facts


def pay_with_points(*, sale, payment, user) -> None:
    """Settle a ``points`` payment by redeeming points; refusing it refuses the sale."""
    services.points_redeem_for_sale(sale=sale, amount=payment.amount, user=user)


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
    if points["pointsRedeemed"]:
        lines.append(("Points redeemed", str(points["pointsRedeemed"])))
    return lines


def connect() -> None:
    register_payment_handler("points", pay_with_points)
    register_sale_facts(
        SaleFacts(api=sale_points, receipt=sale_receipt_points, prefetch=("loyalty_transactions",))
    )
