"""Reads of the CRM that are more than one line: lists, the conversion plan, contacts, tasks."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower

from crm.models import Activity, Lead, LeadStatus
from customers import validators
from customers.models import Customer, CustomerStatus
from customers.permissions import DEACTIVATE_CUSTOMER

LEAD_ORDERING_FIELDS = {"createdAt": "created_at", "name": "name", "status": "status"}


def _created_between(queryset, after: datetime | None, before: datetime | None):
    if after is not None:
        queryset = queryset.filter(created_at__gte=after)
    if before is not None:
        queryset = queryset.filter(created_at__lte=before)
    return queryset


# --- leads ------------------------------------------------------------------------------


class LeadListStatus(models.TextChoices):
    """What the lead list filters by: every open lead, or one status.

    The page, the API and the selector read these; "open" was a string each spelled.
    """

    OPEN = "open", "Open"
    NEW = LeadStatus.NEW, LeadStatus.NEW.label
    CONTACTED = LeadStatus.CONTACTED, LeadStatus.CONTACTED.label
    QUALIFIED = LeadStatus.QUALIFIED, LeadStatus.QUALIFIED.label
    CONVERTED = LeadStatus.CONVERTED, LeadStatus.CONVERTED.label
    LOST = LeadStatus.LOST, LeadStatus.LOST.label


@dataclass(frozen=True)
class LeadListFilters:
    """What a list of leads can be narrowed and sorted by."""

    search: str = ""
    status: str = ""  # a LeadListStatus, or "" for all
    owner_id: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    ordering: str = "-createdAt"


def _lead_order_by(ordering: str) -> list:
    descending = ordering.startswith("-")
    column = LEAD_ORDERING_FIELDS.get(ordering.lstrip("-"), "created_at")
    expression = Lower(column) if column == "name" else F(column)
    if descending:
        return [expression.desc(), F("id").desc()]
    return [expression.asc(), F("id").asc()]


def lead_list(*, filters: LeadListFilters | None = None) -> QuerySet[Lead]:
    """Return leads matching ``filters`` with their owner and customer, stably sorted."""
    filters = filters or LeadListFilters()
    queryset = Lead.objects.select_related("owner", "customer").search(filters.search)
    if filters.status == LeadListStatus.OPEN:
        queryset = queryset.open()
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner_id is not None:
        queryset = queryset.filter(owner_id=filters.owner_id)
    queryset = _created_between(queryset, filters.created_after, filters.created_before)
    return queryset.order_by(*_lead_order_by(filters.ordering))


@dataclass(frozen=True)
class PipelineColumn:
    status: str
    label: str
    count: int
    leads: list


PIPELINE_COLUMN_SIZE = 25


def lead_pipeline(*, owner_id: int | None = None) -> list[PipelineColumn]:
    """Return one column per status, newest leads first, with each column's full count.

    One count query plus one query per column, however many leads there are.
    """
    leads = Lead.objects.select_related("owner")
    if owner_id is not None:
        leads = leads.filter(owner_id=owner_id)
    counts = dict(leads.order_by().values_list("status").annotate(total=Count("id")))
    return [
        PipelineColumn(
            status=status.value,
            label=status.label,
            count=counts.get(status.value, 0),
            leads=list(leads.filter(status=status)[:PIPELINE_COLUMN_SIZE]),
        )
        for status in LeadStatus
    ]


@dataclass(frozen=True)
class ConversionPlan:
    """What converting a lead will do, decided once for the Convert button and the service."""

    customer: Customer | None  # the existing customer it links to; None creates one
    reason: str = ""  # "same email" / "same phone"
    restore: bool = False  # the matched customer is inactive and will be restored
    refusal: str = ""  # why this user cannot convert it, when they cannot

    @property
    def creates_customer(self) -> bool:
        return self.customer is None


def _normalized_or_none(normalize, value):
    try:
        return normalize(value)
    except ValidationError:
        return None


def lead_contact_details(*, lead: Lead) -> tuple[str | None, str | None]:
    """Return the lead's email and phone as a customer stores them (None when unusable)."""
    return (
        _normalized_or_none(validators.normalize_email, lead.email),
        _normalized_or_none(validators.normalize_phone, lead.phone),
    )


