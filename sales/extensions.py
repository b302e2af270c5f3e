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
- Stored-value lines: a line that sells value rather than goods (a gift card),
  read from the cart by its module, settled by it after the sale is written.
- Checkout widgets: a module's part of the till page (loyalty's "Pay with
  points"): a template rendered in the payment card and a script that talks to
  the checkout through ``window.ClassicPOS.checkout``.
- Pick warnings: what a module tells the cashier about a customer as soon as they
  are picked at the till, before payment (accounting: over or near the credit
  limit, overdue invoices); the quote carries them (``customerWarnings``).
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
    ``reference_field``: the API key of a text the payment carries for its module (a
    gift card's code, ``giftCardCode``); checkout hands it to ``settle`` as
    ``reference=`` and never stores it. ``check(customer=, payment=, user=)`` lets
    the quote refuse one payment before checkout (a card that is voided or short):
    it raises ``ValidationError`` keyed ``amount`` or ``reference``.
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
    reference_field: str = ""
    check: Callable[..., None] | None = None
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
class StoredValueKind:
    """A cart line that sells stored value (a gift card), not goods.

    Such a line is money put aside for later, so ``sales`` treats every kind alike:
    untaxed, never discounted, paid only in money (no method refunded in kind may pay
    for it: a gift card cannot buy a gift card, nor can points), earning no points,
    counted in a sale's ``stored_value`` rather than its goods, and not refunded
    through the sale (its module undoes it on the card). ``key`` is the line's key in
    the API (``{"giftCard": {...}}``) and ``SaleLine.kind``.

    ``read(data, *, field, user)`` turns the line's JSON into a :class:`StoredValueItem`
    or raises ``ValidationError`` keyed by the item's own keys (``amount``, ``code``);
    ``settle(sale=, line=, item=, user=)`` runs in the checkout's transaction once
    the line is written and may refuse the sale with ``ValidationError``. ``schema``
    is the JSON Schema of the line's object, for the API's OpenAPI document.
    """

    key: str
    label: str
    read: Callable[..., "StoredValueItem"]
    settle: Callable[..., None]
    schema: dict = field(default_factory=lambda: {"type": "object"})
    order: int = 100


@dataclass(frozen=True)
class StoredValueItem:
    """A stored-value line as its module read it: what it costs, what the line is called,
    and whatever the module needs to settle it (``details``)."""

    amount: Decimal
    name: str
    details: object = None


_stored_value_kinds: Registry[StoredValueKind] = Registry(
    "stored-value line kinds", key=lambda kind: kind.key
)


def register_stored_value_kind(kind: StoredValueKind) -> None:
    _stored_value_kinds.register(kind)


def stored_value_kind(key: str) -> StoredValueKind | None:
    return _stored_value_kinds.get(key)


def stored_value_kinds() -> list[StoredValueKind]:
    return list(_stored_value_kinds)


@dataclass(frozen=True)
class SaleFacts:
    """Extra facts about a sale: ``api(sale) -> dict`` and ``receipt(sale) -> [(label, value)]``.

    ``name`` is the module's ("loyalty"): one set of facts each, in ``order``.
    ``receipt_template`` is a section the receipt page includes below its figures, with
    ``section`` set to ``receipt_context(sale)`` (nothing is drawn when it is empty): a
    gift card's code and barcode, printed once.
    """

    name: str
    api: Callable[[object], dict]
    receipt: Callable[[object], list[tuple[str, str]]]
    prefetch: tuple[str, ...] = field(default_factory=tuple)
    receipt_template: str = ""
    receipt_context: Callable[[object], object] | None = None
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


@dataclass(frozen=True)
class PickWarning:
    """One thing the cashier should know about the customer before taking payment.

    ``level`` is ``warn`` (shown; the sale goes ahead) or ``block``; ``text`` is in
    the cashier's words, ready to show ("2 invoices overdue: $120.00").
    """

    level: str
    text: str


@dataclass(frozen=True)
class PickWarnings:
    """A module's warnings about a customer picked at the till.

    ``warnings(customer)`` returns a list of :class:`PickWarning` in a constant number
    of queries (the till asks with every quote). ``name`` is the module's;
    ``permission`` hides them from users without it.
    """

    name: str
    warnings: Callable[[object], list[PickWarning]]
    permission: str | None = None
    order: int = 100


_pick_warnings: Registry[PickWarnings] = Registry("pick warnings")


def register_pick_warnings(entry: PickWarnings) -> None:
    _pick_warnings.register(entry)


def pick_warnings_for(user) -> list[PickWarnings]:
    """Return the modules' warnings ``user`` may see at the till, in display order."""
    return _pick_warnings.for_user(user)
