"""Every write to a customer goes through these functions, each one transaction.

Forms, the API, the admin and the import command call them, so validation and
history rules live here once. Each takes the acting user (``actor``, None for
an operator's command) and the ``channel`` it came through, and records a
``CustomerEvent`` in the same transaction: who changed what, old and new.
"""

from collections.abc import Mapping
from copy import copy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from customers import validators
from customers.alerts import alert_change_check, louder_note
from customers.distinct import DistinctCustomers, carry_distinct_pairs
from customers.erasure import customer_anonymise
from customers.events import event_user, record_event
from customers.extensions import merge_steps
from customers.locks import customer_lock, customers_for_update
from customers.models import (
    EDITABLE_FIELDS,
    MERGEABLE_FIELDS,
    Channel,
    Customer,
    CustomerErasure,
    CustomerEvent,
    CustomerEventKind,
    CustomerMerge,
    CustomerStatus,
    Tag,
    duplicate_email_message,
)
from customers.permissions import TAG_CUSTOMER

__all__ = [
    "EDITABLE_FIELDS",
    "Channel",
    "customer_anonymise",
    "customer_check",
    "customer_create",
    "customer_create_many",
    "customer_deactivate",
    "customer_is_closed",
    "customer_mark_distinct",
    "customer_merge",
    "customer_merge_defaults",
    "customer_restore",
    "customer_update",
]

MERGE_SOURCES = ("survivor", "duplicate")


# The columns an edit writes: the editable fields and the index ``clean()`` derives
# from the birthday. Never the points (the loyalty ledger's) nor the status (deactivate,
# restore, merge): a whole row saved from a copy read earlier put back the points a
# till had given meanwhile, and re-activated a customer just deactivated.
EDITED_COLUMNS = (*MERGEABLE_FIELDS, "note_alert", "home_store_id", "birthday_md")


def _stored_columns(customer: Customer) -> dict:
    """Return the edited columns as the locked row holds them, to save only what changes."""
    return {column: getattr(customer, column) for column in EDITED_COLUMNS}


def _validate_and_save(
    customer: Customer, *, stored: dict | None = None, also: tuple[str, ...] = ()
) -> Customer:
    """Normalise, validate and save; a lost race on the email becomes a field error.

    A new customer is inserted whole. A stored one writes only the columns whose
    value differs from ``stored`` (``_stored_columns`` of the locked row), plus
    ``also``, and nothing at all when none does: HackSoft's ``model_update``.
    """
    customer.full_clean(validate_constraints=False)
    update_fields = None
    if stored is not None:
        update_fields = [
            column for column in EDITED_COLUMNS if getattr(customer, column) != stored[column]
        ]
        update_fields += also
        if not update_fields:
            return customer
        update_fields.append("updated_at")
    try:
        with transaction.atomic():
            customer.save(update_fields=update_fields)
    except IntegrityError:
        # Another till saved the same email between our check and our insert.
        owner = customer.find_email_owner()
        if owner is None:
            raise
        raise ValidationError({"email": [duplicate_email_message(owner)]}) from None
    return customer


def customer_is_closed(customer: Customer) -> bool:
    """Return whether the customer was merged away or anonymised (both are final)."""
    try:
        _refuse_if_closed(customer)
    except ValidationError:
        return True
    return False


def _refuse_if_closed(customer: Customer) -> None:
    """Refuse changes to a merged duplicate or an anonymised customer (both are final).

    Both are always inactive, so an active customer costs no query here.
    """
    if customer.pk is None or customer.is_active:
        return
    merge = CustomerMerge.objects.filter(duplicate_id=customer.pk).first()
    if merge is not None:
        raise ValidationError(
            f"Customer #{customer.pk} was merged into customer #{merge.survivor_id}; "
            f"change #{merge.survivor_id} instead."
        )
    if CustomerErasure.objects.filter(customer_id=customer.pk).exists():
        raise ValidationError(
            "This customer's personal data was erased on request; the record cannot be changed."
        )


def _apply(customer: Customer, data: dict) -> Customer:
    """Set the given fields on ``customer``; tags wait on ``customer.pending_tags``."""
    _refuse_if_closed(customer)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    for field, value in data.items():
        if field == "tags":
            try:
                customer.pending_tags = validators.normalize_tags(value)
            except ValidationError as error:
                raise ValidationError({"tags": error.messages}) from None
        elif field == "home_store":
            current = customer.home_store_id
            try:
                customer.home_store_id = validators.normalize_home_store(value, current=current)
            except ValidationError as error:
                raise ValidationError({"home_store": error.messages}) from None
        else:
            setattr(customer, field, value)
    return customer


