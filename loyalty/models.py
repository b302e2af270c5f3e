"""The loyalty ledger: every change of a customer's points is one immutable row.

``customers.loyaltyPoints`` is a cached balance; it always equals the sum of
the customer's ledger rows, and both are written in the same transaction by
``loyalty.services``.
"""

from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from classicpos.immutable import ImmutableModel, ImmutableQuerySet
from stores.models import RecordedAtTill


class ExpiryRule(models.TextChoices):
    NEVER = "never", "Points never expire"
    AFTER_EARNING = "after_earning", "N months after they were earned"
    AFTER_INACTIVITY = "after_inactivity", "After N months without a purchase"


class LoyaltyProgram(models.Model):
    """The shop's earning and redemption rules (one row, edited by a Manager in the admin).

    Changing a rule affects sales from then on; past ledger rows keep the points
    they were written with.
    """

    earn_rate = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Points earned per whole currency unit paid by methods other than points.",
    )
    redeem_step = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Points are redeemed in multiples of this many points.",
    )
    redeem_value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="What one step of points is worth at the till.",
    )
    minimum_sale_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="A sale paying less than this (without points) earns nothing.",
    )
    tier_window_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Tiers count what a customer paid in money over this many months.",
    )
    expiry_rule = models.CharField(
        max_length=16,
        choices=ExpiryRule.choices,
        default=ExpiryRule.NEVER,
        help_text="Applies to points earned from the moment it is saved, never to points "
        "already held (each lot keeps the terms it was earned under).",
    )
    expiry_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="The N of the expiry rule.",
    )
    expiry_notice_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MaxValueValidator(365)],
        help_text="Customers who agreed to email are told this many days before points "
        "expire (0: no notice).",
    )
    birthday_points = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(1_000_000)],
        help_text="Points given once a year in the customer's birthday week, to customers "
        "who gave a birthday and agreed to marketing (0: no birthday reward).",
    )
    birthday_voucher = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
        help_text="A one-time voucher of this amount, paid with at the till, given with "
        "the birthday reward (0: none).",
    )
    birthday_voucher_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days a birthday voucher can be used.",
    )
    birthday_greeting = models.BooleanField(
        default=False,
        help_text="Email a birthday greeting with the reward to those who agreed to email.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "loyalty program"
        verbose_name_plural = "loyalty program"
        constraints = [
            models.CheckConstraint(
                # NULL >= 1 is not false to a CHECK: say "not null" too.
                condition=models.Q(expiry_rule="never")
                | models.Q(expiry_months__isnull=False, expiry_months__gte=1),
                name="loyalty_expiry_rule_has_months",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.earn_rate} point(s) per 1.00; {self.redeem_step} points = {self.redeem_value}"
        )

    def clean(self) -> None:
        if self.expiry_rule != ExpiryRule.NEVER and not self.expiry_months:
            raise ValidationError({"expiry_months": ["Say after how many months points expire."]})

    @classmethod
    def current(cls) -> "LoyaltyProgram":
        """Return the program, creating it from the settings' defaults the first time."""
        program, _ = cls.objects.get_or_create(
            pk=1,
            defaults={
                "earn_rate": settings.CLASSICPOS_LOYALTY_EARN_RATE,
                "redeem_step": settings.CLASSICPOS_LOYALTY_REDEEM_STEP,
                "redeem_value": settings.CLASSICPOS_LOYALTY_REDEEM_VALUE,
                "minimum_sale_amount": settings.CLASSICPOS_LOYALTY_MINIMUM_SALE,
            },
        )
        return program

    def points_earned(self, amount: Decimal, multiplier: Decimal = Decimal(1)) -> int:
        """Return the whole points (rounded down) that paying ``amount`` in money earns.

        ``multiplier`` is the customer's tier's (Gold: 1.5); it multiplies before the
        rounding, so a tier never loses the fraction a plain rate would keep.
        """
        if amount < self.minimum_sale_amount:
            return 0
        earned = amount * self.earn_rate * multiplier
        return int(earned.to_integral_value(rounding=ROUND_FLOOR))

    def worth(self, points: int) -> Decimal:
        """Return what ``points`` can pay at the till: whole steps only, nothing when negative."""
        return Decimal(max(points, 0) // self.redeem_step) * self.redeem_value

    def redeemable(self, *, points: int, up_to: Decimal) -> Decimal:
        """Return the most that ``points`` can pay of ``up_to``, in whole steps."""
        steps_wanted = int((up_to / self.redeem_value).to_integral_value(rounding=ROUND_FLOOR))
        steps_held = max(points, 0) // self.redeem_step
        return Decimal(max(min(steps_wanted, steps_held), 0)) * self.redeem_value

    def points_for_payment(self, amount: Decimal) -> int:
        """Return the points a payment of ``amount`` costs; refuse an amount between steps."""
        steps = amount / self.redeem_value
        if amount <= 0 or steps != steps.to_integral_value():
            raise ValidationError(
                {
                    "payments": [
                        f"Points pay in steps of {self.redeem_value} "
                        f"({self.redeem_step} points each)."
                    ]
                }
            )
        return int(steps) * self.redeem_step


class TransactionKind(models.TextChoices):
    EARN = "earn", "Earned"
    REDEEM = "redeem", "Redeemed"
    REVERSAL = "reversal", "Reversal"
    ADJUSTMENT = "adjustment", "Adjustment"
    EXPIRE = "expire", "Expired"
    BIRTHDAY = "birthday", "Birthday"


class LoyaltyTransactionQuerySet(ImmutableQuerySet):
    """Ledger rows are written once (``classicpos.immutable``); the ledger's filters."""

    def for_customer(self, customer):
        return self.filter(customer=customer)


class LoyaltyTransaction(RecordedAtTill, ImmutableModel):
    """One signed change of a customer's points, with the balance it left."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="loyalty_transactions"
    )
    kind = models.CharField(max_length=12, choices=TransactionKind.choices)
    points = models.IntegerField()
    balance_after = models.IntegerField()
    sale = models.ForeignKey(
        "sales.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loyalty_transactions",
    )
    refund = models.ForeignKey(
        "sales.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loyalty_transactions",
    )
    reason = models.CharField(max_length=500, blank=True)
    # For points earned on money paid after the sale (an invoice's payment): which
    # payment, as ``sales.signals.sale_paid_later`` names it. Empty otherwise.
    reference = models.CharField(max_length=40, blank=True, default="")
    # An earn row's tier when it was written (its name as the receipt printed it) and
    # that tier's multiplier: a later invoice payment for the sale earns at the same one.
    tier_name = models.CharField(max_length=40, blank=True, default="")
    multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(1))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LoyaltyTransactionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("adjust_points", "Can adjust customers' loyalty points")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(points=0), name="loyalty_points_not_zero"),
            models.CheckConstraint(
                condition=~models.Q(kind="earn") | models.Q(points__gt=0),
                name="loyalty_earn_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="redeem") | models.Q(points__lt=0),
                name="loyalty_redeem_negative",
            ),
            # A redemption never takes the balance below zero (a reversal may).
            models.CheckConstraint(
                condition=~models.Q(kind="redeem") | models.Q(balance_after__gte=0),
                name="loyalty_redeem_never_overdraws",
            ),
            # Exactly once per sale: the database refuses a second award or redemption;
            # points earned on a later payment are once per payment instead.
            models.UniqueConstraint(
                fields=["sale"],
                condition=models.Q(kind="earn", reference=""),
                name="loyalty_one_earn_per_sale",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="loyalty_one_row_per_later_payment",
            ),
            models.UniqueConstraint(
                fields=["sale"],
                condition=models.Q(kind="redeem"),
                name="loyalty_one_redeem_per_sale",
            ),
            # Per refund: at most one take-back of earned points and one give-back
            # of redeemed points.
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(kind="reversal", points__lt=0),
                name="loyalty_one_takeback_per_refund",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(kind="reversal", points__gt=0),
                name="loyalty_one_giveback_per_refund",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="adjustment") | ~models.Q(reason=""),
                name="loyalty_adjustment_has_reason",
            ),
            # Expiry takes only points held (lots' remaining), never below zero; its
            # reference (customer and day) is unique above, so a day expires once.
            models.CheckConstraint(
                condition=~models.Q(kind="expire")
                | models.Q(points__lt=0, balance_after__gte=0) & ~models.Q(reference=""),
                name="loyalty_expire_takes_held_points",
            ),
            # A birthday gives points, once a customer a year: its reference (customer
            # and year) is unique above.
            models.CheckConstraint(
                condition=~models.Q(kind="birthday")
                | models.Q(points__gt=0) & ~models.Q(reference=""),
                name="loyalty_birthday_gives_once",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="loyalty_customer_idx"),
            models.Index(fields=["kind", "-created_at"], name="loyalty_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d} → {self.balance_after}"


class PointsLot(models.Model):
    """Points earned together, and what is left of them: the unit that expires.

    One lot per positive ledger row (an earn, a positive adjustment, a refund's
    give-back, an opening balance). Negative rows consume the open lots oldest first,
    so a customer's lots' ``remaining`` always adds up to their balance (zero while it
    is negative). The expiry terms are fixed when the lot is opened (``expires_on``
    or ``inactivity_months``), so turning expiry on or shortening it never reaches
    points already held. Written only by ``loyalty.lots`` under the customer's lock.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="points_lots"
    )
    # The ledger row that opened the lot (a merge's one row opens a lot per lot it
    # carries over); None for balances held before lots existed.
    entry = models.ForeignKey(
        LoyaltyTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
    )
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    points = models.PositiveIntegerField()
    remaining = models.PositiveIntegerField()
    expired = models.PositiveIntegerField(default=0)
    earned_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    inactivity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # The expiry day the customer was last told of (a notice is sent once per day).
    notified_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["earned_on", "id"]
        permissions = [("view_points_liability", "Can see the points liability report")]
        constraints = [
            # A point is spent, expired or still held: never two of them.
            models.CheckConstraint(
                condition=models.Q(remaining__lte=models.F("points") - models.F("expired")),
                name="loyalty_lot_never_spent_twice",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(inactivity_months__isnull=True),
                name="loyalty_lot_one_expiry_rule",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "earned_on", "id"],
                condition=models.Q(remaining__gt=0),
                name="loyalty_lot_open_idx",
            ),
            models.Index(
                fields=["expires_on"],
                condition=models.Q(remaining__gt=0, expires_on__isnull=False),
                name="loyalty_lot_expires_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.remaining}/{self.points} points earned {self.earned_on}"


class LoyaltyTier(models.Model):
    """A tier of the program: reached by spending ``qualifying_spend`` over the window.

    Tiers are never deleted: a tier taken off the table is retired (``active`` off),
    so the customers holding it keep it until the recompute rules move them, and
    their history still names it.
    """

    name = models.CharField(max_length=40)
    qualifying_spend = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Money paid (net of refunds) over the program's window that reaches the tier.",
    )
    multiplier = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(10))],
        help_text="Points earned are multiplied by this (1.25, 1.5).",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["qualifying_spend", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="loyalty_tier_name_unique"),
            models.CheckConstraint(
                condition=models.Q(qualifying_spend__gt=0), name="loyalty_tier_spend_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(multiplier__gte=1, multiplier__lte=10),
                name="loyalty_tier_multiplier_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (\u00d7{self.multiplier.normalize()})"


class CustomerTier(models.Model):
    """The tier a customer holds now, and what may change it (a state row, one a customer).

    Written only by ``loyalty.tiers`` under the customer's lock. ``downgrade_on`` is
    the day a lower tier applies when the customer's spend has fallen below the one
    they hold (the grace period); ``manual`` tiers hold until ``manual_until``.
    """

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="loyalty_tier",
    )
    tier = models.ForeignKey(
        LoyaltyTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateTimeField()
    manual = models.BooleanField(default=False)
    manual_until = models.DateField(null=True, blank=True)
    downgrade_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["downgrade_on"],
                condition=models.Q(downgrade_on__isnull=False),
                name="loyalty_tier_downgrade_idx",
            ),
            models.Index(
                fields=["manual_until"],
                condition=models.Q(manual=True),
                name="loyalty_tier_manual_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.tier or 'no tier'}"


class TierChangeCause(models.TextChoices):
    SALE = "sale", "A sale"
    REFUND = "refund", "A refund"
    DAILY = "daily", "The daily recompute"
    MANUAL = "manual", "Set by hand"


class TierChangeQuerySet(ImmutableQuerySet):
    pass


class TierChange(ImmutableModel):
    """One change of a customer's tier, with why: the customer's timeline shows it."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tier_changes"
    )
    # Names as they were, so a renamed or retired tier's history still reads true.
    from_tier = models.CharField(max_length=40, blank=True)
    to_tier = models.CharField(max_length=40, blank=True)
    cause = models.CharField(max_length=10, choices=TierChangeCause.choices)
    reason = models.CharField(max_length=500)
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TierChangeQuerySet.as_manager()

    class Meta:
        permissions = [("set_tier", "Can set a customer's loyalty tier by hand")]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="loyalty_tier_change_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_tier or 'no tier'} → {self.to_tier or 'no tier'}"


# The vouchers' model has a module of its own (this one is long enough); importing it
# here is what registers it with the app.
from loyalty.voucher_model import RewardVoucher  # noqa: E402, F401
