"""How self-service links take part in a merge, an erasure and "Download my data".

A merge and an erasure revoke the customer's links (the page they open is gone) and
leave the rows where they are: they record what was sent, to whom, and when. The
data export lists the customer's links (never a token: the database has none).
"""

from django.utils import timezone

from customers.extensions import (
    AnonymiseStep,
    DataExportSection,
    MergeStep,
    register_anonymise_step,
    register_data_export_section,
    register_merge_step,
)
from selfservice.models import SelfServiceLink


def _revoke(customer) -> None:
    SelfServiceLink.objects.filter(customer=customer).usable().update(revoked_at=timezone.now())


def merge_links(*, duplicate, survivor, user) -> None:
    _revoke(duplicate)


def count_links(*, customer) -> list[tuple[str, int]]:
    return []


def anonymise_links(*, customer, user) -> None:
    _revoke(customer)


def export_links(*, customer) -> list[dict]:
    """Return the customer's self-service links, oldest first, in one query."""
    return [
        {
            "createdAt": link.created_at,
            "expiresAt": link.expires_at,
            "revokedAt": link.revoked_at,
            "lastViewedAt": link.last_viewed_at,
        }
        for link in SelfServiceLink.objects.filter(customer=customer).order_by("created_at", "pk")
    ]


def connect() -> None:
    register_merge_step(
        MergeStep(
            name="selfservice",
            merge=merge_links,
            count=count_links,
            keeps=("self_service_links",),
            order=85,
        )
    )
    register_anonymise_step(AnonymiseStep(name="selfservice", anonymise=anonymise_links, order=85))
    register_data_export_section(
        DataExportSection(
            name="selfServiceLinks",
            label="Self-service links",
            rows=export_links,
            models=("selfservice.SelfServiceLink",),
            order=85,
        )
    )
