"""The customer: the record every other module links to.

The table follows the specification exactly (``customers`` with camelCase
columns such as ``loyaltyPoints``); Python uses snake_case attributes.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from classicpos.id_lists import among
from classicpos.immutable import ImmutableModel, ImmutableQuerySet
from classicpos.prepared import slots
from customers import validators
from customers.search import FullTextField, matching, search_condition, search_term
from customers.search_text import SearchDocument

# The fields staff and integrations edit, in form order. The serializer, the admin
# form, the page form and its template, the services and the CSV columns all take
# them from here; everything else on a customer is bookkeeping. The till's
# quick-add asks for the contact fields only.
CONTACT_FIELDS = ("name", "email", "phone", "address")
PROFILE_FIELDS = (
    "birthday",
    "preferred_contact",
    "email_consent",
    "sms_consent",
    "note",
    "note_alert",
)
# The store a customer belongs to in a chain: the till's store when they were added.
STORE_FIELDS = ("home_store",)
EDITABLE_FIELDS = (*CONTACT_FIELDS, *PROFILE_FIELDS, *STORE_FIELDS, "tags")
# What a merge chooses field by field (tags: both customers'; an alert goes with its note).
MERGEABLE_FIELDS = tuple(f for f in (*CONTACT_FIELDS, *PROFILE_FIELDS) if f != "note_alert")
# The fields whose changes are personal data: an erasure blanks them in the history too.
PERSONAL_FIELDS = ("name", "email", "phone", "address", "birthday", "note")


class PreferredContact(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    SMS = "sms", "Text message"
    NONE = "none", "No preference"


class NoteAlert(models.TextChoices):
    """How loudly the till shows a customer's note when the customer is picked."""

    WARN = "warn", "Warn: show the note at the till"
    BLOCK = "block", "Block: no sales until a Manager allows one"


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
        """Match every word of ``term``, in any order, through an index (``customers.search``)."""
        found = search_term(term, connections[self.db])
        if found is None:
            return self
        return matching(self, found.shape, slots(found.values))

    def with_tag_names(self):
        """Add ``tag_names`` (a JSON list) to each row: a page's tags in the same query.

        A subquery in the select list runs only for the rows of the page, so a
        list stays one query instead of one more for its tags.
        """
        vendor = connections[self.db].vendor
        aggregate = "json_agg(t.name)" if vendor == "postgresql" else "json_group_array(t.name)"
        return self.annotate(
            tag_names=RawSQL(  # noqa: S611 - constant SQL, no user input
                f"SELECT {aggregate} FROM customers_tags ct "  # noqa: S608
                "JOIN customer_tag_names t ON t.id = ct.tag_id "
                "WHERE ct.customer_id = customers.id",
                (),
            )
        )

    def among(self, ids) -> "CustomerQuerySet":
        """Return the customers whose id is one of ``ids`` (bound as one parameter)."""
        return among(self, ids)

    def search_unindexed(self, term: str | None):
        """Return ``search``'s matches by ``LIKE`` alone: the reference tests and benchmarks use."""
        found = search_term(term, connections[self.db])
        if found is None:
            return self
        return self.filter(search_condition(found.shape, slots(found.values)))


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
    birthday = models.DateField(null=True, blank=True)
    # The birthday's month * 100 + day (March 14 -> 314), kept by clean(): "birthdays
    # this week" is then a lookup in an index, whatever the year of birth.
    birthday_md = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    preferred_contact = models.TextField(
        choices=PreferredContact.choices,
        default=PreferredContact.NONE,
        db_default=PreferredContact.NONE,
        blank=True,
        verbose_name="preferred contact",
    )
    email_consent = models.BooleanField(
        default=False, db_default=False, verbose_name="email marketing consent"
    )
    sms_consent = models.BooleanField(
        default=False, db_default=False, verbose_name="text message marketing consent"
    )
    note = models.TextField(null=True, blank=True)  # noqa: DJ001
    # NULL: the note is for the customer page only.
    note_alert = models.TextField(  # noqa: DJ001
        choices=NoteAlert.choices, null=True, blank=True, verbose_name="note alert"
    )
    tags = models.ManyToManyField("Tag", blank=True, related_name="customers")
    # Customers belong to the chain (every store finds them); this says where they were
    # added, for the list's filter. Stores are never deleted, so PROTECT never refuses.
    home_store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_customers",
        verbose_name="home store",
    )
    # What a search compares (customers/search_text.py): kept by the database itself,
    # so no write (a bulk load, a queryset update) can leave it behind the name.
    search_document = models.GeneratedField(
        expression=SearchDocument(F("name"), F("email")),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customers"
        ordering = ["name", "id"]
        permissions = [
            ("deactivate_customer", "Can deactivate and restore customers"),
            ("import_customer", "Can import customers from a CSV file"),
            ("export_customer", "Can export customers to a CSV file"),
            ("merge_customer", "Can merge duplicate customers"),
            ("anonymise_customer", "Can erase a customer's personal data"),
            ("tag_customer", "Can tag customers"),
        ]
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
            # The staff list: active customers by name, page after page.
            models.Index("status", Lower("name"), "id", name="customers_status_lname_idx"),
            models.Index(fields=["created_at"], name="customers_created_idx"),
            models.Index(fields=["loyalty_points"], name="customers_points_idx"),
            # The list's status filter combined with each sortable column.
            models.Index(fields=["status", "loyalty_points"], name="customers_status_points_idx"),
            models.Index(fields=["status", "created_at"], name="customers_status_created_idx"),
            models.Index(fields=["birthday_md"], name="customers_birthday_md_idx"),
            models.Index(
                fields=["email_consent"],
                name="customers_email_consent_idx",
                condition=models.Q(email_consent=True),
            ),
            models.Index(
                fields=["sms_consent"],
                name="customers_sms_consent_idx",
                condition=models.Q(sms_consent=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})

    def clean_fields(self, exclude=None) -> None:
        """Leave the editable fields to ``clean()``: one message per field, the validators'.

        The home store was checked when it was set (``validators.normalize_home_store``):
        the foreign key's own check would ask the database again on every save.
        """
        super().clean_fields(
            exclude={*(exclude or ()), *CONTACT_FIELDS, *PROFILE_FIELDS, *STORE_FIELDS}
        )

    def clean(self) -> None:
        """Normalise every field through the shared validators, collecting all errors."""
        errors = {}
        for field, normalize in (
            ("name", validators.normalize_name),
            ("email", validators.normalize_email),
            ("phone", validators.normalize_phone),
            ("address", validators.normalize_address),
            ("birthday", validators.normalize_birthday),
            ("preferred_contact", validators.normalize_preferred_contact),
            ("email_consent", validators.normalize_consent),
            ("sms_consent", validators.normalize_consent),
            ("note", validators.normalize_note),
            ("note_alert", validators.normalize_note_alert),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error.messages
        if self.note_alert and not self.note and "note" not in errors:
            errors.setdefault("note_alert", [validators.MESSAGES["alert_without_note"]])
        if "birthday" not in errors:
            birthday = self.birthday
            self.birthday_md = birthday.month * 100 + birthday.day if birthday else None
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
        # The same condition and expression as the unique index, so it serves the
        # lookup (``iexact`` compiles to LIKE/UPPER, which scans the table).
        others = Customer.objects.alias(email_lower=Lower("email")).filter(
            models.Q(email__isnull=False) & ~models.Q(email=""),
            email_lower=self.email.lower(),
        )
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.order_by("id").first()

    def tag_name_list(self) -> list[str]:
        """Return the tag names, alphabetically; from ``with_tag_names()`` when the row has them."""
        if "tag_names" in self.__dict__:
            names = self.tag_names
            names = json.loads(names) if isinstance(names, str) else (names or [])
        else:
            names = [tag.name for tag in self.tags.all()] if self.pk else []
        return sorted(names, key=str.lower)

    @property
    def is_active(self) -> bool:
        return self.status == CustomerStatus.ACTIVE

    @property
    def phone_display(self) -> str:
        """Return the phone number in the shop's national format."""
        return validators.format_phone_national(self.phone)


class CustomerSearchEntry(models.Model):
    """A customer in SQLite's FTS5 trigram index (migration 0005); the table exists on SQLite only.

    Only the search (``customers.search.matching``) uses it, to join the index's matches to their
    customers; the triggers of 0005 write it.
    """

    customer = models.OneToOneField(
        Customer,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    document = FullTextField(db_column="customers_search")

    class Meta:
        managed = False
        db_table = "customers_search"

    def __str__(self) -> str:
        return f"Search index entry of customer #{self.pk}"


class CustomerMerge(models.Model):
    """The record that ``duplicate`` was merged into ``survivor``: who, when.

    The duplicate stays (inactive) so its id still leads to the survivor in the
    pages and the API; its history now hangs on the survivor.
    """

    duplicate = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="merge_record"
    )
    survivor = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="merged_customers"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        db_table = "customer_merges"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("duplicate")),
                name="customer_merge_not_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.duplicate_id} merged into #{self.survivor_id}"


class CustomerErasure(models.Model):
    """The record that a customer's personal data was erased on request: who, when."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="erasure"
    )
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        db_table = "customer_erasures"

    def __str__(self) -> str:
        return f"#{self.customer_id} anonymised"


class Tag(models.Model):
    """A label Managers put on customers ("VIP", "wholesale") to find and group them."""

    name = models.TextField()

    class Meta:
        db_table = "customer_tag_names"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customer_tag_name_unique_ci",
                violation_error_message="A tag with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    """Where a change to a customer came from."""

    PAGE = "page", "Staff page"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    COMMAND = "command", "Command"
    # The customer themselves, on their self-service page (a signed link, no password).
    CUSTOMER = "customer", "Customer (self-service)"


class CustomerEventKind(models.TextChoices):
    CREATED = "customer.created", "Created"
    CHANGED = "customer.changed", "Changed"
    DEACTIVATED = "customer.deactivated", "Deactivated"
    RESTORED = "customer.restored", "Restored"
    MERGED = "customer.merged", "Merged a duplicate in"
    MERGED_AWAY = "customer.merged_away", "Merged into another customer"
    ANONYMISED = "customer.anonymised", "Personal data erased"
    NOT_DUPLICATE = "customer.not_duplicate", "Not the same person as another customer"
    # Everything held about the customer handed out ("Download my data").
    DATA_EXPORTED = "customer.data_exported", "Personal data downloaded"
    # The self-service page: a link sent or revoked, and every view of the page.
    SELF_SERVICE_LINK_SENT = "customer.self_service_link_sent", "Self-service link sent"
    SELF_SERVICE_LINK_REVOKED = "customer.self_service_link_revoked", "Self-service links revoked"
    SELF_SERVICE_VIEWED = "customer.self_service_viewed", "Self-service page viewed"
    # A Manager let a sale go ahead for a customer whose note blocks sales, with a reason.
    ALERT_OVERRIDDEN = "customer.alert_overridden", "Blocked sale allowed by a Manager"


class CustomerEventQuerySet(ImmutableQuerySet):
    """Events are written once (``classicpos.immutable``), but for an erasure's blanking."""

    def blank_personal_data(self) -> int:
        """Blank the old and new values of personal fields in these events (an erasure).

        The one change an event ever takes: the person asked to be forgotten, so
        their old email or phone must not survive in the history. The event
        itself (what happened, when, by whom) stays.
        """
        blanked = 0
        for event in self.exclude(changes={}):
            changes = {
                field: [None, None] if field in PERSONAL_FIELDS else values
                for field, values in event.changes.items()
            }
            if changes != event.changes:
                models.QuerySet.update(self.model.objects.filter(pk=event.pk), changes=changes)
                blanked += 1
        return blanked


class CustomerEvent(ImmutableModel):
    """Something that happened to a customer's record: immutable, in the same transaction.

    The customer services write one for every change, with the acting user and
    the channel; ``changes`` holds ``{"field": [old, new]}`` for ``customer.changed``.
    """

    id = models.BigAutoField(primary_key=True)
    # Customers are never deleted (deactivated instead); CASCADE only keeps the database
    # consistent should a row be removed outside the application.
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.TextField(choices=CustomerEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.TextField(choices=Channel.choices)
    changes = models.JSONField(default=dict, blank=True)
    # Another customer the event is about: the duplicate merged in, or the survivor.
    other_customer_id = models.IntegerField(null=True, blank=True)

    objects = CustomerEventQuerySet.as_manager()

    class Meta:
        db_table = "customer_events"
        ordering = ["-at", "-id"]
        indexes = [
            # The timeline: one customer's events, newest first, page after page.
            models.Index(fields=["customer", "-at", "-id"], name="customer_events_timeline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of customer #{self.customer_id}"


# Models of one purpose in modules of their own (this one is long), registered with the
# app by this import like the models above.
from customers.distinct import DistinctCustomers  # noqa: E402, F401
from customers.import_uploads import CheckedImportFile  # noqa: E402, F401
from customers.prior_history import CustomerPriorHistory, CustomerReference  # noqa: E402, F401
