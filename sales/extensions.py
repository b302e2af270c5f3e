"""Hooks other modules plug into a sale without ``sales`` importing them.

Each registry is filled from a module's ``AppConfig.ready()``:

- Payment methods: ``sales`` registers cash and card itself; loyalty adds
  ``points``, accounting ``on_account`` and ``store_credit``. A method says what
  ``sales`` needs to know and nothing more: its label, whether it needs a
  customer, whether a refund gives its part back as money or in kind, and a
  ``settle`` handler called directly inside the checkout transaction (not
  through a signal) because it must be able to refuse the sale: raising
  ``ValidationError`` rolls it back.
- Sale facts: extra figures a module adds to a sale's API response and receipt
  (loyalty adds points earned and redeemed), with the prefetches they need so
  lists keep a constant number of queries.
- Checkout widgets: a module's part of the till page (loyalty's "Pay with
  points"): a template rendered in the payment card and a script that talks to
  the checkout through ``window.ClassicPOS.checkout``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from classicpos.registry import Registry


class RefundedAs(StrEnum):
    """How a method's share of a refund goes back to the customer."""

    MONEY = "money"  # paid back from the till (``Refund.paid_back``)
    IN_KIND = "in_kind"  # given back by the method's module (points, credit), not as money


@dataclass(frozen=True)
class MethodLimit:
    """What a method can take for one customer and sale: at most ``max_amount``; ``detail``
    says why in words the cashier reads ("240 points, worth 2.00")."""

    max_amount: Decimal
    detail: str = ""


@dataclass(frozen=True)
class PaymentMethodType:
    """A way to pay, as checkout, refunds, the quote and the till need to know it.

    ``settle(sale=, payment=, user=)`` runs inside the checkout transaction after
    the payment row is written and may refuse it with ``ValidationError``.
    ``limit(customer=, amount=)`` returns the :class:`MethodLimit` of this method
    for ``amount`` still to pay, or ``None`` when it can take all of it.
    ``accepts_refunds``: a refund's money part may go to this method instead of
    out of the till (store credit); its module credits it on ``sale_refunded``.
    ``refunds_up_to_paid``: only up to what the sale paid with this method, less
    what earlier refunds gave back to it (a card refund goes back to the card).
    ``paid_later``: the money for this part comes after the sale (an invoice), and
    its module sends ``sale_paid_later`` as it arrives.
    """

    code: str
    label: str
    needs_customer: bool = False
    refunded_as: RefundedAs = RefundedAs.MONEY
    gives_change: bool = False
    accepts_refunds: bool = False
    refunds_up_to_paid: bool = False
    paid_later: bool = False
    settle: Callable[..., None] | None = None
    limit: Callable[..., MethodLimit | None] | None = None
    order: int = 100


# A method is named by its code: what a ``Payment`` row stores.
_payment_methods: Registry[PaymentMethodType] = Registry(
    "payment methods", key=lambda method: method.code
)


def register_payment_method(method: PaymentMethodType) -> None:
    """Accept ``method.code`` at checkout from now on."""
    _payment_methods.register(method)


def payment_method(code: str) -> PaymentMethodType | None:
    """Return the registered method with this code, or ``None``."""
    return _payment_methods.get(code)


def payment_methods() -> list[PaymentMethodType]:
    """Return every registered method in the till's order."""
    return list(_payment_methods)


def refund_destinations() -> list[PaymentMethodType]:
    """Return the methods a refund's money part may go to besides the till."""
    return [method for method in payment_methods() if method.accepts_refunds]


@dataclass(frozen=True)
class SaleFacts:
    """Extra facts about a sale: ``api(sale) -> dict`` and ``receipt(sale) -> [(label, value)]``.

    ``name`` is the module's ("loyalty"): one set of facts each, in ``order``.
    """

    name: str
    api: Callable[[object], dict]
    receipt: Callable[[object], list[tuple[str, str]]]
    prefetch: tuple[str, ...] = field(default_factory=tuple)
    order: int = 100


_sale_facts: Registry[SaleFacts] = Registry("sale facts")


def register_sale_facts(facts: SaleFacts) -> None:
    _sale_facts.register(facts)


def sale_facts() -> list[SaleFacts]:
    return list(_sale_facts)


def sale_prefetches() -> list[str]:
    return [name for facts in _sale_facts for name in facts.prefetch]


@dataclass(frozen=True)
class CheckoutWidget:
    """A module's part of the till page.

    ``template_name`` is included in the payment card (with ``context(request)``
    merged into the page's context); ``script`` is a static path loaded after
    the checkout's own script. ``permission`` hides it from users without it.
    """

    template_name: str
    script: str = ""
    context: Callable[[object], dict] | None = None
    permission: str | None = None
    order: int = 100


# A widget is named by its template: one template, one widget.
_checkout_widgets: Registry[CheckoutWidget] = Registry(
    "checkout widgets", key=lambda widget: widget.template_name
)


def register_checkout_widget(widget: CheckoutWidget) -> None:
    _checkout_widgets.register(widget)


def checkout_widgets_for(user) -> list[CheckoutWidget]:
    """Return the widgets ``user`` may see at the till, in display order."""
    return _checkout_widgets.for_user(user)
