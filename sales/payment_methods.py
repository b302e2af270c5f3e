"""The methods the till takes itself: cash (which gives change) and card."""

from sales.extensions import PaymentMethodType, register_payment_method
from sales.models import PaymentMethod


def connect() -> None:
    register_payment_method(
        PaymentMethodType(
            code=PaymentMethod.CASH, label=PaymentMethod.CASH.label, gives_change=True, order=10
        )
    )
    register_payment_method(
        PaymentMethodType(code=PaymentMethod.CARD, label=PaymentMethod.CARD.label, order=20)
    )
