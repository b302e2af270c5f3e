"""Every write to leads and activities, each one transaction.

Pages, the API and the admin call these functions, so the rules live here once:
validation (``full_clean``), who may reassign a lead or mark it lost, and how a
lead becomes a customer without creating a duplicate.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from crm import locks
from crm.models import Activity, ActivityKind, Lead, LeadSource, LeadStatus
from crm.permissions import MARK_LEAD_LOST, REASSIGN_LEAD
from crm.selectors import lead_contact_details, lead_conversion_plan, lead_matching_customer
from customers import services as customer_services
from customers.locks import contact_details_lock, customer_for_update
from customers.models import Channel, Customer

LEAD_EDITABLE_FIELDS = ("name", "email", "phone", "company", "source", "status", "owner", "notes")
ACTIVITY_EDITABLE_FIELDS = ("subject", "body", "due_on", "done")


class CrmPermissionDenied(PermissionDenied):
    """A role may not make this change; ``field`` names the input it concerns."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def _validate_and_save(instance):
    """Normalise and validate through the model, then save (constraints back it up)."""
    instance.full_clean(validate_constraints=False)
    instance.save()
    return instance


def _require(user, permission: str, message: str, field: str) -> None:
    if not user.has_perm(permission):
        raise CrmPermissionDenied(message, field=field)


def _check_status(*, user, old_status: str | None, new_status: str) -> None:
    if new_status == LeadStatus.CONVERTED and old_status != LeadStatus.CONVERTED:
        raise ValidationError({"status": ["Use Convert to turn a lead into a customer."]})
    if new_status not in LeadStatus.values:
        raise ValidationError({"status": [f"Choose one of: {', '.join(LeadStatus.values)}."]})
    touches_lost = LeadStatus.LOST in (old_status, new_status) and old_status != new_status
    if touches_lost:
        verb = "mark a lead lost" if new_status == LeadStatus.LOST else "reopen a lost lead"
        _require(user, MARK_LEAD_LOST, f"Only a Manager can {verb}.", "status")


def check_lead_change(*, user, lead: Lead | None, data: dict) -> None:
    """Refuse what ``user``'s role may not do to ``lead`` (None: a new lead).

    Anyone may add leads for themselves, claim an unowned lead and move a lead
    through the open statuses; giving a lead to someone else, marking it lost and
    reopening it are a Manager's. Raises ``CrmPermissionDenied`` naming the field.
    """
    if "owner" in data:
        owner = data["owner"]
        if lead is None and owner != user:
            message = "Only a Manager can give a lead to someone else."
            _require(user, REASSIGN_LEAD, message, "owner")
        elif lead is not None and owner != lead.owner:
            claiming_unowned = lead.owner_id is None and owner == user
            if not claiming_unowned:
                message = "Only a Manager can reassign a lead."
                _require(user, REASSIGN_LEAD, message, "owner")
    if "status" in data:
        old_status = LeadStatus.NEW if lead is None else lead.status
        _check_status(user=user, old_status=old_status, new_status=data["status"])


@transaction.atomic
def lead_create(
    *,
    user,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    company: str = "",
    source: str = LeadSource.WALK_IN,
    status: str = LeadStatus.NEW,
    notes: str = "",
    owner=None,
) -> Lead:
    """Create a lead owned by ``user`` (or by ``owner``, which only a Manager may choose)."""
    owner = owner if owner is not None else user
    check_lead_change(user=user, lead=None, data={"owner": owner, "status": status})
    lead = Lead(
        name=name,
        email=email,
        phone=phone,
        company=company or "",
        source=source,
        status=status,
        notes=notes or "",
        owner=owner,
    )
    return _validate_and_save(lead)


