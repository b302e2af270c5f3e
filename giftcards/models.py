"""Gift cards: the card, its ledger, the program's settings and the lookup misses.

A card's balance is money the shop owes its holder. It changes only through
``GiftCardEntry`` rows, written by ``giftcards.services`` with the card's row locked:
each entry records the signed amount and the balance before and after it, the
database checks ``balance_after = balance_before + amount`` and ``balance_after >= 0``
on every row, and ``(card, sequence)`` is unique, so two writers can never both
continue the same balance. ``GiftCard.balance`` is the cached last balance;
``manage.py giftcards_reconcile`` proves it equals the sum of the entries.

The code is never stored: only its SHA-256 (``code_hash``, unique, how a scanned or
typed code finds its card) and its last four characters, to show.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round

from classicpos.immutable import ImmutableModel, ImmutableQuerySet
from sales.models import MONEY
from sales.money import ZERO
from stores.models import RecordedAtTill


class GiftCardStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    # Stopped for now (lost or disputed): a Manager may make it active again.
    BLOCKED = "blocked", "Blocked"
    # Its balance written off for good (a void entry); never active again.
    VOIDED = "voided", "Voided"


class GiftCard(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    last4 = models.CharField(max_length=4)
    # A generated code is printed once, on the first receipt: until then this random
    # seed (with the SECRET_KEY) rebuilds it; the first print blanks it (``giftcards.codes``).
    print_seed = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=GiftCardStatus.choices, default=GiftCardStatus.ACTIVE
    )
    balance = models.DecimalField(**MONEY, default=ZERO)
    issued_at_store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gift_cards",
    )
    expires_on = models.DateField(null=True, blank=True)
    # The entries so far: the next entry's ``sequence`` is this plus one.
    entry_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("issue_giftcard", "Can issue gift cards outside a sale"),
            ("void_giftcard", "Can void or block gift cards"),
            ("view_giftcard_liability", "Can see the gift card liability report"),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="giftcard_customer_idx"),
            models.Index(
                fields=["expires_on"],
                name="giftcard_expiring_idx",
                condition=Q(status="active", expires_on__isnull=False),
            ),
            models.Index(fields=["created_at"], name="giftcard_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="giftcard_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Gift card ••••{self.last4}"

    @property
    def masked(self) -> str:
        return f"••••{self.last4}"


class EntryKind(models.TextChoices):
    ISSUE = "issue", "Issued"
    LOAD = "load", "Loaded"
    REDEEM = "redeem", "Redeemed"
    REFUND = "refund", "Refunded to card"
    ADJUST = "adjust", "Adjusted"
    EXPIRE = "expire", "Expired"
    VOID = "void", "Voided"


class GiftCardEntryQuerySet(ImmutableQuerySet):
    pass


class GiftCardEntry(RecordedAtTill, ImmutableModel):
    """One signed change of a card's balance, with the balance before and after it."""

    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(**MONEY)
    balance_before = models.DecimalField(**MONEY)
    balance_after = models.DecimalField(**MONEY)
    sale = models.ForeignKey(
        "sales.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gift_card_entries",
    )
    sale_line = models.OneToOneField(
        "sales.SaleLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        "sales.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(
        "sales.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GiftCardEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "gift card entries"
        indexes = [
            models.Index(fields=["created_at"], name="giftcard_entry_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["card", "sequence"], name="giftcard_entry_sequence"),
            models.CheckConstraint(condition=~Q(amount=0), name="giftcard_entry_amount_not_zero"),
            # Rounded to cents: SQLite keeps decimals as floating point, where 0.10 + 0.20
            # is not 0.30 (PostgreSQL's numeric is exact either way).
            models.CheckConstraint(
                condition=Q(balance_after=Round(F("balance_before") + F("amount"), 2)),
                name="giftcard_entry_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="giftcard_entry_never_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["issue", "load", "refund"], amount__gt=0)
                | Q(kind__in=["redeem", "expire", "void"], amount__lt=0)
                | Q(kind="adjust"),
                name="giftcard_entry_sign_of_kind",
            ),
            # An expiry or a void takes the whole balance: nothing is left after it.
            models.CheckConstraint(
                condition=~Q(kind__in=["expire", "void"]) | Q(balance_after=0),
                name="giftcard_entry_expire_void_empty",
            ),
            # One redeem entry per payment: a retried settle cannot spend twice.
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="redeem"),
                name="giftcard_entry_one_redeem_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} on {self.card}"


class GiftCardProgram(models.Model):
    """The shop's gift card settings: one row (``current()``), changed by a Manager."""

    # Months a card issued from now on is valid; null: cards never expire (the default).
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        months = self.validity_months
        return f"Gift cards valid {months} months" if months else "Gift cards never expire"

    @classmethod
    def current(cls) -> "GiftCardProgram":
        program, _ = cls.objects.get_or_create(pk=1)
        return program


class LookupMiss(models.Model):
    """A wrong gift card code someone typed: ten a minute per user or per address, then 429.

    In the database, not a process's memory, so every worker of the server counts the
    same misses. Old rows are purged as new ones are written.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "at"], name="giftcard_miss_user_idx"),
            models.Index(fields=["address", "at"], name="giftcard_miss_address_idx"),
        ]

    def __str__(self) -> str:
        return f"Wrong gift card code at {self.at:%Y-%m-%d %H:%M:%S}"
