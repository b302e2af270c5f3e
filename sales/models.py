"""Products, sales, their lines and payments, and refunds.

A sale keeps the product's name and price as they were at the till, so later
price changes never rewrite history. Customers are never hard-deleted, and a
sale never cascades from one.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from sales.extensions import payment_method, payment_methods
from sales.money import ZERO

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def search(self, term: str | None):
        """Products whose SKU or barcode is the term or starts with it, or whose name holds it.

        Each is annotated with ``exact_match``: its SKU or barcode *is* the term. A
        scanner sends a whole code, and the till adds the exact match without asking
        even when other products' names or codes merely contain it.
        """
        term = (term or "").strip()
        if not term:
            return self.annotate(exact_match=models.Value(False))
        exact = models.Q(sku__iexact=term) | models.Q(barcode=term)
        return self.filter(
            exact
            | models.Q(name__icontains=term)
            | models.Q(sku__istartswith=term)
            | models.Q(barcode__startswith=term)
        ).annotate(exact_match=models.ExpressionWrapper(exact, output_field=models.BooleanField()))


# What a barcode may hold: the model validates it, the API schema states it.
BARCODE_CHARACTERS = "0-9A-Za-z-"


class Product(models.Model):
    sku = models.CharField("SKU", max_length=64, unique=True)
    # The code printed under the bars (EAN-13, UPC-A...), when it differs from the SKU.
    barcode = models.CharField(
        max_length=64,
        blank=True,
        default="",
        validators=[
            RegexValidator(
                rf"^[{BARCODE_CHARACTERS}]*$", "A barcode holds only letters, digits and dashes."
            )
        ],
    )
    name = models.CharField(max_length=200)
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(Lower("name"), name="product_name_lower_idx"),
            models.Index(fields=["active", "name"], name="product_active_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["barcode"],
                condition=~models.Q(barcode=""),
                name="product_barcode_unique",
                violation_error_message="Another product has this barcode.",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="product_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    def clean(self) -> None:
        # The partial unique constraint backs this up; checked here so the message
        # sits on the barcode field, not above the form.
        if self.barcode:
            others = Product.objects.filter(barcode=self.barcode).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"barcode": "Another product has this barcode."})


class SaleStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class PaymentMethod(models.TextChoices):
    """The methods the till takes itself; other modules register theirs in ``sales.extensions``."""

    CASH = "cash", "Cash"
    CARD = "card", "Card"


def validate_payment_method(code: str) -> None:
    """Accept only a method registered in ``sales.extensions`` (cash, card and the modules')."""
    if payment_method(code) is None:
        known = ", ".join(method.code for method in payment_methods())
        raise ValidationError(f"Choose one of: {known}.", code="invalid_choice")


class Sale(models.Model):
    number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Where it was rung up: the store's tax rate priced it, its code prefixes the number.
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="sales")
    till = models.ForeignKey("stores.Till", on_delete=models.PROTECT, related_name="sales")
    status = models.CharField(
        max_length=20, choices=SaleStatus.choices, default=SaleStatus.COMPLETED
    )
    subtotal = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, default=ZERO)
    tax = models.DecimalField(**MONEY, default=ZERO)
    total = models.DecimalField(**MONEY)
    amount_tendered = models.DecimalField(**MONEY)
    change = models.DecimalField(**MONEY, default=ZERO)
    refunded_total = models.DecimalField(**MONEY, default=ZERO)
    # What the sale's stored-value lines (gift cards sold or reloaded) cost: part of the
    # total, but money put aside rather than goods sold (``sales.extensions.StoredValueKind``).
    stored_value = models.DecimalField(**MONEY, default=ZERO)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("refund_sale", "Can refund sales"),
            ("view_sales_report", "Can see the day's sales by store and till"),
        ]
        indexes = [
            models.Index(fields=["store", "created_at"], name="sale_store_created_idx"),
            # The customer list's "bought at": a store's customers, read from the index alone.
            models.Index(fields=["store", "customer"], name="sale_store_customer_idx"),
            models.Index(fields=["customer", "-created_at", "-id"], name="sale_customer_idx"),
            models.Index(fields=["status", "-created_at"], name="sale_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="sale_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="sale_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0) & models.Q(discount__lte=models.F("subtotal")),
                name="sale_discount_within_subtotal",
            ),
            models.CheckConstraint(
                condition=models.Q(stored_value__gte=0)
                & models.Q(stored_value__lte=models.F("total")),
                name="sale_stored_value_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Sale #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("sales:sale_detail", kwargs={"pk": self.pk})

    @property
    def net_total(self):
        """What the sale is worth after its refunds."""
        return self.total - self.refunded_total

    @property
    def goods_total(self):
        """The part of the total a refund can give back: the goods, tax included (stored
        value is undone on its card, not refunded with the sale)."""
        return self.total - self.stored_value


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="lines")
    # A product, or stored value of a registered ``kind`` (``"giftCard"``) without one.
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=20, blank=True, default="")
    sku = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # What the line's own discount took off; ``line_total`` is after it.
    discount = models.DecimalField(**MONEY, default=ZERO)
    line_total = models.DecimalField(**MONEY)
    refunded_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="sale_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_quantity__lte=models.F("quantity")),
                name="sale_line_refund_within_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0), name="sale_line_discount_not_negative"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="") & models.Q(product__isnull=False))
                | (~models.Q(kind="") & models.Q(product__isnull=True)),
                name="sale_line_product_or_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"

    @property
    def refundable_quantity(self) -> int:
        """What a refund may still take of this line (stored value: none, it is undone on
        its card)."""
        return 0 if self.kind else self.quantity - self.refunded_quantity


