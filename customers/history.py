"""The customer's own history in the timeline: profile events, one query a page."""

from django.urls import reverse

from customers.models import Channel, CustomerEvent, CustomerEventKind
from customers.permissions import VIEW_CUSTOMER_EVENTS
from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source

SOURCE = "customers.event"

# The JSON names of the fields, as the API spells them, for ``changes``.
API_NAMES = {
    "preferred_contact": "preferredContact",
    "email_consent": "marketingConsent.email",
    "sms_consent": "marketingConsent.sms",
    "home_store": "homeStoreId",
    "note_alert": "alert.level",
}
LABELS = {
    "preferred_contact": "preferred contact",
    "email_consent": "email consent",
    "sms_consent": "text message consent",
    "home_store": "home store",
    "note_alert": "note alert",
}


def _changed_fields(changes: dict) -> str:
    return ", ".join(LABELS.get(field, field) for field in changes)


def _consent_words(changes: dict) -> str:
    """Say a consent change in words: it is what a shop must be able to show later."""
    words = []
    for field, label in (("email_consent", "email"), ("sms_consent", "text messages")):
        if field in changes:
            old, new = changes[field]
            if bool(old) != bool(new):
                words.append(f"{label} consent {'given' if new else 'withdrawn'}")
    return "; ".join(words)


def event_summary(event: CustomerEvent) -> str:
    """Return the one line staff read for an event, with the channel it came through."""
    kind, changes = event.kind, event.changes or {}
    if kind == CustomerEventKind.CREATED:
        text = "Customer added"
    elif kind == CustomerEventKind.CHANGED:
        text = f"Changed {_changed_fields(changes)}"
        consent = _consent_words(changes)
        if consent:
            text += f" ({consent})"
    elif kind == CustomerEventKind.MERGED:
        text = f"Customer #{event.other_customer_id} merged into this one"
    elif kind == CustomerEventKind.MERGED_AWAY:
        text = f"Merged into customer #{event.other_customer_id}"
    elif kind == CustomerEventKind.NOT_DUPLICATE:
        text = f"Not the same person as customer #{event.other_customer_id}"
    elif kind == CustomerEventKind.ALERT_OVERRIDDEN:
        # ``changes`` holds the sale's number and the Manager's reason as [None, value].
        sale, reason = (changes.get(key, [None, ""])[1] for key in ("sale", "reason"))
        text = f"Sale {sale} allowed despite the block: {reason}"
    else:
        text = event.get_kind_display()
    return f"{text} · {Channel(event.channel).label}"


def _link(event: CustomerEvent) -> str | None:
    if event.other_customer_id is not None:
        return reverse("customers:detail", kwargs={"pk": event.other_customer_id})
    return None


def _field_changes(event: CustomerEvent) -> dict | None:
    """Return ``{"field": [old, new]}`` as the API names the fields, for events that change
    fields (an override's sale and reason are in its summary instead)."""
    if event.kind == CustomerEventKind.ALERT_OVERRIDDEN:
        return None
    changes = {API_NAMES.get(field, field): values for field, values in event.changes.items()}
    return changes or None


def _entries(page: TimelinePage) -> list[TimelineEntry]:
    kinds = [kind for kind in CustomerEventKind.values if page.wants(kind)]
    events = (
        CustomerEvent.objects.filter(customer=page.customer, kind__in=kinds)
        .filter(page.before(SOURCE, at="at"))
        .select_related("actor")
        .order_by("-at", "-id")[: page.limit]
    )
    return [
        TimelineEntry(
            at=event.at,
            kind=event.kind,
            summary=event_summary(event),
            source=SOURCE,
            id=event.pk,
            actor=event.actor.get_username() if event.actor else None,
            link=_link(event),
            changes=_field_changes(event),
        )
        for event in events
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=SOURCE,
            label="Profile changes",
            icon="bi-person",
            kinds=tuple(CustomerEventKind.values),
            entries=_entries,
            permission=VIEW_CUSTOMER_EVENTS,
        )
    )
