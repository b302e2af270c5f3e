"""CRM activities, finished tasks and converted leads in the customer's timeline.

Three sources, one query a page each. An activity is told when it was logged
(``created_at``); a task also when it was finished (``completed_at``, cleared
again when the task is reopened, so a reopened task has no "completed" entry).
A conversion is the lead's ``converted_at``; who converted it is not recorded
on the lead, so that entry has no actor.
"""

from django.urls import reverse
from django.utils.dateformat import format as format_date

from crm.models import Activity, ActivityKind, Lead, LeadStatus
from crm.permissions import VIEW_ACTIVITY, VIEW_LEAD
from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source

ACTIVITY_SOURCE = "crm.activity"
TASK_DONE_SOURCE = "crm.task_done"
LEAD_SOURCE = "crm.lead"


def _activity_link(activity: Activity, customer) -> str:
    """Return the lead's page for an activity that moved from a lead (it lists them all)."""
    if activity.moved_from_lead_id:
        return reverse("crm:lead_detail", kwargs={"pk": activity.moved_from_lead_id})
    return f"{customer.get_absolute_url()}#crm-panel"


def _activity_summary(activity: Activity) -> str:
    parts = [activity.get_kind_display(), activity.subject]
    if activity.kind == ActivityKind.TASK:
        if activity.due_on is not None:
            parts.append(f"due {format_date(activity.due_on, 'M j, Y')}")
        if activity.done:
            parts.append("done")
    return " · ".join(parts)


def activity_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the activities logged on the customer, with their authors, in one query."""
    activities = (
        Activity.objects.filter(customer=page.customer)
        .filter(page.before(ACTIVITY_SOURCE, at="created_at"))
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=activity.created_at,
            kind="activity.logged",
            summary=_activity_summary(activity),
            source=ACTIVITY_SOURCE,
            id=activity.pk,
            actor=activity.author.get_username() if activity.author_id else None,
            link=_activity_link(activity, page.customer),
        )
        for activity in activities[: page.limit]
    ]


def task_done_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's tasks that are done, at the moment they were, in one query.

    Who ticked the task off is not recorded, so these entries have no actor.
    """
    tasks = (
        Activity.objects.filter(
            customer=page.customer, kind=ActivityKind.TASK, completed_at__isnull=False
        )
        .filter(page.before(TASK_DONE_SOURCE, at="completed_at"))
        .order_by("-completed_at", "-pk")
    )
    return [
        TimelineEntry(
            at=task.completed_at,
            kind="activity.completed",
            summary=f"Task done · {task.subject}",
            source=TASK_DONE_SOURCE,
            id=task.pk,
            link=_activity_link(task, page.customer),
        )
        for task in tasks[: page.limit]
    ]


def lead_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the leads that became (or were linked to) the customer, in one query."""
    leads = (
        Lead.objects.filter(
            customer=page.customer, status=LeadStatus.CONVERTED, converted_at__isnull=False
        )
        .filter(page.before(LEAD_SOURCE, at="converted_at"))
        .order_by("-converted_at", "-pk")
    )
    entries = []
    for lead in leads[: page.limit]:
        company = f" ({lead.company})" if lead.company else ""
        entries.append(
            TimelineEntry(
                at=lead.converted_at,
                kind="lead.converted",
                summary=(
                    f"Lead {lead.name}{company} converted into this customer "
                    f"(lead source: {lead.get_source_display().lower()})"
                ),
                source=LEAD_SOURCE,
                id=lead.pk,
                link=reverse("crm:lead_detail", kwargs={"pk": lead.pk}),
            )
        )
    return entries


def connect() -> None:
    for source in (
        TimelineSource(
            name=ACTIVITY_SOURCE,
            label="CRM activities",
            icon="bi-chat-left-text",
            kinds=("activity.logged",),
            entries=activity_entries,
            permission=VIEW_ACTIVITY,
        ),
        TimelineSource(
            name=TASK_DONE_SOURCE,
            label="CRM activities",
            icon="bi-chat-left-text",
            kinds=("activity.completed",),
            entries=task_done_entries,
            permission=VIEW_ACTIVITY,
        ),
        TimelineSource(
            name=LEAD_SOURCE,
            label="Leads",
            icon="bi-person-plus",
            kinds=("lead.converted",),
            entries=lead_entries,
            permission=VIEW_LEAD,
        ),
    ):
        register_timeline_source(source)
