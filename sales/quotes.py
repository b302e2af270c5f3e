"""The one home of a sale's money rules: lines, discount, tax, total, what is due.

``sale_quote`` is pure (it reads products and writes nothing). Checkout charges
exactly what it returns, the till shows exactly what it returns (through
``POST /api/sales/quote``), and the demo seeder and tests pay its total, so a
cent can never disagree between the page and the server.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from classicpos import limits
from classicpos.limits import MAX_AMOUNT, MAX_QUANTITY, is_id
from sales.customer_alerts import AlertOverride, sale_block_check
from sales.discounts import discount_off
from sales.extensions import (
    PaymentMethodType,
    RefundedAs,
    StoredValueItem,
    payment_method,
    payment_methods,
    stored_value_kind,
    stored_value_kinds,
)
from sales.models import Product
from sales.money import ZERO, to_cents


@dataclass(frozen=True)
class LineInput:
    product_id: int | None = None
    quantity: int = 1
    # As typed: an amount off the line or a percentage of it (``sales.discounts``).
    discount: object = None
    # A stored-value line instead of a product: its kind's key and its JSON as sent.
    kind: str = ""
    data: object = None


@dataclass(frozen=True)
class PaymentInput:
    method: str
    amount: Decimal
    # The method's ``reference_field`` as sent (a gift card's code); never stored.
    reference: str = ""


@dataclass(frozen=True)
class RefundLineInput:
    sale_line_id: int
    quantity: int


@dataclass(frozen=True)
class QuotedLine:
    product: Product | None
    quantity: int
    # What the line costs after its own discount, and that discount.
    line_total: Decimal
    discount: Decimal = ZERO
    # A stored-value line: its kind's key and the item its module read.
    kind: str = ""
    item: StoredValueItem | None = None

    @property
    def name(self) -> str:
        return self.item.name if self.item else self.product.name

    @property
    def sku(self) -> str:
        return self.product.sku if self.product else ""

    @property
    def unit_price(self) -> Decimal:
        return self.item.amount if self.item else self.product.price

    @property
    def product_id(self) -> int | None:
        return self.product.pk if self.product else None


@dataclass(frozen=True)
class MethodOffer:
    """A payment method this sale can use, and the most it can take of what is due.

    ``max_amount`` is measured against the total less the *other* methods'
    payments, so "pay as much as possible with points" is one number to use.
    """

    method: PaymentMethodType
    max_amount: Decimal
    detail: str = ""


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuotedLine, ...]
    # Products and stored value together; the discount and tax are the goods' alone.
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    amount_due: Decimal
    change: Decimal
    methods: tuple[MethodOffer, ...]
    # What the stored-value lines cost (paid in money only; see ``StoredValueKind``).
    stored_value: Decimal = ZERO
    # Cash a customer is likely to hand over for what is due: exact, then the
    # next multiple of 5, 10 and 20 (the till's quick-cash buttons).
    cash_suggestions: tuple[Decimal, ...] = ()


class SaleErrors:
    """Collect field errors keyed as the API names them (``lines[0].quantity``)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def add_error(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add(field, message)

    def fits(self, amount: Decimal, *, field: str, what: str, limit: Decimal = MAX_AMOUNT) -> bool:
        """Return whether a worked-out figure fits its money column; record why not."""
        try:
            limits.check_amount(amount, field=field, what=what, limit=limit)
        except ValidationError as error:
            self.add_error(error)
            return False
        return True

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def nested_errors(error: ValidationError, prefix: str, *, rename=None, bare: str = "") -> dict:
    """Return a module's ``ValidationError`` keyed under ``prefix`` (``lines[2].giftCard``):
    ``amount`` becomes ``prefix.amount``; a message without a key goes to ``prefix.bare``
    (or ``prefix`` itself); ``rename`` maps the module's keys to the API's."""
    rename = rename or {}
    by_key = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    nested: dict[str, list[str]] = {}
    for key, messages in by_key.items():
        key = bare if key == "__all__" else rename.get(key, key)
        nested.setdefault(f"{prefix}.{key}" if key else prefix, []).extend(messages)
    return nested


def parse_amount(value, field: str, errors: SaleErrors) -> Decimal | None:
    """Return ``value`` as a Decimal of whole cents (``classicpos.limits.parse_amount``),
    or record why it is not one."""
    try:
        return limits.parse_amount(value, field=field)
    except ValidationError as error:
        errors.add_error(error)
        return None


QUICK_CASH_STEPS = (Decimal(5), Decimal(10), Decimal(20))


def cash_suggestions(amount_due: Decimal) -> tuple[Decimal, ...]:
    """Return ``amount_due`` and the next multiples of 5, 10 and 20 above it, without repeats."""
    if amount_due <= 0:
        return ()
    suggestions = [amount_due]
    for step in QUICK_CASH_STEPS:
        rounded = to_cents((amount_due / step).to_integral_value(rounding=ROUND_CEILING) * step)
        # A note rounded up past the largest amount could never be paid.
        if rounded not in suggestions and rounded <= MAX_AMOUNT:
            suggestions.append(rounded)
    return tuple(suggestions)


def tax_for(taxable: Decimal, store=None) -> Decimal:
    """Return the sales tax on ``taxable`` at the selling store's rate (the shop's setting
    without a store), rounded half-up to cents (2.00 at 7.25 % is 0.15)."""
    rate = settings.CLASSICPOS_TAX_RATE if store is None else store.effective_tax_rate
    return to_cents(taxable * rate)


def sale_payment_methods(*, customer) -> list[PaymentMethodType]:
    """Return the methods a sale for ``customer`` (``None``: walk-in) can be paid with."""
    return [
        method for method in payment_methods() if customer is not None or not method.needs_customer
    ]


def _stored_value_line(index: int, line: LineInput, user, errors: SaleErrors) -> QuotedLine | None:
    """Read a stored-value line through its kind's module; its errors keyed under the
    line's key (``lines[2].giftCard.amount``)."""
    kind = stored_value_kind(line.kind)
    field = f"lines[{index}].{line.kind}"
    if kind is None:
        known = ", ".join(k.key for k in stored_value_kinds()) or "none"
        errors.add(f"lines[{index}]", f"Unknown kind of line (known: productId, {known}).")
        return None
    try:
        item = kind.read(line.data, field=field, user=user)
    except ValidationError as error:
        errors.add_error(ValidationError(nested_errors(error, field)))
        return None
    if not errors.fits(item.amount, field=f"{field}.amount", what=f"This {kind.label.lower()}"):
        return None
    return QuotedLine(product=None, quantity=1, line_total=item.amount, kind=kind.key, item=item)


def _quoted_lines(lines: list[LineInput], errors: SaleErrors, user=None) -> list[QuotedLine]:
    products = Product.objects.in_bulk(
        [line.product_id for line in lines if not line.kind and is_id(line.product_id)]
    )
    quoted = []
    for index, line in enumerate(lines):
        if line.kind:
            stored = _stored_value_line(index, line, user, errors)
            if stored is not None:
                quoted.append(stored)
            continue
        product = products.get(line.product_id) if is_id(line.product_id) else None
        if product is None:
            errors.add(f"lines[{index}].productId", f"There is no product #{line.product_id}.")
            continue
        if not product.active:
            errors.add(f"lines[{index}].productId", f"{product.name} is no longer sold.")
            continue
        quantity = line.quantity
        if not limits.is_whole_number(quantity) or quantity < 1:
            errors.add(f"lines[{index}].quantity", "Quantity must be a whole number of at least 1.")
            continue
        if quantity > MAX_QUANTITY:
            errors.add(f"lines[{index}].quantity", f"Sell at most {MAX_QUANTITY:,} on one line.")
            continue
        before_discount = to_cents(product.price * quantity)
        if not errors.fits(before_discount, field=f"lines[{index}].quantity", what="This line"):
            continue
        try:
            discount = discount_off(
                line.discount,
                before_discount,
                field=f"lines[{index}].discount",
                of_what="the line's amount",
            )
        except ValidationError as error:
            errors.add_error(error)
            discount = ZERO
        quoted.append(
            QuotedLine(
                product=product,
                quantity=quantity,
                line_total=before_discount - discount,
                discount=discount,
            )
        )
    return quoted


def _discount(value, subtotal: Decimal, errors: SaleErrors) -> Decimal:
    try:
        return discount_off(value, subtotal, field="discount", of_what="the subtotal")
    except ValidationError as error:
        errors.add_error(error)
        return ZERO


def _payments(
    payments: list[PaymentInput], customer, errors: SaleErrors, user=None
) -> list[PaymentInput]:
    """Return the payments with a usable method and a positive amount in cents, each
    checked by its method (``PaymentMethodType.check``) when it has a check."""
    usable = {method.code for method in sale_payment_methods(customer=customer)}
    accepted = []
    for index, payment in enumerate(payments):
        field = f"payments[{index}]"
        method = payment_method(payment.method)
        if method is None:
            known = ", ".join(method.code for method in payment_methods())
            errors.add(f"{field}.method", f"Choose one of: {known}.")
            continue
        if method.code not in usable:
            errors.add(f"{field}.method", f"{method.label} payments need a customer.")
            continue
        amount = parse_amount(payment.amount, f"{field}.amount", errors)
        if amount is None:
            continue
        if amount <= 0:
            errors.add(f"{field}.amount", "Amount must be more than zero.")
            continue
        payment = PaymentInput(method=method.code, amount=amount, reference=payment.reference)
        if method.check is not None and not _method_accepts(
            method, payment, field, customer, user, errors
        ):
            continue
        accepted.append(payment)
    return accepted


def _method_accepts(method, payment, field, customer, user, errors: SaleErrors) -> bool:
    try:
        method.check(customer=customer, payment=payment, user=user)
    except ValidationError as error:
        rename = {"reference": method.reference_field or "reference"}
        errors.add_error(ValidationError(nested_errors(error, field, rename=rename, bare="amount")))
        return False
    return True


def goods_only_cap(total: Decimal, stored_value: Decimal) -> Decimal:
    """Return the most the methods that pay only for goods may pay together: stored value
    is paid in money, now."""
    return max(total - stored_value, ZERO)


def pays_goods_only(method: PaymentMethodType) -> bool:
    """Whether ``method`` may pay for goods but not for stored value: a method refunded in
    kind (points, store credit, a gift card: no gift card buys a gift card) or paid later
    (on account: the card's value would be a loan)."""
    return method.refunded_as == RefundedAs.IN_KIND or method.paid_later


def _offers(
    customer, total: Decimal, payments: list[PaymentInput], stored_value: Decimal = ZERO
) -> tuple[MethodOffer, ...]:
    offers = []
    for method in sale_payment_methods(customer=customer):
        by_others = sum((p.amount for p in payments if p.method != method.code), ZERO)
        open_amount = max(total - by_others, ZERO)
        if stored_value and pays_goods_only(method):
            goods_only_by_others = sum(
                (
                    p.amount
                    for p in payments
                    if p.method != method.code and pays_goods_only(payment_method(p.method))
                ),
                ZERO,
            )
            open_amount = min(
                open_amount,
                max(goods_only_cap(total, stored_value) - goods_only_by_others, ZERO),
            )
        limit = method.limit(customer=customer, amount=open_amount) if method.limit else None
        if limit is None:
            offers.append(MethodOffer(method=method, max_amount=open_amount))
        else:
            offers.append(
                MethodOffer(
                    method=method,
                    max_amount=min(max(limit.max_amount, ZERO), open_amount),
                    detail=limit.detail,
                )
            )
    return tuple(offers)


def quote_with_errors(
    *,
    lines: list[LineInput],
    discount,
    customer,
    payments: list[PaymentInput],
    errors: SaleErrors,
    store=None,
    user=None,
    offer_methods: bool = True,
) -> tuple[Quote, list[PaymentInput]]:
    """Price a sale, recording every bad input in ``errors``; return the quote and the
    payments it counted. Checkout uses this form to report all its errors at once.

    ``offer_methods=False`` leaves out what each payment method could still pay (the
    till's offers, ``Quote.methods``): checkout never reads them, since each method's
    ``settle`` checks its own limit under its own locks, and working them out (the
    points' tier and expiry, the customer's credit) was a fifth of a checkout's time.

    Every figure the sale would write is bounded here, before checkout writes
    anything: each line, the subtotal and total (``lines``) and the payments
    (``payments``); change and what is due are never more than those.
    """
    quoted = _quoted_lines(lines, errors, user)
    stored_value = sum((line.line_total for line in quoted if line.kind), ZERO)
    goods = sum((line.line_total for line in quoted if not line.kind), ZERO)
    subtotal = goods + stored_value
    subtotal_fits = errors.fits(subtotal, field="lines", what="The subtotal")
    # Stored value is money set aside: never discounted, never taxed.
    discount = _discount(discount, goods, errors)
    tax = tax_for(goods - discount, store)
    total = subtotal - discount + tax
    if subtotal_fits:
        errors.fits(total, field="lines", what="The total")
    accepted = _payments(payments, customer, errors, user)
    paid = sum((payment.amount for payment in accepted), ZERO)
    errors.fits(paid, field="payments", what="The payments")
    amount_due = max(total - paid, ZERO)
    quote = Quote(
        lines=tuple(quoted),
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=total,
        paid=paid,
        amount_due=amount_due,
        change=max(paid - total, ZERO),
        methods=_offers(customer, total, accepted, stored_value) if offer_methods else (),
        stored_value=stored_value,
        cash_suggestions=cash_suggestions(amount_due),
    )
    return quote, accepted


def sale_quote(
    *,
    lines: list[LineInput],
    discount=ZERO,
    customer=None,
    payments: list[PaymentInput] | None = None,
    store=None,
    user=None,
    alert_override: AlertOverride | None = None,
) -> Quote:
    """Return what a sale of ``lines`` at ``store`` costs and how ``customer`` can pay it.

    ``user`` is who asks (a stored-value line's or a payment's module may check it:
    how many wrong gift-card codes they typed). A customer whose note blocks sales is
    refused as checkout refuses them, unless ``alert_override`` (``sales.customer_alerts``).

    Raises ``ValidationError`` keyed by field (``lines[0].quantity``, ``discount``,
    ``payments[1].method``) when an input cannot be priced. An empty cart is a
    valid quote of zero: only checkout insists on a product.
    """
    errors = SaleErrors()
    try:
        sale_block_check(customer=customer, override=alert_override, user=user)
    except ValidationError as error:
        errors.add_error(error)
    quote, _ = quote_with_errors(
        lines=lines,
        discount=discount,
        customer=customer,
        payments=payments or [],
        errors=errors,
        store=store,
        user=user,
    )
    errors.raise_if_any()
    return quote
