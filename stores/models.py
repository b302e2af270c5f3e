"""Stores of a chain, their tills, who may sell there, and each store's number series.

A store is where a sale happens: its tax rate prices the sale, its code prefixes
the sale's number, its name and address head the receipt. Customers, points,
store credit and credit limits belong to the chain, never to a store.

``stores`` sits at the bottom of the project: it imports no other app, and the
apps above record a store and a till on what they write.
"""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

# Short, printed before every number of the store (``DT-000001``): capitals and digits.
CODE_PATTERN = r"^[A-Z][A-Z0-9]{0,7}$"
CODE_HELP = "1 to 8 capital letters or digits, starting with a letter (e.g. DT)."
# The code of the store a one-shop database starts with: ``S`` keeps the receipts
# printed before stores existed (``S-000044``) in the same series.
FIRST_STORE_CODE = "S"
FIRST_TILL_NAME = "Till 1"


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            "Choose a time zone such as Europe/London or America/New_York.", code="invalid"
        )


class Store(models.Model):
    """A shop of the chain.

    Blank contact fields print the chain's own (``CLASSICPOS_SHOP_*``): a chain's
    tax id is often the company's. A blank tax rate is ``CLASSICPOS_TAX_RATE``,
    so the first store follows the setting until a Manager gives it its own.
    """

    code = models.CharField(
        max_length=8,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, CODE_HELP)],
        help_text=CODE_HELP + " Printed on the store's receipts: it cannot change.",
    )
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=300, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    tax_id = models.CharField("tax id", max_length=40, blank=True, default="")
    tax_rate = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="A fraction: 0.0725 is 7.25 %. Blank: the shop's setting.",
    )
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    # Who may sell at this store's tills; a user in no store's list sells everywhere.
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="stores")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def effective_tax_rate(self) -> Decimal:
        return settings.CLASSICPOS_TAX_RATE if self.tax_rate is None else self.tax_rate

    @property
    def tax_rate_percent(self) -> str:
        """The rate as people say it: ``0.0875`` is "8.75 %"."""
        return f"{(self.effective_tax_rate * 100).normalize():f} %"

    @property
    def receipt_name(self) -> str:
        return self.name or settings.CLASSICPOS_SHOP_NAME

    @property
    def receipt_address(self) -> str:
        return self.address or settings.CLASSICPOS_SHOP_ADDRESS

    @property
    def receipt_phone(self) -> str:
        return self.phone or settings.CLASSICPOS_SHOP_PHONE

    @property
    def receipt_tax_id(self) -> str:
        return self.tax_id or settings.CLASSICPOS_SHOP_TAX_ID

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class TillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Till(models.Model):
    """A register: a device a sale is rung up at. Retired, never deleted (sales name it)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="tills")
    name = models.CharField(max_length=60)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TillQuerySet.as_manager()

    class Meta:
        ordering = ["store__code", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "name"],
                name="till_name_unique_in_store",
                violation_error_message="The store already has a till of this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.store.code}"


class NumberSeries(models.TextChoices):
    SALE = "sale", "Sales"
    INVOICE = "invoice", "Invoices"


class StoreCounter(models.Model):
    """The last number a store gave in one series.

    One row per store and series, so two stores never wait on one row. The
    writer locks it as the last step of its transaction (``stores.services.
    next_number``): a refused sale rolls its number back, so a series has no gaps.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="counters")
    series = models.CharField(max_length=20, choices=NumberSeries.choices)
    last_number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "series"], name="store_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.store.code} {self.series}: {self.last_number}"


class RecordedAtTill(models.Model):
    """Where a row of another module's ledger was written: a store and a till.

    Blank only for a write away from every till in a chain of several (a Manager's
    adjustment in the back office); a one-till shop's rows all name its till.
    """

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    till = models.ForeignKey(
        Till, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
