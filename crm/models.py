"""Leads (prospects kept apart from customers until they buy) and the activities logged on them.

A lead's name, email and phone follow the customer rules exactly: they are
normalised by ``customers.validators``, so a lead converts into a customer
without surprises. Nothing here is hard-deleted: a lead that goes nowhere is
``lost``, and activities stay as the history of a contact.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from classicpos.permissions import is_shop_staff
from customers import validators

COMPANY_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 5000
SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000

MESSAGES = {
    "company_too_long": f"Company must be {COMPANY_MAX_LENGTH} characters or fewer.",
    "notes_too_long": f"Notes must be {NOTES_MAX_LENGTH} characters or fewer.",
    "subject_required": "Say what it was about.",
    "subject_too_long": f"Subject must be {SUBJECT_MAX_LENGTH} characters or fewer.",
    "body_too_long": f"Details must be {BODY_MAX_LENGTH} characters or fewer.",
    "exactly_one_contact": "Log an activity on a customer or on a lead, not both and not neither.",
    "tasks_only": "Only tasks have a due date and can be done.",
    "owner_not_staff": "The owner must be an active staff user.",
}


class LeadSource(models.TextChoices):
    WALK_IN = "walk_in", "Walk-in"
    PHONE = "phone", "Phone"
    WEB = "web", "Web"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other"


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    CONVERTED = "converted", "Converted"
    LOST = "lost", "Lost"


# The pipeline's working columns: a lead moves through these before it buys.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)


class ActivityKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    TASK = "task", "Task"


def _limited_text(value, limit: int, message_key: str) -> str:
    """Return trimmed text of at most ``limit`` characters."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise ValidationError(MESSAGES[message_key], code="max_length")
    return text


class LeadQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def not_converted(self):
        return self.exclude(status=LeadStatus.CONVERTED)

    def search(self, term: str | None):
        """Match name, company or email (case-insensitive), or phone by its digits."""
        term = (term or "").strip()
        if not term:
            return self
        condition = (
            models.Q(name__icontains=term)
            | models.Q(company__icontains=term)
            | models.Q(email__icontains=term)
        )
        digits = validators.phone_search_digits(term)
        if digits:
            condition |= models.Q(phone__contains=digits)
        return self.filter(condition)


class Lead(models.Model):
    """A prospect: someone who may buy. Converting links (or creates) the customer."""

    # blank=True: clean() decides, with the customer module's messages.
    name = models.TextField(blank=True)
    email = models.TextField(null=True, blank=True)  # noqa: DJ001 - NULL means "not given"
    phone = models.TextField(null=True, blank=True)  # noqa: DJ001 - stored as E.164
    company = models.TextField(blank=True, default="")
    source = models.TextField(choices=LeadSource.choices, default=LeadSource.WALK_IN)
    status = models.TextField(choices=LeadStatus.choices, default=LeadStatus.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="crm_leads",
        help_text="The staff member following this lead up.",
    )
    notes = models.TextField(blank=True, default="")
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_leads",
        help_text="The customer this lead became.",
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("convert_lead", "Can convert a lead into a customer"),
            ("reassign_lead", "Can give a lead to another owner"),
            ("mark_lead_lost", "Can mark a lead lost (or reopen it)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=LeadStatus.values),
                name="crm_lead_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=LeadSource.values),
                name="crm_lead_source_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="crm_lead_name_not_blank",
            ),
            # A converted lead always names its customer, and only a converted one does.
            models.CheckConstraint(
                condition=(
                    models.Q(status=LeadStatus.CONVERTED, customer__isnull=False)
                    | (~models.Q(status=LeadStatus.CONVERTED) & models.Q(customer__isnull=True))
                ),
                name="crm_lead_converted_has_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="crm_lead_status_created_idx"),
            models.Index(fields=["owner", "status"], name="crm_lead_owner_status_idx"),
            models.Index(Lower("name"), "id", name="crm_lead_name_lower_idx"),
            models.Index(fields=["email"], name="crm_lead_email_idx"),
            models.Index(fields=["phone"], name="crm_lead_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:lead_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Normalise every field (names, emails and phones as for customers)."""
        errors = {}
        for field, normalize in (
            ("name", validators.normalize_name),
            ("email", validators.normalize_email),
            ("phone", validators.normalize_phone),
            ("company", lambda v: _limited_text(v, COMPANY_MAX_LENGTH, "company_too_long")),
            ("notes", lambda v: _limited_text(v, NOTES_MAX_LENGTH, "notes_too_long")),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error.messages
        if self.owner_id is not None and not is_shop_staff(self.owner):
            errors["owner"] = [MESSAGES["owner_not_staff"]]
        if errors:
            raise ValidationError(errors)

    @property
    def is_converted(self) -> bool:
        return self.status == LeadStatus.CONVERTED

    @property
    def phone_display(self) -> str:
        return validators.format_phone_national(self.phone)


class ActivityQuerySet(models.QuerySet):
    def tasks(self):
        return self.filter(kind=ActivityKind.TASK)

    def open_tasks(self):
        return self.tasks().filter(done=False)

    def overdue(self, today=None):
        return self.open_tasks().filter(due_on__lt=today or timezone.localdate())


class Activity(models.Model):
    """A note, call, email, meeting or task, logged on exactly one customer or one lead."""

    kind = models.TextField(choices=ActivityKind.choices, default=ActivityKind.NOTE)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True, default="")
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_activities",
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    # Kept when a lead's activities move to its customer, so the lead still shows them.
    moved_from_lead = models.ForeignKey(
        Lead,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="moved_activities",
    )
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="crm_activities",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly one contact: a customer or a lead, never both, never neither.
            models.CheckConstraint(
                condition=(
                    models.Q(customer__isnull=False, lead__isnull=True)
                    | models.Q(customer__isnull=True, lead__isnull=False)
                ),
                name="crm_activity_exactly_one_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActivityKind.values),
                name="crm_activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(subject=""),
                name="crm_activity_subject_not_blank",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ActivityKind.TASK)
                | models.Q(due_on__isnull=True, done=False),
                name="crm_activity_due_and_done_for_tasks_only",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="crm_activity_customer_idx"),
            models.Index(fields=["lead", "-created_at"], name="crm_activity_lead_idx"),
            models.Index(fields=["author", "done", "due_on"], name="crm_activity_tasks_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def clean(self) -> None:
        errors = {}
        try:
            self.subject = " ".join(
                _limited_text(self.subject, SUBJECT_MAX_LENGTH, "subject_too_long").split()
            )
            if not self.subject:
                raise ValidationError(MESSAGES["subject_required"], code="required")
        except ValidationError as error:
            errors["subject"] = error.messages
        try:
            self.body = _limited_text(self.body, BODY_MAX_LENGTH, "body_too_long")
        except ValidationError as error:
            errors["body"] = error.messages
        if (self.customer_id is None) == (self.lead_id is None):
            errors[NON_FIELD_ERRORS] = [MESSAGES["exactly_one_contact"]]
        if self.kind != ActivityKind.TASK and (self.due_on is not None or self.done):
            errors["due_on"] = [MESSAGES["tasks_only"]]
        if errors:
            raise ValidationError(errors)

    @property
    def contact(self):
        """Return the customer or lead this activity is about."""
        return self.customer if self.customer_id else self.lead

    @property
    def is_task(self) -> bool:
        return self.kind == ActivityKind.TASK

    @property
    def is_overdue(self) -> bool:
        """A task that is not done and was due before today (the shop's date)."""
        return (
            self.is_task
            and not self.done
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )
