"""How the CRM takes part in the customer data tools.

- Merge: the duplicate's activities and the leads that became it move to the survivor.
- Anonymise: notes, calls and tasks about the person are deleted, and the leads
  that became them lose their name, contact details and notes, also in the API's
  stored answers (``/api/leads/<id>``, ``leadId``).
- Download my data: the leads that became the customer and the activities about
  them (on the customer or on those leads).
"""

from django.db.models import Q

from classicpos.api.idempotency import register_reference_key
from classicpos.models import IdempotencyRecord
from crm.models import Activity, Lead
from customers.extensions import (
    AnonymiseStep,
    DataExportSection,
    MergeStep,
    register_anonymise_step,
    register_data_export_section,
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


def export_leads(*, customer) -> list[dict]:
    """Return the leads that became the customer, oldest first (one query)."""
    leads = Lead.objects.filter(customer=customer).order_by("created_at", "pk")
    return [
        {
            "id": lead.pk,
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "company": lead.company,
            "source": lead.source,
            "status": lead.status,
            "notes": lead.notes,
            "createdAt": lead.created_at,
            "convertedAt": lead.converted_at,
        }
        for lead in leads
    ]


def export_activities(*, customer) -> list[dict]:
    """Return the notes, calls and tasks about the customer or their leads (one query)."""
    activities = Activity.objects.filter(
        Q(customer=customer) | Q(lead__customer=customer) | Q(moved_from_lead__customer=customer)
    ).order_by("created_at", "pk")
    return [
        {
            "id": activity.pk,
            "kind": activity.kind,
            "subject": activity.subject,
            "body": activity.body,
            "dueOn": activity.due_on,
            "done": activity.done,
            "completedAt": activity.completed_at,
            "createdAt": activity.created_at,
            "leadId": activity.lead_id or activity.moved_from_lead_id,
        }
        for activity in activities
    ]


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
    register_data_export_section(
        DataExportSection(
            name="crmLeads", label="Leads", rows=export_leads, models=("crm.Lead",), order=50
        )
    )
    register_data_export_section(
        DataExportSection(
            name="crmActivities",
            label="CRM activities",
            rows=export_activities,
            models=("crm.Activity",),
            order=51,
        )
    )
