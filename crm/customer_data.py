"""How the CRM takes part in the customer data tools.

- Merge: the duplicate's activities and the leads that became it move to the survivor.
- Anonymise: notes, calls and tasks about the person are deleted, and the leads
  that became them lose their name, contact details and notes, also in the API's
  stored answers (``/api/leads/<id>``, ``leadId``).
"""

from django.db.models import Q

from classicpos.api.idempotency import register_reference_key
from classicpos.models import IdempotencyRecord
from crm.models import Activity, Lead
from customers.extensions import (
    AnonymiseStep,
    MergeStep,
    register_anonymise_step,
    register_merge_step,
)

# The API resource of leads: stored answers name them by ``/api/leads/<id>`` and ``leadId``.
LEADS_RESOURCE = "leads"


def merge_activities(*, duplicate, survivor, user) -> None:
    Activity.objects.filter(customer=duplicate).update(customer=survivor)
    Lead.objects.filter(customer=duplicate).update(customer=survivor)


def count_activities(*, customer) -> list[tuple[str, int]]:
    return [("CRM activities", Activity.objects.filter(customer=customer).count())]


def anonymise_contact(*, customer, user) -> None:
    """Remove what the CRM wrote about the person; the leads stay as anonymous counts."""
    leads = list(Lead.objects.filter(customer=customer).values_list("pk", flat=True))
    Activity.objects.filter(
        Q(customer=customer) | Q(lead__in=leads) | Q(moved_from_lead__in=leads)
    ).delete()
    for lead_id in leads:
        Lead.objects.filter(pk=lead_id).update(
            name=f"Anonymised lead #{lead_id}", email=None, phone=None, company="", notes=""
        )
    IdempotencyRecord.objects.about(LEADS_RESOURCE, leads).delete()


def connect() -> None:
    register_reference_key("leadId", resource=LEADS_RESOURCE)
    register_merge_step(
        MergeStep(
            name="crm",
            merge=merge_activities,
            count=count_activities,
            moves=("CRM activities",),
            order=50,
        )
    )
    register_anonymise_step(AnonymiseStep(name="crm", anonymise=anonymise_contact, order=50))
