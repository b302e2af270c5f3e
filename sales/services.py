"""Checkout and refund: each one transaction that writes the sale and tells other modules.

Rows are locked in the one order of ``customers.locks`` (customer, then sale),
once, at the start; the locked customer travels on ``sale.customer`` to the
payment methods' handlers and the signals' receivers. Prices, tax and what is
due come from ``sales.quotes.sale_quote``, the same numbers the till shows.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum

from classicpos.limits import MAX_LIFETIME_AMOUNT, is_id
from classicpos.reasons import clean_reason
from customers.locks import customer_for_update
from customers.models import Customer
from sales.customer_alerts import AlertOverride, alert_override_record, sale_block_check
from sales.extensions import payment_method, refund_destinations, stored_value_kind
from sales.locks import sale_for_update
from sales.models import (
    CustomerSalesTotals,
    Payment,
    Product,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    SaleStatus,
)
from sales.money import ZERO, to_cents
from sales.numbers import sale_number
from sales.quotes import (
    LineInput,
    PaymentInput,
    Quote,
    RefundLineInput,
    SaleErrors,
    goods_only_cap,
    nested_errors,
    pays_goods_only,
    quote_with_errors,
)
from sales.refund_quotes import refund_quote_with_errors
from sales.selectors import NET_SPEND, keep_in_hand, sale_refundable_to
from sales.signals import sale_completed, sale_refunded
from stores.models import NumberSeries, Till
from stores.selectors import the_only_till, till_for_sale
from stores.services import next_number

__all__ = [
    "LineInput",
    "PaymentInput",
    "RefundLineInput",
    "customer_sales_totals_recompute",
    "product_create",
    "product_update",
    "sale_checkout",
    "sale_refund",
]


def _checkout_customer(customer_id: int | None, errors: SaleErrors) -> Customer | None:
    """Return the locked customer, refusing unknown and inactive ones."""
    if customer_id is None:
        return None
    if not is_id(customer_id):
        errors.add("customerId", f"There is no customer #{customer_id}.")
        return None
    # Locked first (see customers.locks): the customer cannot be deactivated
    # mid-sale, and the payment methods' balance checks see a stable row.
    customer = customer_for_update(customer_id)
    if customer is None:
        errors.add("customerId", f"There is no customer #{customer_id}.")
    elif not customer.is_active:
        errors.add(
            "customerId",
            f"{customer.name} is inactive; restore the customer before selling to them.",
        )
    return customer


def _sales_totals(
    customer: Customer, quote: Quote, errors: SaleErrors
) -> CustomerSalesTotals | None:
    """Return the customer's totals row (``None`` before their first sale).

    Read before the sale is written, to refuse a sale that would take the
    lifetime spend past its column; the customer is locked, so it stays true.
    """
    totals = CustomerSalesTotals.objects.filter(customer_id=customer.pk).first()
    if totals is not None:
        errors.fits(
            totals.lifetime_spend + quote.total,
            field="customerId",
            what=f"{customer.name}'s lifetime spend",
            limit=MAX_LIFETIME_AMOUNT,
        )
    return totals


def _count_sale_in_totals(sale: Sale, totals: CustomerSalesTotals | None) -> None:
    """Add a new sale to its customer's totals (``CustomerSalesTotals``, read by
    ``_sales_totals``).

    Called inside checkout with the customer locked, so no other till reads or
    writes the row meanwhile. The sum is made in ``Decimal`` here rather than in
    SQL, where SQLite would add floats.
    """
    if totals is None:
        CustomerSalesTotals.objects.create(
            customer_id=sale.customer_id,
            lifetime_spend=sale.net_total,
            visits=1,
            last_visit_at=sale.created_at,
        )
        return
    totals.lifetime_spend = to_cents(totals.lifetime_spend + sale.net_total)
    totals.visits += 1
    totals.last_visit_at = max(totals.last_visit_at, sale.created_at)
    totals.save(update_fields=["lifetime_spend", "visits", "last_visit_at"])


def _count_refund_in_totals(refund: Refund, customer_id: int) -> None:
    """Take a refund off its customer's lifetime spend (``NET_SPEND`` drops by its total).

    The sale stays a visit, as in ``customer_sales_summary``. Called inside the
    refund with the customer locked.
    """
    totals = CustomerSalesTotals.objects.filter(customer_id=customer_id).first()
    if totals is None:
        # Only a sale written around checkout (a hand-made fixture) lacks one: recount.
        customer_sales_totals_recompute(customer_id=customer_id)
        return
    totals.lifetime_spend = to_cents(totals.lifetime_spend - refund.total)
    totals.save(update_fields=["lifetime_spend"])


def _check_tender(quote: Quote, payments: list[PaymentInput], errors: SaleErrors) -> None:
    """Refuse payments that do not cover the total, or change from a method that gives none."""
    if errors.errors:
        return
    if not payments and quote.total > 0:
        errors.add("payments", f"Add a payment of {quote.total}.")
        return
    if quote.paid < quote.total:
        errors.add("payments", f"Payments of {quote.paid} do not cover the total of {quote.total}.")
        return
    goods_only = [p for p in payments if pays_goods_only(payment_method(p.method))]
    cap = goods_only_cap(quote.total, quote.stored_value)
    if quote.stored_value and sum((p.amount for p in goods_only), ZERO) > cap:
        labels = sorted({payment_method(p.method).label.lower() for p in goods_only})
        errors.add(
            "payments",
            f"{' and '.join(labels).capitalize()} may pay at most {cap} of this sale: "
            f"the {quote.stored_value} of stored value is paid in money now.",
        )
        return
    with_change = [payment_method(p.method) for p in payments]
    change_givers = {method.code for method in with_change if method.gives_change}
    without_change = sum((p.amount for p in payments if p.method not in change_givers), ZERO)
    if without_change > quote.total:
        labels = sorted({m.label.lower() for m in with_change if m.gives_change}) or ["cash"]
        errors.add("payments", f"Only {' or '.join(labels)} may exceed the total of {quote.total}.")


def _on_payment_row(
    error: ValidationError, index: int, reference_field: str = ""
) -> ValidationError:
    """Key a payment method's refusal to the payment it refuses (``payments[1].amount``,
    ``payments[1].giftCardCode`` for its ``reference``), so the till shows it beside that
    row; keys naming another field stay as they are."""
    if not hasattr(error, "error_dict"):
        return ValidationError({f"payments[{index}].amount": error.messages})
    keyed: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        if field in ("amount", "payments", "__all__"):
            field = f"payments[{index}].amount"
        elif field == "reference":
            field = f"payments[{index}].{reference_field or 'reference'}"
        keyed.setdefault(field, []).extend(messages)
    return ValidationError(keyed)


def _settle_stored_value(sale: Sale, rows: list[SaleLine], quoted, user) -> None:
    """Let each stored-value line's module record it (issue or load the card) now that
    the line exists; a refusal is keyed to the line (``lines[2].giftCard.code``)."""
    for index, (row, line) in enumerate(zip(rows, quoted, strict=True)):
        if not line.kind:
            continue
        try:
            stored_value_kind(line.kind).settle(sale=sale, line=row, item=line.item, user=user)
        except ValidationError as error:
            raise ValidationError(nested_errors(error, f"lines[{index}].{line.kind}")) from error


def _sale_till(till_id, cashier, errors: SaleErrors) -> Till | None:
    """Return the till the sale is rung up at (``stores.selectors.till_for_sale``), or record
    why it cannot be; a cashier not allowed at its store is refused outright (403)."""
    try:
        return till_for_sale(till_id=till_id, user=cashier)
    except ValidationError as error:
        errors.add_error(error)
        return None


@transaction.atomic
def sale_checkout(
    *,
    cashier,
    customer_id: int | None,
    lines: list[LineInput],
    payments: list[PaymentInput],
    discount=ZERO,
    till_id=None,
    alert_override: AlertOverride | None = None,
) -> Sale:
    """Validate and record a sale with its lines and payments, then send ``sale_completed``.

    ``till_id`` names the till (``None``: the chain's only till); the sale is
    priced at its store's tax rate and numbered in its store's series. Everything
    is refused with field errors and nothing is saved when any input is wrong; a
    payment method's ``settle`` or a signal receiver that raises undoes the sale.
    A customer whose note blocks sales needs ``alert_override`` from a Manager
    (``sales.customer_alerts``), recorded on their history with the sale.
    """
    errors = SaleErrors()
    till = _sale_till(till_id, cashier, errors)
    customer = _checkout_customer(customer_id, errors)
    allowed_because = ""
    if customer is not None and customer.is_active:
        try:
            allowed_because = sale_block_check(
                customer=customer, override=alert_override, user=cashier
            )
        except ValidationError as error:
            errors.add_error(error)
    quote, accepted = quote_with_errors(
        lines=lines,
        discount=discount,
        customer=customer,
        payments=payments,
        errors=errors,
        store=till.store if till else None,
        user=cashier,
        offer_methods=False,
    )
    if not lines:
        errors.add("lines", "Add at least one product.")
    _check_tender(quote, accepted, errors)
    totals = None
    if customer is not None and not errors.errors:
        totals = _sales_totals(customer, quote, errors)
    errors.raise_if_any()

    store = till.store
    # Numbered once every check has passed: the store's counter row stays locked from
    # here to the commit (the store's other tills wait on it; other stores never do).
    number = next_number(store_id=store.pk, series=NumberSeries.SALE)
    sale = Sale.objects.create(
        number=sale_number(store.code, number),
        customer=customer,
        cashier=cashier,
        store=store,
        till=till,
        subtotal=quote.subtotal,
        discount=quote.discount,
        tax=quote.tax,
        total=quote.total,
        stored_value=quote.stored_value,
        amount_tendered=quote.paid,
        change=quote.change,
    )
    sale_lines = SaleLine.objects.bulk_create(
        SaleLine(
            sale=sale,
            product=line.product,
            kind=line.kind,
            sku=line.sku,
            name=line.name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            discount=line.discount,
            line_total=line.line_total,
        )
        for line in quote.lines
    )
    rows = Payment.objects.bulk_create(
        Payment(sale=sale, method=payment.method, amount=payment.amount) for payment in accepted
    )
    for index, (row, payment) in enumerate(zip(rows, accepted, strict=True)):
        method = payment_method(row.method)
        if method.settle is None:
            continue
        extra = {"reference": payment.reference} if method.reference_field else {}
        try:
            method.settle(sale=sale, payment=row, user=cashier, **extra)
        except ValidationError as error:
            raise _on_payment_row(error, index, method.reference_field) from error
    _settle_stored_value(sale, sale_lines, quote.lines, cashier)
    if customer is not None:
        _count_sale_in_totals(sale, totals)
    if allowed_because:
        alert_override_record(sale=sale, reason=allowed_because, user=cashier)
    sale_completed.send(sender=Sale, sale=sale)
    keep_in_hand(sale, lines=sale_lines, payments=rows, refunds=[])
    return sale


def _check_refund_destination(
    refund_to: str, sale: Sale, paid_back: Decimal, errors: SaleErrors
) -> None:
    if not refund_to:
        return
    destinations = {method.code: method for method in refund_destinations()}
    method = destinations.get(refund_to)
    if method is None:
        known = ", ".join(["the till", *destinations]) if destinations else "the till"
        errors.add("refundTo", f"A refund can go to: {known}.")
    elif method.needs_customer and sale.customer_id is None:
        errors.add("refundTo", f"{method.label} needs a customer; this was a walk-in sale.")
    elif method.refunds_up_to_paid:
        available = sale_refundable_to(sale=sale, method=method.code)
        if paid_back > available:
            errors.add(
                "refundTo",
                f"Only {available} of this sale can go back by {method.label.lower()}: "
                "pay the refund from the till instead.",
            )


def _refund_till(till_id, sale: Sale, user, errors: SaleErrors) -> Till | None:
    if till_id in (None, "") and the_only_till() is None:
        return sale.till
    return _sale_till(till_id, user, errors)


@transaction.atomic
def sale_refund(
    *,
    sale: Sale,
    user,
    lines: list[RefundLineInput] | None = None,
    reason: str = "",
    refund_to: str = "",
    approved_by=None,
    till_id=None,
) -> Refund:
    """Refund some lines of a sale (or all that is left) and send ``sale_refunded``.

    Amounts carry the sale's discount and tax in proportion; the refund that
    empties the sale returns exactly what is left of its total, so refunds never
    add up to more than was paid. The money part goes out of the till, or to
    ``refund_to``: a method that accepts refunds (store credit, the card it was
    paid with). ``approved_by`` is the Manager who approved it for ``user``
    (``sales.approvals``).
    """
    # Customer first, then the sale (customers.locks): the locked sale stops two
    # refunds of it from both passing the quantity check, and the locked
    # customer travels on ``sale.customer`` to the receivers (points, credit).
    customer = customer_for_update(sale.customer_id) if sale.customer_id else None
    sale = sale_for_update(sale.pk)
    if sale.customer_id != (customer.pk if customer else None):
        # A merge moved the sale to another customer after it was read: that
        # customer is not locked, and locking it now would break the lock order.
        raise ValidationError("This sale's customer has just changed; refund it again.")
    if customer is not None:
        sale.customer = customer
    errors = SaleErrors()
    till = _refund_till(till_id, sale, user, errors)
    try:
        reason = clean_reason(reason)
    except ValidationError as error:
        errors.add_error(error)
    quote = refund_quote_with_errors(sale=sale, lines=lines, errors=errors)
    _check_refund_destination(refund_to, sale, quote.paid_back, errors)
    errors.raise_if_any()

    refund = Refund.objects.create(
        sale=sale,
        store=till.store,
        till=till,
        total=quote.total,
        paid_back=quote.paid_back,
        paid_back_to=refund_to,
        reason=reason,
        created_by=user,
        approved_by=approved_by,
    )
    for item in quote.lines:
        item.line.refunded_quantity += item.quantity
        item.line.save(update_fields=["refunded_quantity"])
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, sale_line=item.line, quantity=item.quantity, amount=item.amount)
        for item in quote.lines
    )
    sale.refunded_total += quote.total
    sale.status = SaleStatus.REFUNDED if quote.empties_sale else SaleStatus.PARTIALLY_REFUNDED
    sale.save(update_fields=["refunded_total", "status", "updated_at"])
    if customer is not None:
        _count_refund_in_totals(refund, customer.pk)
    sale_refunded.send(sender=Refund, refund=refund, sale=sale)
    return refund


@transaction.atomic
def customer_sales_totals_recompute(*, customer_id: int) -> CustomerSalesTotals | None:
    """Count a customer's totals again from their sales; ``None`` when they have none.

    For a merge, which moves the duplicate's sales to the survivor: the caller
    holds both customers' locks, so the figures cannot change underneath. One
    aggregate over the customer's sales (``sale_customer_idx``).
    """
    figures = Sale.objects.filter(customer_id=customer_id).aggregate(
        spend=Sum(NET_SPEND), visits=Count("id"), last=Max("created_at")
    )
    if not figures["visits"]:
        CustomerSalesTotals.objects.filter(customer_id=customer_id).delete()
        return None
    totals, _ = CustomerSalesTotals.objects.update_or_create(
        customer_id=customer_id,
        defaults={
            "lifetime_spend": to_cents(figures["spend"]),
            "visits": figures["visits"],
            "last_visit_at": figures["last"],
        },
    )
    return totals


@transaction.atomic
def product_create(
    *, sku: str, name: str, price, active: bool = True, barcode: str = ""
) -> Product:
    product = Product(
        sku=(sku or "").strip(),
        barcode=(barcode or "").strip(),
        name=" ".join((name or "").split()),
        price=price,
        active=active,
    )
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    for field in ("sku", "barcode", "name", "price", "active"):
        if field in data:
            value = data[field]
            if field in ("sku", "barcode"):
                value = (value or "").strip()
            elif field == "name":
                value = " ".join((value or "").split())
            setattr(product, field, value)
    product.full_clean()
    product.save()
    return product