def _tag_names(customer: Customer) -> list[str]:
    if customer.pk is None:
        return []
    return sorted(customer.tags.values_list("name", flat=True), key=str.lower)


def snapshot(customer: Customer, *, tags: list[str] | None = None) -> dict:
    """Return the editable fields as the history stores them (JSON: dates as text).

    ``tags``, when the caller knows them, saves the query for them.
    """
    values = {field: getattr(customer, field) for field in MERGEABLE_FIELDS}
    values["note_alert"] = customer.note_alert
    values["home_store"] = customer.home_store_id
    if values["birthday"] is not None:
        values["birthday"] = values["birthday"].isoformat()
    values["tags"] = sorted(tags, key=str.lower) if tags is not None else _tag_names(customer)
    return values


def _changes(before: dict, after: dict) -> dict:
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }


def _set_tags(customer: Customer, actor) -> None:
    """Give ``customer`` the tags of ``pending_tags``; new names become tags for a Manager."""
    names = getattr(customer, "pending_tags", None)
    if names is None:
        return
    del customer.pending_tags
    # A list's ``with_tag_names()`` value is stale from here on.
    customer.__dict__.pop("tag_names", None)
    if sorted(names, key=str.lower) == _tag_names(customer):
        return
    user = event_user(actor)
    if user is not None and not user.has_perm(TAG_CUSTOMER):
        raise ValidationError({"tags": ["Only a Manager can change a customer's tags."]})
    existing = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
    # ``name__in`` is case-sensitive; a name typed in another case finds its tag here.
    missing = [name for name in names if name.lower() not in existing]
    for name in missing:
        tag = Tag.objects.alias(lower=Lower("name")).filter(lower=name.lower()).first()
        existing[name.lower()] = tag or Tag.objects.create(name=name)
    customer.tags.set([existing[name.lower()] for name in names])


def customer_check(
    *,
    customer: Customer | None = None,
    data: dict,
    email_owners: Mapping[str, Customer] | None = None,
) -> Customer:
    """Raise the ``ValidationError`` that creating (or updating ``customer``) would; save nothing.

    The staff form uses it to show field errors before asking about a possible
    duplicate, so a confirmation is never asked for input that would be refused.
    The import uses the unsaved, normalised copy it returns to compare and to
    create customers in bulk; it has looked up a whole batch's emails in one
    query and passes them as ``email_owners`` (email -> customer), so the
    duplicate-email rule is answered from them instead of a query per row.
    """
    candidate = copy(customer) if customer is not None else Customer()
    if email_owners is not None:

        def find_email_owner():
            owner = email_owners.get(candidate.email) if candidate.email else None
            return None if owner is None or owner is customer else owner

        candidate.find_email_owner = find_email_owner
    _apply(candidate, data).full_clean(validate_constraints=False)
    return candidate


@transaction.atomic
def customer_create(*, actor, channel: str, **data) -> Customer:
    """Create an active customer from the editable fields in ``data``, validating every one."""
    customer = _validate_and_save(_apply(Customer(), data))
    alert_change_check(before=None, after=customer.note_alert, actor=actor)
    # A new customer given no tags has none: neither its history nor the response asks.
    untagged = not getattr(customer, "pending_tags", None)
    _set_tags(customer, actor)
    if untagged:
        customer.tag_names = []
    values = snapshot(customer, tags=[] if untagged else None)
    values = {k: v for k, v in values.items() if v not in (None, [], False)}
    changes = _changes({}, values)
    record_event(customer, CustomerEventKind.CREATED, actor=actor, channel=channel, changes=changes)
    return customer


@transaction.atomic
def customer_create_many(*, customers: list[Customer], actor, channel: str) -> list[Customer]:
    """Save customers already checked by ``customer_check`` in one insert, with their events.

    The import's fast path: a batch of new customers costs a few queries, not
    a few per row. Raises ``IntegrityError`` when another till took one of the
    emails meanwhile (the caller then creates them one by one).
    """
    Customer.objects.bulk_create(customers)
    events = []
    for customer in customers:
        tags = getattr(customer, "pending_tags", [])
        _set_tags(customer, actor)
        values = snapshot(customer, tags=tags)
        values = {k: v for k, v in values.items() if v not in (None, [], False)}
        events.append(
            CustomerEvent(
                customer=customer,
                kind=CustomerEventKind.CREATED,
                actor=event_user(actor),
                channel=channel,
                changes=_changes({}, values),
            )
        )
    CustomerEvent.objects.bulk_create(events)
    return customers


