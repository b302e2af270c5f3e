"""Reads of customers that are more than one line: the filtered, sorted list."""

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from customers import validators
from customers.models import Customer

STATUS_CHOICES = ("active", "inactive", "all")
# The API lists every customer unless asked (integrations sync them all); the staff
# list page shows the active ones, with inactive customers one click away.
DEFAULT_STATUS = "all"
PAGE_DEFAULT_STATUS = "active"

# Public sort keys (camelCase, as in the API and page URLs) and their columns.
ORDERING_FIELDS = {
    "name": "name",
    "createdAt": "created_at",
    "loyaltyPoints": "loyalty_points",
}
DEFAULT_ORDERING = "name"
# Every accepted ``ordering`` value: each key, ascending or descending ("-").
ORDERING_CHOICES = (*ORDERING_FIELDS, *(f"-{key}" for key in ORDERING_FIELDS))


@dataclass(frozen=True)
class CustomerListFilters:
    """What a list of customers can be narrowed and sorted by."""

    search: str = ""
    status: str = DEFAULT_STATUS
    created_after: datetime | None = None
    created_before: datetime | None = None
    min_points: int | None = None
    max_points: int | None = None
    ordering: str = DEFAULT_ORDERING


def _order_by(ordering: str) -> list:
    """Return ``order_by`` arguments for a public sort key, with ``id`` as tie-breaker.

    Names sort case-insensitively ("anna" beside "Anna"), served by the
    ``LOWER(name), id`` index.
    """
    descending = ordering.startswith("-")
    column = ORDERING_FIELDS.get(ordering.lstrip("-"), ORDERING_FIELDS[DEFAULT_ORDERING])
    expression = Lower(column) if column == "name" else F(column)
    tie_breaker = F("id")
    if descending:
        return [expression.desc(), tie_breaker.desc()]
    return [expression.asc(), tie_breaker.asc()]


def customer_list(*, filters: CustomerListFilters | None = None) -> QuerySet[Customer]:
    """Return customers matching ``filters``, sorted with a stable tie-breaker."""
    filters = filters or CustomerListFilters()
    queryset = Customer.objects.all()
    if filters.status == "active":
        queryset = queryset.active()
    elif filters.status == "inactive":
        queryset = queryset.inactive()
    queryset = queryset.search(filters.search)
    if filters.created_after is not None:
        queryset = queryset.filter(created_at__gte=filters.created_after)
    if filters.created_before is not None:
        queryset = queryset.filter(created_at__lte=filters.created_before)
    if filters.min_points is not None:
        queryset = queryset.filter(loyalty_points__gte=filters.min_points)
    if filters.max_points is not None:
        queryset = queryset.filter(loyalty_points__lte=filters.max_points)
    return queryset.order_by(*_order_by(filters.ordering))


@dataclass(frozen=True)
class PossibleDuplicate:
    customer: Customer
    reasons: tuple[str, ...]


SIMILAR_NAME_RATIO = 0.85
MAX_DUPLICATES = 5


def _normalized_or_none(normalize, value):
    try:
        return normalize(value)
    except ValidationError:
        return None


def _similar_name(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= SIMILAR_NAME_RATIO


def customer_find_duplicates(
    *, name: str = "", email: str = "", phone: str = "", exclude_id: int | None = None
) -> list[PossibleDuplicate]:
    """Return existing customers a new entry may duplicate, with why.

    Same email (any case), same phone number (any format, compared as E.164),
    or a very similar name. Input that is not valid yet is simply ignored: this
    runs while the cashier is still typing.
    """
    email = _normalized_or_none(validators.normalize_email, email)
    phone = _normalized_or_none(validators.normalize_phone, phone)
    name = " ".join((name or "").split())
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email__iexact=email)
    if phone:
        condition |= Q(phone=phone)
    if len(name) >= 3:
        # Candidates share the first three letters; similarity is decided below.
        condition |= Q(name__istartswith=name[:3])
    candidates = Customer.objects.filter(condition)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    found = []
    for customer in candidates.order_by("name", "id")[:200]:
        reasons = []
        if email and customer.email == email:
            reasons.append("same email")
        if phone and customer.phone == phone:
            reasons.append("same phone")
        if len(name) >= 3 and _similar_name(name, customer.name):
            reasons.append("similar name")
        if reasons:
            found.append(PossibleDuplicate(customer=customer, reasons=tuple(reasons)))
    found.sort(key=lambda item: (-len(item.reasons), item.customer.name))
    return found[:MAX_DUPLICATES]


def customer_duplicates_to_confirm(
    *, name: str = "", phone: str = "", customer: Customer | None = None
) -> list[PossibleDuplicate]:
    """Return the customers whose phone a save would share: the staff page asks first.

    A shared phone is most often the same person typed twice, but a family may
    share one number, so the page asks for confirmation instead of refusing (the
    API saves as before). An edit that keeps the customer's phone asks nothing.
    """
    phone = _normalized_or_none(validators.normalize_phone, phone)
    if not phone or (customer is not None and customer.phone == phone):
        return []
    others = Customer.objects.filter(phone=phone)
    if customer is not None:
        others = others.exclude(pk=customer.pk)
    name = " ".join((name or "").split())
    return [
        PossibleDuplicate(
            customer=other,
            reasons=("same phone", "similar name")
            if len(name) >= 3 and _similar_name(name, other.name)
            else ("same phone",),
        )
        for other in others.order_by("name", "id")[:MAX_DUPLICATES]
    ]
