"""Customer accounts, invoices and their payments, and the store credit ledger.

Money rules the database enforces, so no code path can break them:

- an invoice never has more paid and credited than its total, and its status
  is exactly what its amounts say (``open``, ``partially_paid``, ``paid``,
  ``void``); ``amount_paid`` is the sum of its payments not reversed and
  ``amount_credited`` the sum of its refund credits (both written with them, in
  one transaction);
- store credit is an append-only ledger; ``CustomerAccount.store_credit`` is the
  cached balance, always the ledger's sum and never negative.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone

from classicpos.immutable import ImmutableModel, ImmutableQuerySet
from sales.models import MONEY
from sales.money import ZERO
from stores.models import RecordedAtTill


class CustomerAccount(models.Model):
    """A customer's credit limit and store credit balance, created on first use."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.PROTECT, related_name="account"
    )
    credit_limit = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(ZERO)],
        help_text="How much the customer may owe on open invoices; 0 means no credit.",
    )
    # Cached balance of the store credit ledger (see StoreCreditEntry).
    store_credit = models.DecimalField(**MONEY, default=ZERO)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("adjust_store_credit", "Can adjust customers' store credit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="account_credit_limit_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(store_credit__gte=0), name="account_store_credit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Account of {self.customer}"


class InvoiceStatus(models.TextChoices):
    OPEN = "open", "Open"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


UNPAID_STATUSES = (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)


class InvoiceQuerySet(models.QuerySet):
    def unpaid(self):
        """Invoices that still have a balance to pay."""
        return self.filter(status__in=UNPAID_STATUSES)

    def overdue(self, *, today=None):
        return self.unpaid().filter(due_on__lt=today or timezone.localdate())


# What has settled an invoice so far. Rounded to cents inside the constraints: SQLite
# adds decimals as floats (9.72 + 0.28 is 10.000000000000002 there), which would refuse
# an exactly paid invoice; PostgreSQL's numeric sum is exact either way.
PAID_AND_CREDITED = Round(F("amount_paid") + F("amount_credited"), 2)


class Invoice(RecordedAtTill):
    """What a sale put on a customer's account, and how much of it is settled.

    ``amount_credited`` is what refunds of the sale took off the invoice; the
    balance is ``total - amount_paid - amount_credited``.
    """

    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    sale = models.OneToOneField("sales.Sale", on_delete=models.PROTECT, related_name="invoice")
    issued_on = models.DateField()
    due_on = models.DateField()
    total = models.DecimalField(**MONEY)
    amount_paid = models.DecimalField(**MONEY, default=ZERO)
    amount_credited = models.DecimalField(**MONEY, default=ZERO)
    status = models.CharField(
        max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["customer", "status"], name="invoice_customer_status_idx"),
            models.Index(fields=["status", "due_on"], name="invoice_status_due_idx"),
            models.Index(fields=["-issued_on", "-id"], name="invoice_issued_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="invoice_total_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_credited__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=PAID_AND_CREDITED),
                name="invoice_never_overpaid",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")), name="invoice_due_after_issue"
            ),
            # The status is what the amounts say, nothing else.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="open",
                        amount_paid=0,
                        total__gt=PAID_AND_CREDITED,
                    )
                    | Q(
                        status="partially_paid",
                        amount_paid__gt=0,
                        total__gt=PAID_AND_CREDITED,
                    )
                    | Q(
                        status="paid",
                        amount_paid__gt=0,
                        total=PAID_AND_CREDITED,
                    )
                    | Q(status="void", amount_paid=0, total=F("amount_credited"))
                ),
                name="invoice_status_follows_amounts",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("accounting:invoice_detail", kwargs={"pk": self.pk})

    @property
    def balance(self):
        return self.total - self.amount_paid - self.amount_credited

    @property
    def is_overdue(self) -> bool:
        return self.status in UNPAID_STATUSES and self.due_on < timezone.localdate()


class InvoicePaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    STORE_CREDIT = "store_credit", "Store credit"


class InvoicePayment(RecordedAtTill, ImmutableModel):
    """Money received against an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, choices=InvoicePaymentMethod.choices)
    amount = models.DecimalField(**MONEY)
    reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="invoice_payment_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="invoice_payment_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} on {self.invoice}"


class InvoicePaymentReversal(ImmutableModel):
    """A Manager's undoing of one payment (a bounced cheque, the wrong invoice).

    The payment row stays as it was: the ledger is never edited. This row points
    at it, and the invoice's ``amount_paid`` no longer counts it. One per payment.
    """

    payment = models.OneToOneField(
        InvoicePayment, on_delete=models.PROTECT, related_name="reversal"
    )
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="invoice_payment_reversal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Reversal of {self.payment}"


class InvoiceCredit(ImmutableModel):
    """What a refund of the invoiced sale took off the invoice's balance."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credits")
    refund = models.ForeignKey(
        "sales.Refund", on_delete=models.PROTECT, related_name="invoice_credits"
    )
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="invoice_credit_amount_positive"
            ),
            models.UniqueConstraint(fields=["refund"], name="invoice_one_credit_per_refund"),
        ]

    def __str__(self) -> str:
        return f"Credit {self.amount} on {self.invoice}"


class StoreCreditKind(models.TextChoices):
    REFUND = "refund", "Refund"
    SALE = "sale", "Spent at the till"
    INVOICE_PAYMENT = "invoice_payment", "Paid an invoice"
    PAYMENT_REVERSAL = "payment_reversal", "Invoice payment reversed"
    ADJUSTMENT = "adjustment", "Adjustment"


class StoreCreditEntry(RecordedAtTill, ImmutableModel):
    """One signed change of a customer's store credit, with the balance it left."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="store_credit_entries"
    )
    kind = models.CharField(max_length=20, choices=StoreCreditKind.choices)
    amount = models.DecimalField(**MONEY)
    balance_after = models.DecimalField(**MONEY)
    sale = models.ForeignKey(
        "sales.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="store_credit_entries",
    )
    refund = models.ForeignKey(
        "sales.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="store_credit_entries",
    )
    invoice_payment = models.OneToOneField(
        InvoicePayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="store_credit_entry",
    )
    # What gave back the store credit an invoice payment spent.
    payment_reversal = models.OneToOneField(
        InvoicePaymentReversal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="store_credit_entry",
    )
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "store credit entries"
        indexes = [
            models.Index(
                fields=["customer", "-created_at", "-id"], name="store_credit_customer_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="store_credit_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="store_credit_never_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="refund") | Q(amount__gt=0, refund__isnull=False),
                name="store_credit_refund_gives",
            ),
            models.CheckConstraint(
                condition=~Q(kind="sale") | Q(amount__lt=0, sale__isnull=False),
                name="store_credit_sale_spends",
            ),
            models.CheckConstraint(
                condition=~Q(kind="invoice_payment")
                | Q(amount__lt=0, invoice_payment__isnull=False),
                name="store_credit_invoice_payment_spends",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment_reversal")
                | Q(amount__gt=0, payment_reversal__isnull=False),
                name="store_credit_payment_reversal_gives",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""),
                name="store_credit_adjustment_has_reason",
            ),
            # Exactly once per refund: everything a refund gives back is one row.
            models.UniqueConstraint(
                fields=["refund"], condition=Q(kind="refund"), name="store_credit_one_per_refund"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+} → {self.balance_after}"
