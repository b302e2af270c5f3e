"""Writing a customer's history: one immutable ``CustomerEvent`` per change.

Its own module so that every write to a customer (``customers.services``, the
erasure in ``customers.erasure``) records events the same way.
"""

from customers.models import Channel, Customer, CustomerEvent


def event_user(actor):
    """Return the user to record, or None for an operator's command (or no one logged in)."""
    return actor if actor is not None and actor.is_authenticated else None


def record_event(
    customer: Customer,
    kind: str,
    *,
    actor,
    channel: str,
    changes: dict | None = None,
    other_customer_id: int | None = None,
) -> CustomerEvent:
    """Write one immutable event about ``customer`` (inside the caller's transaction)."""
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}; use customers.models.Channel.")
    return CustomerEvent.objects.create(
        customer=customer,
        kind=kind,
        actor=event_user(actor),
        channel=channel,
        changes=changes or {},
        other_customer_id=other_customer_id,
    )
