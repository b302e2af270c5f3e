"""Reads for the data tools: likely duplicate customers, what a merge would move, merges done.

Likely duplicates are customers with the same email (any case), the same phone
number, or very similar names at the same address. Merged and anonymised
records are never offered again, nor a pair someone said is two people
(``DistinctCustomers``: a household that shares a phone).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Lower

from customers.distinct import DistinctCustomers
from customers.extensions import merge_steps
from customers.models import Customer, CustomerErasure, CustomerMerge
from customers.names import names_alike

MAX_GROUPS = 100


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str
    customers: tuple[Customer, ...]


def _open_customers():
    return Customer.objects.filter(merge_record__isnull=True, erasure__isnull=True)


def _grouped(key, reason: str, values, customers) -> list[DuplicateGroup]:
    by_value: dict = {}
    for customer in customers:
        by_value.setdefault(key(customer), []).append(customer)
    return [
        DuplicateGroup(reason=reason, customers=tuple(by_value[value]))
        for value in values
        if len(by_value.get(value, ())) > 1
    ]


def _undecided(groups: list[DuplicateGroup]) -> list[DuplicateGroup]:
    """Return the groups without the pairs someone said are different people (one query).

    A group is shown as its first customer and the others who may be them. A customer
    said to be someone else than the first stays for the next group of those left, so a
    household of three takes three decisions and no decided pair is ever offered.
    """
    ids = {customer.pk for group in groups for customer in group.customers}
    if not ids:
        return groups
    decided = set(
        DistinctCustomers.objects.filter(first_id__in=ids, second_id__in=ids).values_list(
            "first_id", "second_id"
        )
    )
    if not decided:
        return groups
    undecided = []
    for group in groups:
        members, placed = group.customers, set()
        for index, first in enumerate(members):
            if first.pk in placed:
                continue
            others = tuple(
                other
                for other in members[index + 1 :]
                if other.pk not in placed
                and (min(first.pk, other.pk), max(first.pk, other.pk)) not in decided
            )
            if others:
                undecided.append(DuplicateGroup(reason=group.reason, customers=(first, *others)))
                placed.update(customer.pk for customer in (first, *others))
    return undecided


def customer_duplicate_groups(*, limit: int = MAX_GROUPS) -> list[DuplicateGroup]:
    """Return up to ``limit`` groups of customers that are likely the same person.

    Each kind is one grouping query over an index and one fetch of its members,
    and one query reads the pairs already decided, whatever the number of customers.
    The ``limit`` counts shared values: a value whose customers are all decided apart
    still takes a place (the page then shows fewer groups).
    """
    open_customers = _open_customers()
    groups: list[DuplicateGroup] = []

    emails = list(
        open_customers.exclude(Q(email__isnull=True) | Q(email=""))
        .values(key=Lower("email"))
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("key")
        .values_list("key", flat=True)[:limit]
    )
    if emails:
        members = open_customers.alias(key=Lower("email")).filter(key__in=emails).order_by("id")
        groups += _grouped(lambda c: c.email.lower(), "Same email", emails, members)

    phones = list(
        open_customers.exclude(phone__isnull=True)
        .values("phone")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("phone")
        .values_list("phone", flat=True)[:limit]
    )
    if phones:
        members = open_customers.filter(phone__in=phones).order_by("id")
        groups += _grouped(lambda c: c.phone, "Same phone", phones, members)

    addresses = list(
        open_customers.exclude(Q(address__isnull=True) | Q(address=""))
        .values(key=Lower("address"))
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("key")
        .values_list("key", flat=True)[:limit]
    )
    if addresses:
        members = open_customers.alias(key=Lower("address")).filter(key__in=addresses)
        for group in _grouped(
            lambda c: c.address.lower(),
            "Similar names at the same address",
            addresses,
            members.order_by("id"),
        ):
            first, *others = group.customers
            similar = [other for other in others if names_alike(first.name, other.name)]
            if similar:
                groups.append(DuplicateGroup(reason=group.reason, customers=(first, *similar)))

    groups = _undecided(groups)
    # One entry per set of customers, saying every reason they matched on.
    merged: dict[tuple, DuplicateGroup] = {}
    for group in groups:
        ids = tuple(customer.pk for customer in group.customers)
        if ids in merged:
            reason = f"{merged[ids].reason}; {group.reason.lower()}"
            merged[ids] = DuplicateGroup(reason=reason, customers=group.customers)
        else:
            merged[ids] = group
    unique = list(merged.values())
    return unique[:limit]


def merged_into(customer: Customer) -> int | None:
    """Return the id of the customer ``customer`` was merged into, or None.

    Only inactive customers can have been merged, so an active one costs no query.
    """
    if customer.is_active:
        return None
    return (
        CustomerMerge.objects.filter(duplicate_id=customer.pk)
        .values_list("survivor_id", flat=True)
        .first()
    )


def customer_merge_preview(*, customer: Customer) -> list[tuple[str, int]]:
    """Return what merging ``customer`` away would move: (label, count) per module."""
    moves = []
    for step in merge_steps():
        moves += [(label, count) for label, count in step.count(customer=customer) if count]
    return moves


def customer_erasure(customer: Customer) -> CustomerErasure | None:
    """Return who erased the customer's personal data and when, or None.

    Only inactive customers can have been anonymised, so an active one costs no query.
    """
    if customer.is_active:
        return None
    return CustomerErasure.objects.select_related("erased_by").filter(customer=customer).first()
