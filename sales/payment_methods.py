"""The methods the till takes itself: cash (which gives change) and card."""

from sales.extensions import PaymentMethodType, register_payment_method
from sales.models import PaymentMethod


def connect() -> None:
    register_payment_method(
        PaymentMethodType(
            code=PaymentMethod.CASH, label=PaymentMethod.CASH.label, gives_change=True, order=10
        )
    )
    # A card payment's share of a refund can go back to the card (the terminal does
    # the reversal; the refund records it), never more than the card paid.
    register_payment_method(
        PaymentMethodType(
            code=PaymentMethod.CARD,
            label=PaymentMethod.CARD.label,
            accepts_refunds=True,
            refunds_up_to_paid=True,
            order=20,
        )
    )