def lead_matching_customer(*, lead: Lead) -> tuple[Customer | None, str]:
    """Return the existing customer a lead is, and why: same email (any case), else same phone.

    Phones are compared as E.164, so "(415) 555-2671" matches "+1 415 555 2671".
    Among customers sharing a phone, an active one wins, then the oldest.
    """
    email, phone = lead_contact_details(lead=lead)
    if email:
        # The customers' own rule for who has an email (any case, through its unique index;
        # ``iexact`` read the whole table).
        customer = Customer(email=email).find_email_owner()
        if customer is not None:
            return customer, "same email"
    if phone:
        active_first = Case(
            When(status=CustomerStatus.ACTIVE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        customer = Customer.objects.filter(phone=phone).order_by(active_first, "id").first()
        if customer is not None:
            return customer, "same phone"
    return None, ""


def lead_conversion_plan(*, lead: Lead, user) -> ConversionPlan:
    """Return what converting ``lead`` by ``user`` will do, or why it is refused."""
    if lead.is_converted:
        return ConversionPlan(customer=lead.customer, reason="already converted")
    customer, reason = lead_matching_customer(lead=lead)
    if customer is None or customer.is_active:
        return ConversionPlan(customer=customer, reason=reason)
    if user.has_perm(DEACTIVATE_CUSTOMER):
        return ConversionPlan(customer=customer, reason=reason, restore=True)
    return ConversionPlan(
        customer=customer,
        reason=reason,
        refusal=(
            f"{customer.name} (customer #{customer.pk}) has the {reason} as this lead "
            "but is inactive. Only a Manager can restore them; ask one to convert "
            "this lead."
        ),
    )


# --- activities -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityListFilters:
    """What a list of activities can be narrowed by."""

    customer_id: int | None = None
    lead_id: int | None = None
    kind: str = ""
    open_tasks: bool = False
    author_id: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


def _with_contacts(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related("author", "customer", "lead")


def activity_list(*, filters: ActivityListFilters | None = None) -> QuerySet[Activity]:
    """Return activities matching ``filters``, newest first (open tasks: soonest due first)."""
    filters = filters or ActivityListFilters()
    queryset = _with_contacts(Activity.objects.all())
    if filters.customer_id is not None:
        queryset = queryset.filter(customer_id=filters.customer_id)
    if filters.lead_id is not None:
        queryset = queryset.filter(lead_id=filters.lead_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.author_id is not None:
        queryset = queryset.filter(author_id=filters.author_id)
    queryset = _created_between(queryset, filters.created_after, filters.created_before)
    if filters.open_tasks:
        return queryset.open_tasks().order_by(F("due_on").asc(nulls_last=True), "created_at", "id")
    return queryset.order_by("-created_at", "-id")


def customer_activities(*, customer: Customer) -> QuerySet[Activity]:
    """Return a customer's activities, newest first (moved ones from their lead included)."""
    return _with_contacts(Activity.objects.filter(customer=customer)).order_by("-created_at", "-id")


def lead_activities(*, lead: Lead) -> QuerySet[Activity]:
    """Return a lead's activities, newest first, including those moved to its customer."""
    activities = Activity.objects.filter(lead=lead) | Activity.objects.filter(moved_from_lead=lead)
    return _with_contacts(activities).order_by("-created_at", "-id")


def task_list(*, author_id: int | None) -> QuerySet[Activity]:
    """Return open tasks by due date (undated last); ``author_id`` None means everyone's."""
    return activity_list(filters=ActivityListFilters(open_tasks=True, author_id=author_id))


# --- contacts: customers and leads in one list --------------------------------------------


class ContactKind(models.TextChoices):
    """Which contacts the contact list shows."""

    ALL = "all", "All"
    CUSTOMERS = "customers", "Customers"
    LEADS = "leads", "Leads"


CONTACT_COLUMNS = (
    "sort_name",
    "contact_kind",
    "contact_id",
    "name",
    "email",
    "phone",
    "company_name",
    "status",
)


@dataclass(frozen=True)
class ContactListFilters:
    search: str = ""
    kind: str = ContactKind.ALL


def contact_list(*, filters: ContactListFilters | None = None) -> QuerySet:
    """Return customers and not-yet-converted leads as rows of one list, sorted by name.

    Each row is a dict: ``contact_kind`` ("customer"/"lead"), ``contact_id``,
    ``name``, ``email``, ``phone``, ``company_name``, ``status``. A converted
    lead is left out: it is its customer now. One query for a page, one to count.
    """
    filters = filters or ContactListFilters()
    text = CharField()
    # Every differing column is an annotation, in the same order, so both halves
    # of the UNION line up column by column.
    customers = Customer.objects.search(filters.search).annotate(
        sort_name=Lower("name"),
        contact_kind=Value("customer", output_field=text),
        contact_id=F("id"),
        company_name=Value("", output_field=text),
    )
    leads = (
        Lead.objects.not_converted()
        .search(filters.search)
        .annotate(
            sort_name=Lower("name"),
            contact_kind=Value("lead", output_field=text),
            contact_id=F("id"),
            company_name=F("company"),
        )
    )
    if filters.kind == ContactKind.CUSTOMERS:
        return customers.values(*CONTACT_COLUMNS).order_by("sort_name", "contact_id")
    if filters.kind == ContactKind.LEADS:
        return leads.values(*CONTACT_COLUMNS).order_by("sort_name", "contact_id")
    # Each half drops its model's default ordering: a UNION's parts may not be sorted.
    return (
        customers.order_by()
        .values(*CONTACT_COLUMNS)
        .union(leads.order_by().values(*CONTACT_COLUMNS), all=True)
        .order_by("sort_name", "contact_kind", "contact_id")
    )


def overdue_task_count(*, author_id: int) -> int:
    """Return how many of a user's open tasks are past due (for the CRM tabs)."""
    return Activity.objects.overdue().filter(author_id=author_id).count()