@transaction.atomic
def customer_update(*, customer: Customer, data: dict, actor, channel: str) -> Customer:
    """Change the editable fields given in ``data``; others stay as they are.

    The row is locked and ``customer`` brought up to date with it first, and only
    the columns the edit changed are written: ``customer`` may have been read before
    a till gave points or a Manager deactivated them. A save that changes nothing
    writes and records nothing.
    """
    customer = customer_lock(customer)
    before = snapshot(customer)
    stored = _stored_columns(customer)
    customer = _validate_and_save(_apply(customer, data), stored=stored)
    alert_change_check(before=before["note_alert"], after=customer.note_alert, actor=actor)
    _set_tags(customer, actor)
    changes = _changes(before, snapshot(customer))
    if changes:
        record_event(
            customer, CustomerEventKind.CHANGED, actor=actor, channel=channel, changes=changes
        )
    return customer


@transaction.atomic
def customer_deactivate(*, customer: Customer, actor, channel: str) -> Customer:
    """Mark a customer inactive; the row and its history stay. Idempotent."""
    customer = customer_lock(customer)
    if customer.status != CustomerStatus.INACTIVE:
        customer.status = CustomerStatus.INACTIVE
        customer.save(update_fields=["status", "updated_at"])
        record_event(customer, CustomerEventKind.DEACTIVATED, actor=actor, channel=channel)
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer, actor, channel: str) -> Customer:
    """Make an inactive customer active again. Idempotent."""
    customer = customer_lock(customer)
    _refuse_if_closed(customer)
    if customer.status != CustomerStatus.ACTIVE:
        customer.status = CustomerStatus.ACTIVE
        customer.save(update_fields=["status", "updated_at"])
        record_event(customer, CustomerEventKind.RESTORED, actor=actor, channel=channel)
    return customer


def customer_merge_defaults(*, survivor: Customer, duplicate: Customer) -> dict[str, str]:
    """Return where each field's value comes from unless told: the survivor, or the
    duplicate where the survivor has nothing; the note whose alert is louder (a block
    is never dropped unless someone chooses to)."""
    sources = {
        field: "survivor"
        if getattr(survivor, field) or not getattr(duplicate, field)
        else "duplicate"
        for field in MERGEABLE_FIELDS
    }
    if louder_note(survivor, duplicate):
        sources["note"] = "duplicate"
    return sources


def _relations_left(customer: Customer, kept: set[str]) -> list[str]:
    """Return the relations that still have rows on ``customer`` (and no step kept them)."""
    left = []
    for relation in Customer._meta.related_objects:
        name = relation.get_accessor_name()
        # The customers app's own tables (merges, the search index) follow the row itself.
        if relation.related_model._meta.app_label == Customer._meta.app_label or name in kept:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: customer})
        if rows.exists():
            left.append(f"{relation.related_model._meta.label}.{relation.field.name}")
    return left


