"""Checkout and refund: each one transaction that writes the sale and tells other modules.

Rows are locked in a fixed order (customer, then sale) so two tills never
deadlock; payment methods owned by other modules (points, on account) are
settled by their registered handler inside the same transaction.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from customers.models import Customer
from sales.extensions import payment_handler
from sales.models import (
    Payment,
    PaymentMethod,
    Product,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    SaleStatus,
)
from sales.money import ZERO, to_cents
from sales.signals import sale_completed, sale_refunded


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class PaymentInput:
    method: str
    amount: Decimal


@dataclass(frozen=True)
class RefundLineInput:
    sale_line_id: int
    quantity: int


class SaleErrors:
    """Collect field errors keyed as the API names them (``lines[0].quantity``)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _amount(value, field: str, errors: SaleErrors) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.add(field, "Enter an amount such as 12.50.")
        return None
    if not amount.is_finite() or amount != to_cents(amount):
        errors.add(field, "Enter an amount with at most two decimals.")
        return None
    return amount


def _checkout_customer(customer_id: int | None, errors: SaleErrors) -> Customer | None:
    """Return the locked customer, refusing unknown and inactive ones."""
    if customer_id is None:
        return None
    # Locked so the customer cannot be deactivated mid-sale and so points and
    # credit checks of this sale see a stable row (customer before sale: fixed order).
    customer = Customer.objects.select_for_update().filter(pk=customer_id).first()
    if customer is None:
        errors.add("customerId", f"There is no customer #{customer_id}.")
    elif not customer.is_active:
        errors.add(
            "customerId",
            f"{customer.name} is inactive; restore the customer before selling to them.",
        )
    return customer


def _checkout_lines(lines: list[LineInput], errors: SaleErrors) -> list[SaleLine]:
    if not lines:
        errors.add("lines", "Add at least one product.")
        return []
    products = Product.objects.in_bulk([line.product_id for line in lines])
    sale_lines = []
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None:
            errors.add(f"lines[{index}].productId", f"There is no product #{line.product_id}.")
            continue
        if not product.active:
            errors.add(f"lines[{index}].productId", f"{product.name} is no longer sold.")
            continue
        if (
            isinstance(line.quantity, bool)
            or not isinstance(line.quantity, int)
            or line.quantity < 1
        ):
            errors.add(f"lines[{index}].quantity", "Quantity must be a whole number of at least 1.")
            continue
        sale_lines.append(
            SaleLine(
                product=product,
                sku=product.sku,
                name=product.name,
                unit_price=product.price,
                quantity=line.quantity,
                line_total=to_cents(product.price * line.quantity),
            )
        )
    return sale_lines


def _checkout_payments(
    payments: list[PaymentInput], total: Decimal, customer: Customer | None, errors: SaleErrors
) -> tuple[list[Payment], Decimal]:
    """Validate payments against the total; return them and the change to give."""
    accepted = []
    for index, payment in enumerate(payments):
        field = f"payments[{index}]"
        if payment.method not in PaymentMethod.values:
            errors.add(f"{field}.method", f"Choose one of: {', '.join(PaymentMethod.values)}.")
            continue
        if payment.method not in (PaymentMethod.CASH, PaymentMethod.CARD):
            if payment_handler(payment.method) is None:
                label = PaymentMethod(payment.method).label
                errors.add(f"{field}.method", f"{label} payments are not available yet.")
                continue
            if customer is None:
                label = PaymentMethod(payment.method).label
                errors.add(f"{field}.method", f"{label} payments need a customer.")
                continue
        amount = _amount(payment.amount, f"{field}.amount", errors)
        if amount is None:
            continue
        if amount <= 0:
            errors.add(f"{field}.amount", "Amount must be more than zero.")
            continue
        accepted.append(Payment(method=payment.method, amount=amount))
    if errors.errors:
        return accepted, ZERO
    if not accepted and total > 0:
        errors.add("payments", f"Add a payment of {total}.")
        return accepted, ZERO
    paid = sum((p.amount for p in accepted), ZERO)
    cash = sum((p.amount for p in accepted if p.method == PaymentMethod.CASH), ZERO)
    if paid < total:
        errors.add("payments", f"Payments of {paid} do not cover the total of {total}.")
    elif paid - cash > total:
        errors.add("payments", f"Only cash may exceed the total of {total}.")
    return accepted, max(paid - total, ZERO)


def _totals(sale_lines: list[SaleLine], discount_value, errors: SaleErrors):
    subtotal = sum((line.line_total for line in sale_lines), ZERO)
    discount = _amount(discount_value if discount_value is not None else "0", "discount", errors)
    if discount is None:
        return subtotal, ZERO, ZERO, subtotal
    if discount < 0:
        errors.add("discount", "The discount cannot be negative.")
    elif discount > subtotal:
        errors.add("discount", f"The discount cannot be more than the subtotal of {subtotal}.")
    discount = min(max(discount, ZERO), subtotal)
    tax = to_cents((subtotal - discount) * settings.CLASSICPOS_TAX_RATE)
    return subtotal, discount, tax, subtotal - discount + tax