@transaction.atomic
def lead_update(*, lead: Lead, user, data: dict) -> Lead:
    """Change the fields given in ``data``; reassigning and "lost" need a Manager."""
    unknown = set(data) - set(LEAD_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    lead = locks.lock_lead(lead.pk)
    if lead.is_converted:
        raise ValidationError(
            f"This lead became customer #{lead.customer_id}; change the customer instead."
        )
    check_lead_change(user=user, lead=lead, data=data)
    for field, value in data.items():
        if field in ("company", "notes") and value is None:
            value = ""
        setattr(lead, field, value)
    return _validate_and_save(lead)


@dataclass(frozen=True)
class ConversionResult:
    customer: Customer
    created: bool


@transaction.atomic
def lead_convert(*, lead: Lead, user, channel: str = Channel.PAGE) -> ConversionResult:
    """Turn a lead into a customer without a duplicate; converting again changes nothing.

    An existing customer with the same email (any case) or phone (any format) is
    linked; otherwise one is created through the customer service. The lead's
    activities move to the customer. An inactive match is restored when ``user``
    may restore customers; otherwise the conversion is refused. ``channel`` says
    where the conversion came from, for the customer's history.
    """
    # Locks in the documented order: the contact details, the matching customer, the
    # lead. A customer who does not exist yet has no row to lock: without the first,
    # ten tills converting leads that share a phone each found nobody and made four.
    email, phone = lead_contact_details(lead=lead)
    contact_details_lock(emails=[email], phones=[phone])
    match, _ = lead_matching_customer(lead=lead)
    if match is not None:
        customer_for_update(match.pk)
    lead = locks.lock_lead(lead.pk)
    if lead.is_converted:
        return ConversionResult(customer=lead.customer, created=False)

    plan = lead_conversion_plan(lead=lead, user=user)
    if plan.refusal:
        raise ValidationError(plan.refusal)
    if plan.customer != match:
        # A matching customer appeared (or changed) after our first look: do not
        # lock out of order; the next attempt links to it.
        raise ValidationError(
            "A matching customer was just changed at another till. Convert again to link to them."
        )
    if plan.customer is None:
        customer = customer_services.customer_create(
            name=lead.name, email=lead.email, phone=lead.phone, actor=user, channel=channel
        )
        created = True
    else:
        customer = plan.customer
        if plan.restore:
            customer = customer_services.customer_restore(
                customer=customer, actor=user, channel=channel
            )
        created = False

    now = timezone.now()
    Activity.objects.filter(lead=lead).update(
        lead=None, customer=customer, moved_from_lead=lead, updated_at=now
    )
    lead.status = LeadStatus.CONVERTED
    lead.customer = customer
    lead.converted_at = now
    lead.save(update_fields=["status", "customer", "converted_at", "updated_at"])
    return ConversionResult(customer=customer, created=created)


@transaction.atomic
def activity_create(
    *,
    author,
    kind: str,
    subject: str,
    body: str = "",
    customer: Customer | None = None,
    lead: Lead | None = None,
    due_on: date | None = None,
) -> Activity:
    """Log a note, call, email, meeting or task on one customer or one lead."""
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(ActivityKind.values)}."]})
    if lead is not None:
        # Re-read: the lead may have been converted since the caller loaded it.
        lead = Lead.objects.select_related("customer").get(pk=lead.pk)
        if lead.is_converted and customer is None:
            # Keep the history in one place: the customer the lead became.
            customer, lead = lead.customer, None
    activity = Activity(
        kind=kind,
        subject=subject,
        body=body or "",
        customer=customer,
        lead=lead,
        due_on=due_on,
        author=author,
    )
    return _validate_and_save(activity)


@transaction.atomic
def activity_update(*, activity: Activity, data: dict) -> Activity:
    """Change subject, body, due date or done; finishing a task records when."""
    unknown = set(data) - set(ACTIVITY_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    activity = locks.lock_activity(activity.pk)
    for field, value in data.items():
        if field == "body" and value is None:
            value = ""
        setattr(activity, field, value)
    if "done" in data:
        activity.completed_at = (activity.completed_at or timezone.now()) if data["done"] else None
    return _validate_and_save(activity)


def activity_complete(*, activity: Activity) -> Activity:
    """Mark a task done (idempotent)."""
    return activity_update(activity=activity, data={"done": True})