@transaction.atomic
def customer_merge(
    *,
    survivor: Customer,
    duplicate: Customer,
    actor,
    channel: str,
    fields: dict[str, str] | None = None,
) -> Customer:
    """Merge ``duplicate`` into ``survivor`` and return the survivor; one transaction.

    ``fields`` says, per editable field, whether the survivor keeps its value or
    takes the duplicate's (``"survivor"``/``"duplicate"``; by default the
    survivor's, or the duplicate's where the survivor has none). Every module's
    merge step then moves its rows (sales, invoices, CRM activities) and balances
    (points, store credit, through their ledgers). The duplicate becomes inactive
    and a ``CustomerMerge`` names the survivor, so its id still leads there. A relation
    to customers that no step moved refuses the merge rather than leave rows behind.
    """
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate_id": ["A customer cannot be merged into itself."]})
    # Both rows, in primary-key order (customers.locks): two merges of one pair
    # asked in opposite directions queue instead of deadlocking.
    locked = customers_for_update(survivor.pk, duplicate.pk)
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    before = snapshot(survivor)
    pair = (survivor.pk, duplicate.pk)
    merge = CustomerMerge.objects.filter(duplicate_id__in=pair).first()
    if merge is not None:
        raise ValidationError(
            f"Customer #{merge.duplicate_id} was already merged into #{merge.survivor_id}."
        )
    erasure = CustomerErasure.objects.filter(customer_id__in=pair).first()
    if erasure is not None:
        raise ValidationError(
            f"Customer #{erasure.customer_id} is anonymised and cannot be merged."
        )
    sources = customer_merge_defaults(survivor=survivor, duplicate=duplicate)
    errors = {}
    for field, source in (fields or {}).items():
        if field not in sources:
            errors[field] = ["This field cannot be merged."]
        elif source not in MERGE_SOURCES:
            errors[field] = ["Choose survivor or duplicate."]
        else:
            sources[field] = source
    if errors:
        raise ValidationError(errors)

    data = {
        field: getattr(duplicate if source == "duplicate" else survivor, field)
        for field, source in sources.items()
    }
    # The alert goes with the note it flags.
    data["note_alert"] = (duplicate if sources["note"] == "duplicate" else survivor).note_alert
    if duplicate.email:
        # The duplicate's email is released (to the survivor when chosen): one owner
        # per address, and an import or a new customer with it finds the survivor.
        Customer.objects.filter(pk=duplicate.pk).update(email=None)
        duplicate.email = None
    stored = _stored_columns(survivor)
    reactivated = duplicate.is_active and not survivor.is_active
    if reactivated:
        survivor.status = CustomerStatus.ACTIVE
    # The survivor keeps its home store, or takes the duplicate's when it has none.
    data["home_store"] = survivor.home_store_id or duplicate.home_store_id
    # The survivor keeps its tags and gains the duplicate's (operators' merge, no check).
    data["tags"] = sorted({*before["tags"], *_tag_names(duplicate)}, key=str.lower)
    _validate_and_save(
        _apply(survivor, data), stored=stored, also=("status",) if reactivated else ()
    )
    _set_tags(survivor, None)

    kept = set()
    for step in merge_steps():
        step.merge(duplicate=duplicate, survivor=survivor, user=actor)
        kept.update(step.keeps)
    # Customers merged into the duplicate earlier now lead to the survivor directly.
    CustomerMerge.objects.filter(survivor=duplicate).update(survivor=survivor)
    carry_distinct_pairs(duplicate=duplicate, survivor=survivor)
    left = _relations_left(duplicate, kept)
    if left:
        raise RuntimeError(
            f"No merge step moved {', '.join(left)}; register one in customers.extensions."
        )
    duplicate.status = CustomerStatus.INACTIVE
    duplicate.save(update_fields=["status", "updated_at"])
    CustomerMerge.objects.create(
        duplicate=duplicate, survivor=survivor, merged_by=event_user(actor)
    )
    record_event(
        survivor,
        CustomerEventKind.MERGED,
        actor=actor,
        channel=channel,
        changes=_changes(before, snapshot(survivor)),
        other_customer_id=duplicate.pk,
    )
    record_event(
        duplicate,
        CustomerEventKind.MERGED_AWAY,
        actor=actor,
        channel=channel,
        other_customer_id=survivor.pk,
    )
    return survivor


@transaction.atomic
def customer_mark_distinct(
    *, customer: Customer, other: Customer, actor, channel: str
) -> DistinctCustomers:
    """Record that ``customer`` and ``other`` are not the same person; return the record.

    The duplicate finder stops offering the pair (a household that shares a phone),
    and both customers' histories say who decided it and when. Saying it again, either
    way round, returns the first record and writes nothing.
    """
    if customer.pk == other.pk:
        raise ValidationError({"other": ["Choose two different customers."]})
    # Both rows, in primary-key order (customers.locks): two people deciding the same
    # pair at once wait for each other, and the second finds the first's record.
    customers_for_update(customer.pk, other.pk)
    first_id, second_id = sorted((customer.pk, other.pk))
    existing = DistinctCustomers.objects.filter(first_id=first_id, second_id=second_id).first()
    if existing is not None:
        return existing
    pair = DistinctCustomers.objects.create(
        first_id=first_id, second_id=second_id, decided_by=event_user(actor)
    )
    for one, another in ((customer, other), (other, customer)):
        record_event(
            one,
            CustomerEventKind.NOT_DUPLICATE,
            actor=actor,
            channel=channel,
            other_customer_id=another.pk,
        )
    return pair