@transaction.atomic
def sale_checkout(
    *,
    cashier,
    customer_id: int | None,
    lines: list[LineInput],
    payments: list[PaymentInput],
    discount=ZERO,
) -> Sale:
    """Validate and record a sale with its lines and payments, then send ``sale_completed``.

    Everything is refused with field errors and nothing is saved when any input
    is wrong; a payment handler or signal receiver that raises undoes the sale.
    """
    errors = SaleErrors()
    customer = _checkout_customer(customer_id, errors)
    sale_lines = _checkout_lines(lines, errors)
    subtotal, discount, tax, total = _totals(sale_lines, discount, errors)
    accepted, change = _checkout_payments(payments, total, customer, errors)
    errors.raise_if_any()

    sale = Sale.objects.create(
        customer=customer,
        cashier=cashier,
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=total,
        amount_tendered=sum((p.amount for p in accepted), ZERO),
        change=change,
    )
    sale.number = f"S-{sale.pk:06d}"
    sale.save(update_fields=["number"])
    for line in sale_lines:
        line.sale = sale
    SaleLine.objects.bulk_create(sale_lines)
    for payment in accepted:
        payment.sale = sale
    Payment.objects.bulk_create(accepted)
    for payment in accepted:
        handler = payment_handler(payment.method)
        if handler is not None:
            handler(sale=sale, payment=payment, user=cashier)
    sale_completed.send(sender=Sale, sale=sale)
    return sale


def _refund_lines(sale: Sale, requested: list[RefundLineInput] | None, errors: SaleErrors):
    """Return ``[(sale_line, quantity)]`` to refund: all that is left, or what was asked."""
    sale_lines = {line.pk: line for line in sale.lines.all()}
    if not requested:
        chosen = [(line, line.refundable_quantity) for line in sale_lines.values()]
        chosen = [(line, quantity) for line, quantity in chosen if quantity > 0]
        if not chosen:
            errors.add("lines", f"Sale {sale.number} has already been refunded in full.")
        return chosen
    chosen = []
    for index, item in enumerate(requested):
        line = sale_lines.get(item.sale_line_id)
        if line is None:
            errors.add(
                f"lines[{index}].saleLineId",
                f"Sale {sale.number} has no line #{item.sale_line_id}.",
            )
            continue
        if (
            isinstance(item.quantity, bool)
            or not isinstance(item.quantity, int)
            or item.quantity < 1
        ):
            errors.add(f"lines[{index}].quantity", "Quantity must be a whole number of at least 1.")
            continue
        if item.quantity > line.refundable_quantity:
            errors.add(
                f"lines[{index}].quantity",
                f"Only {line.refundable_quantity} of {line.name} can still be refunded.",
            )
            continue
        chosen.append((line, item.quantity))
    return chosen


def _money_share(sale: Sale, amount: Decimal) -> Decimal:
    """Return the part of ``amount`` that was paid in money rather than with points."""
    by_points = sum(
        (p.amount for p in sale.payments.all() if p.method == PaymentMethod.POINTS), ZERO
    )
    if not by_points or not sale.total:
        return amount
    return to_cents(amount * (sale.total - by_points) / sale.total)


@transaction.atomic
def sale_refund(
    *, sale: Sale, user, lines: list[RefundLineInput] | None = None, reason: str = ""
) -> Refund:
    """Refund some lines of a sale (or all that is left) and send ``sale_refunded``.

    Amounts carry the sale's discount and tax in proportion; the refund that
    empties the sale returns exactly what is left of its total, so refunds never
    add up to more than was paid.
    """
    # Lock the sale so two refunds of it cannot both pass the quantity check.
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    errors = SaleErrors()
    chosen = _refund_lines(sale, lines, errors)
    errors.raise_if_any()

    refund = Refund.objects.create(
        sale=sale, total=ZERO, reason=reason.strip()[:500], created_by=user
    )
    refund_lines = []
    for line, quantity in chosen:
        share = line.unit_price * quantity
        amount = to_cents(share * sale.total / sale.subtotal) if sale.subtotal else ZERO
        refund_lines.append(
            RefundLine(refund=refund, sale_line=line, quantity=quantity, amount=amount)
        )
        line.refunded_quantity += quantity
        line.save(update_fields=["refunded_quantity"])
    fully_refunded = all(line.refundable_quantity == 0 for line in sale.lines.all())
    total = sum((item.amount for item in refund_lines), ZERO)
    if fully_refunded:
        total = sale.total - sale.refunded_total
    RefundLine.objects.bulk_create(refund_lines)
    refund.total = total
    refund.paid_back = _money_share(sale, total)
    refund.save(update_fields=["total", "paid_back"])
    sale.refunded_total += total
    sale.status = SaleStatus.REFUNDED if fully_refunded else SaleStatus.PARTIALLY_REFUNDED
    sale.save(update_fields=["refunded_total", "status", "updated_at"])
    sale_refunded.send(sender=Refund, refund=refund, sale=sale)
    return refund


@transaction.atomic
def product_create(*, sku: str, name: str, price, active: bool = True) -> Product:
    product = Product(
        sku=(sku or "").strip(), name=" ".join((name or "").split()), price=price, active=active
    )
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict) -> Product:
    for field in ("sku", "name", "price", "active"):
        if field in data:
            value = data[field]
            if field == "sku":
                value = (value or "").strip()
            elif field == "name":
                value = " ".join((value or "").split())
            setattr(product, field, value)
    product.full_clean()
    product.save()
    return product