class Payment(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, validators=[validate_payment_method])
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.method_label} {self.amount}"

    @property
    def method_label(self) -> str:
        """The method's label from the registry (the code when its module is gone)."""
        method = payment_method(self.method)
        return method.label if method else self.method


class Refund(models.Model):
    """What a refund is worth (``total``) and how much money goes back (``paid_back``).

    The part of the sale paid by methods refunded in kind (points, store credit)
    goes back through their modules, not as money, so ``paid_back`` leaves it out.
    """

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="refunds")
    total = models.DecimalField(**MONEY)
    paid_back = models.DecimalField(**MONEY, default=ZERO)
    # Where ``paid_back`` goes: "" is money from the till; otherwise the code of a
    # method that accepts refunds (store credit), credited by its module.
    paid_back_to = models.CharField(max_length=20, blank=True, default="")
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Where the refund was given: any store's till may refund any store's sale.
    store = models.ForeignKey("stores.Store", on_delete=models.PROTECT, related_name="refunds")
    till = models.ForeignKey("stores.Till", on_delete=models.PROTECT, related_name="refunds")
    # The Manager who approved a refund started by someone not allowed to refund.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["store", "created_at"], name="refund_store_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Refund {self.total} of {self.sale}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sale_line.name}"


class CustomerSalesTotals(models.Model):
    """Each customer's lifetime spend, visits and last visit, kept as sales happen.

    The list's spend and last-visit segments (``sales.segments``) filter a million
    customers by these columns' indexes instead of adding up every sale per
    request. Checkout and refund update the row in their own transaction, under
    the customer's lock; a merge recomputes the survivor's. A customer has a row
    once they have a sale, so "no visits" is "no row". The figures are the same
    as ``sales.selectors.customer_sales_summary``'s (spend net of refunds,
    ``NET_SPEND``; a refunded sale is still a visit).
    """

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sales_totals",
    )
    # Wider than one sale's amount: a lifetime adds many of them up.
    lifetime_spend = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    visits = models.PositiveIntegerField(default=0)
    last_visit_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "customer sales totals"
        indexes = [
            models.Index(fields=["lifetime_spend"], name="sales_totals_spend_idx"),
            models.Index(fields=["last_visit_at"], name="sales_totals_last_visit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lifetime_spend__gte=0), name="sales_totals_spend_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(visits__gt=0), name="sales_totals_has_visits"
            ),
        ]

    def __str__(self) -> str:
        return f"Sales totals of customer #{self.customer_id}"


class ApprovalPin(models.Model):
    """A Manager's short code for approving at a till (``sales.approvals``), hashed as
    passwords are: quicker to type with a queue waiting than a password, never stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approval_pin"
    )
    pin_hash = models.CharField(max_length=128)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Approval PIN of {self.user}"
