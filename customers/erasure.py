"""Erasing a customer's personal data on their request: the right to be forgotten.

The books stay (sales, invoices, ledgers); every copy of the person's details
goes: the record itself, each module's notes (``customers.extensions``), the
history's old and new values, the API's stored ``Idempotency-Key`` answers,
which would otherwise replay the details to a retry, and import files kept between
their check and their import. A merged-away duplicate
also takes back what the merge copied from it into the survivor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from classicpos.job_runner import jobs_forget_personal_data
from classicpos.models import IdempotencyRecord
from customers.events import event_user, record_event
from customers.extensions import anonymise_steps
from customers.import_uploads import checked_files_forget
from customers.locks import customers_for_update
from customers.models import (
    PERSONAL_FIELDS,
    Customer,
    CustomerErasure,
    CustomerEvent,
    CustomerEventKind,
    CustomerMerge,
    CustomerStatus,
)

# The API resource whose stored answers name customers (``/api/customers/<id>``).
API_RESOURCE = "customers"


def _erase(customer: Customer, *, actor, channel: str) -> None:
    for step in anonymise_steps():
        step.anonymise(customer=customer, user=event_user(actor))
    customer.name = f"Anonymised customer #{customer.pk}"
    customer.email = customer.phone = customer.address = customer.note = None
    # The note's alert goes with it: a level with nothing to show means nothing.
    customer.note_alert = None
    customer.birthday = customer.birthday_md = None
    customer.status = CustomerStatus.INACTIVE
    customer.save(
        update_fields=[
            "name",
            "email",
            "phone",
            "address",
            "note",
            "note_alert",
            "birthday",
            "birthday_md",
            "status",
            "updated_at",
        ]
    )
    CustomerErasure.objects.create(customer=customer, erased_by=event_user(actor))
    # The history keeps what happened, but not the person's old details.
    CustomerEvent.objects.filter(customer=customer).blank_personal_data()
    record_event(customer, CustomerEventKind.ANONYMISED, actor=actor, channel=channel)


def _stored_value(customer: Customer, field: str):
    """Return a field's value as the history stores it (dates as text)."""
    value = getattr(customer, field)
    return value.isoformat() if field == "birthday" and value is not None else value


def _take_back_from_survivor(duplicate: Customer, survivor: Customer, *, actor, channel) -> None:
    """Undo what merging ``duplicate`` copied into ``survivor``, where it is still there.

    The merge's event on the survivor says which personal values came from the
    duplicate: each one the survivor still holds is cleared (the name, which a
    customer must have, goes back to the survivor's own). The event forgets the
    values, and so do stored answers that showed the survivor with them.
    """
    merged = CustomerEvent.objects.filter(
        customer=survivor, kind=CustomerEventKind.MERGED, other_customer_id=duplicate.pk
    )
    taken = {}
    for event in merged:
        for field, (old, new) in event.changes.items():
            still_there = new is not None and _stored_value(survivor, field) == new
            if field in PERSONAL_FIELDS and still_there:
                taken[field] = old if field == "name" else None
    if "note" in taken and survivor.note_alert is not None:
        # The alert flagged the note taken back.
        taken["note_alert"] = None
    if taken:
        for field, value in taken.items():
            setattr(survivor, field, value)
        if "birthday" in taken:
            survivor.birthday_md = None
        fields = [*taken, *(["birthday_md"] if "birthday" in taken else []), "updated_at"]
        survivor.save(update_fields=fields)
        record_event(
            survivor,
            CustomerEventKind.CHANGED,
            actor=actor,
            channel=channel,
            changes={field: [None, value] for field, value in taken.items()},
        )
        IdempotencyRecord.objects.about(API_RESOURCE, [survivor.pk]).delete()
    merged.blank_personal_data()


@transaction.atomic
def customer_anonymise(*, customer: Customer, confirm: str, actor, channel: str) -> Customer:
    """Erase a customer's personal data on their request; irreversible.

    ``confirm`` must be the customer's current name, typed. The name becomes
    "Anonymised customer #id", email, phone and address are cleared (the email
    is free for someone else), the record is deactivated and an erasure record
    says who did it and when. Sales, invoices and ledgers stay for the books;
    each module's anonymise step removes its notes about the person. Records
    merged into this customer are the same person and are erased with it; a
    customer that was itself merged away takes back what it gave the survivor.
    Asking again changes nothing.
    """
    merge = CustomerMerge.objects.filter(duplicate_id=customer.pk).first()
    survivor_id = merge.survivor_id if merge is not None else None
    # Both rows when there is a survivor, in primary-key order (customers.locks).
    locked_rows = customers_for_update(customer.pk, *([survivor_id] if survivor_id else []))
    locked = locked_rows[customer.pk]
    if CustomerErasure.objects.filter(customer=locked).exists():
        return locked
    if " ".join(str(confirm or "").split()) != locked.name:
        raise ValidationError(
            {"confirm": ["Type the customer's current name exactly to confirm the erasure."]}
        )
    merged = list(Customer.objects.filter(merge_record__survivor=locked).order_by("pk"))
    for duplicate in merged:
        _erase(duplicate, actor=actor, channel=channel)
    if survivor_id is not None:
        _take_back_from_survivor(locked, locked_rows[survivor_id], actor=actor, channel=channel)
    _erase(locked, actor=actor, channel=channel)
    # Stored API answers that show any of them: their creation, sales, merges, payments.
    erased_ids = [duplicate.pk for duplicate in merged] + [locked.pk]
    IdempotencyRecord.objects.about(API_RESOURCE, erased_ids).delete()
    # Import files checked and kept for their Import click may hold their details too.
    checked_files_forget()
    # So may the uploads, reports and exports of background jobs.
    jobs_forget_personal_data()
    return locked
