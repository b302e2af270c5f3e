"""The customer: the record every other module links to.

The table follows the specification exactly (``customers`` with camelCase
columns such as ``loyaltyPoints``); Python uses snake_case attributes.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from customers import validators

# The fields staff and integrations edit, in form order. The serializer, the admin
# form, the page form and its template, the till's quick-add and the services all
# take them from here; everything else on a customer is bookkeeping.
EDITABLE_FIELDS = ("name", "email", "phone", "address")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


def duplicate_email_message(other: "Customer") -> str:
    """Say which customer already has an email, so staff can open that record instead."""
    state = "" if other.is_active else ", inactive"
    return f"{other.name} (customer #{other.pk}{state}) already has this email."


class CustomerQuerySet(models.QuerySet):
    """Reusable filters; the list selectors combine them."""

    def active(self):
        return self.filter(status=CustomerStatus.ACTIVE)

    def inactive(self):
        return self.filter(status=CustomerStatus.INACTIVE)

    def search(self, term: str | None):
        """Match every word of ``term``, in any order, literally.

        A word matches the name or the email (case-insensitive) or, when it looks
        like part of a phone number, the phone by its digits: "davis isla" and
        "isla 0008" both find Isla Davis. A whole phone number typed with spaces
        ("+1 415 555 0123") also matches by all its digits. Each word is one
        ``LIKE`` per column, which the trigram indexes serve on PostgreSQL.
        """
        words = (term or "").split()
        if not words:
            return self
        condition = models.Q()
        for word in words:
            condition &= _word_condition(word)
        digits = validators.phone_search_digits(" ".join(words))
        if len(words) > 1 and digits:
            condition |= models.Q(phone__contains=digits)
        return self.filter(condition)


def _word_condition(word: str) -> models.Q:
    """Return the condition one search word puts on a customer."""
    condition = models.Q(name__icontains=word) | models.Q(email__icontains=word)
    digits = validators.phone_search_digits(word)
    if digits:
        condition |= models.Q(phone__contains=digits)
    return condition


class Customer(models.Model):
    """A shop's customer. Never hard-deleted: deactivation keeps the row and its history."""

    id = models.AutoField(primary_key=True)
    # blank=True: clean() is the one place that decides (and words) "name required".
    name = models.TextField(blank=True)
    # NULL, not "", means "not given": the spec's columns are nullable and the
    # case-insensitive unique index on email skips NULLs.
    email = models.TextField(null=True, blank=True)  # noqa: DJ001
    phone = models.TextField(null=True, blank=True)  # noqa: DJ001
    address = models.TextField(null=True, blank=True)  # noqa: DJ001
    loyalty_points = models.IntegerField(db_column="loyaltyPoints", default=0, db_default=0)
    status = models.TextField(
        choices=CustomerStatus.choices,
        default=CustomerStatus.ACTIVE,
        db_default=CustomerStatus.ACTIVE,
    )
    created_at = models.DateTimeField(db_column="createdAt", auto_now_add=True)
    updated_at = models.DateTimeField(db_column="updatedAt", auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customers"
        ordering = ["name", "id"]
        permissions = [("deactivate_customer", "Can deactivate and restore customers")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CustomerStatus.values),
                name="customers_status_valid",
                violation_error_message="Status must be active or inactive.",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="customers_name_not_blank",
                violation_error_message=validators.MESSAGES["name_required"],
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email__isnull=False) & ~models.Q(email=""),
                name="customers_email_unique_ci",
                violation_error_message="A customer with this email already exists.",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), "id", name="customers_name_lower_idx"),
            models.Index(fields=["phone"], name="customers_phone_idx"),
            models.Index(fields=["status", "name"], name="customers_status_name_idx"),
            models.Index(fields=["created_at"], name="customers_created_idx"),
            models.Index(fields=["loyalty_points"], name="customers_points_idx"),
            # The list's status filter combined with each sortable column.
            models.Index(fields=["status", "loyalty_points"], name="customers_status_points_idx"),
            models.Index(fields=["status", "created_at"], name="customers_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Normalise every field through the shared validators, collecting all errors."""
        errors = {}
        for field, normalize in (
            ("name", validators.normalize_name),
            ("email", validators.normalize_email),
            ("phone", validators.normalize_phone),
            ("address", validators.normalize_address),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error.messages
        if "email" not in errors:
            duplicate = self.find_email_owner()
            if duplicate is not None:
                errors["email"] = [duplicate_email_message(duplicate)]
        if errors:
            raise ValidationError(errors)

    def find_email_owner(self) -> "Customer | None":
        """Return another customer who already has this email, active or not."""
        if not self.email:
            return None
        others = Customer.objects.filter(email__iexact=self.email)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.order_by("id").first()

    @property
    def is_active(self) -> bool:
        return self.status == CustomerStatus.ACTIVE

    @property
    def phone_display(self) -> str:
        """Return the phone number in the shop's national format."""
        return validators.format_phone_national(self.phone)
