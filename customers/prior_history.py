"""What a shop's old system knew about a customer: its id for them and what they spent there.

A shop switching from Shopify or Square brings years of customers. Their id in
the old system (``CustomerReference``) is how a second upload of the same file
finds them again, before their email or phone (which may have changed), so it
creates nobody and changes nothing. What the old system says they spent, in
how many orders, and when they first and last came (``CustomerPriorHistory``)
is kept beside the customer as their history before ClassicPOS, read-only: it
is the old system's figure, not a sale here, so it never enters lifetime spend,
points or reports.

Its own module because ``customers/models.py`` is long; ``customers.models``
imports it. A merge moves both to the survivor (a survivor's own history wins);
an erasure deletes both.
"""

from django.db import models, transaction
from django.utils import timezone

from classicpos.money_format import format_money
from customers.extensions import (
    AnonymiseStep,
    MergeStep,
    register_anonymise_step,
    register_merge_step,
)
from customers.panels import CustomerPanel, register_panel
from customers.permissions import VIEW_CUSTOMER
from customers.timeline import (
    TimelineEntry,
    TimelinePage,
    TimelineSource,
    register_timeline_source,
)

HISTORY_FIELDS = ("spent", "orders", "first_visit", "last_visit")


class CustomerReference(models.Model):
    """A customer's id in a system the shop imported them from."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="references"
    )
    source = models.CharField(max_length=40)  # the preset's name: "shopify"
    reference = models.CharField(max_length=100)

    class Meta:
        db_table = "customer_references"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="customer_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.reference}"


class CustomerPriorHistory(models.Model):
    """What the old system said a customer spent, and when they came, at the import."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="prior_history"
    )
    source = models.CharField(max_length=100)  # the preset's label: "Shopify customer export"
    spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    orders = models.PositiveIntegerField(null=True, blank=True)
    first_visit = models.DateField(null=True, blank=True)
    last_visit = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "customer_prior_history"
        verbose_name_plural = "customer prior histories"

    def __str__(self) -> str:
        return f"{self.source}: {self.spent} in {self.orders} orders"

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "spent": None if self.spent is None else str(self.spent),
            "orders": self.orders,
            "firstVisit": self.first_visit.isoformat() if self.first_visit else None,
            "lastVisit": self.last_visit.isoformat() if self.last_visit else None,
        }


def prior_history_record(*, source_name: str, source_label: str, rows) -> None:
    """Keep the old system's ids and figures of imported ``(customer, row)`` pairs.

    An id already kept for another customer stays theirs (the first row that
    named it won); figures the file repeats unchanged are not written again.
    """
    saved = [(customer, row) for customer, row in rows if customer.pk is not None]
    references = {(row.reference, customer.pk) for customer, row in saved if row.reference}
    kept = set(
        CustomerReference.objects.filter(
            source=source_name, reference__in=[reference for reference, _ in references]
        ).values_list("reference", flat=True)
    )
    CustomerReference.objects.bulk_create(
        [
            CustomerReference(customer_id=pk, source=source_name, reference=reference)
            for reference, pk in sorted(references)
            if reference not in kept
        ],
        ignore_conflicts=True,
    )
    figures = {
        customer.pk: {part.split(".", 1)[1]: value for part, value in row.history.items()}
        for customer, row in saved
        if row.history
    }
    if not figures:
        return
    kept = {
        history.customer_id: history
        for history in CustomerPriorHistory.objects.filter(customer_id__in=figures)
    }
    new, changed = [], []
    for pk, values in figures.items():
        history = kept.get(pk)
        if history is None:
            new.append(CustomerPriorHistory(customer_id=pk, source=source_label, **values))
            continue
        values["source"] = source_label
        if any(getattr(history, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(history, name, value)
            history.imported_at = timezone.now()
            changed.append(history)
    CustomerPriorHistory.objects.bulk_create(new)
    CustomerPriorHistory.objects.bulk_update(changed, [*HISTORY_FIELDS, "source", "imported_at"])


def prior_history_prefetch(customers) -> None:
    """Load the ids and histories of ``customers`` in two queries (a page, or one customer)."""
    models.prefetch_related_objects(list(customers), "references", "prior_history")


def prior_history_of(customer) -> CustomerPriorHistory | None:
    try:
        return customer.prior_history
    except CustomerPriorHistory.DoesNotExist:
        return None


def external_reference_of(customer) -> CustomerReference | None:
    """The customer's id in the first system they were imported from, or None."""
    references = sorted(customer.references.all(), key=lambda reference: reference.pk)
    return references[0] if references else None


def _merge(*, duplicate, survivor, user) -> None:
    CustomerReference.objects.filter(customer=duplicate).update(customer=survivor)
    if not CustomerPriorHistory.objects.filter(customer=survivor).exists():
        CustomerPriorHistory.objects.filter(customer=duplicate).update(customer=survivor)


def _count(*, customer) -> list[tuple[str, int]]:
    references = CustomerReference.objects.filter(customer=customer).count()
    return [("ids from other systems", references)] if references else []


@transaction.atomic
def _anonymise(*, customer, user) -> None:
    CustomerReference.objects.filter(customer=customer).delete()
    CustomerPriorHistory.objects.filter(customer=customer).delete()


def _panel_context(customer, request) -> dict:
    prior_history_prefetch([customer])
    return {
        "prior_history": prior_history_of(customer),
        "external_ref": external_reference_of(customer),
    }


HISTORY_SOURCE = "customers.prior_history"
HISTORY_IMPORTED = "customer.history_imported"


def _history_summary(history: CustomerPriorHistory) -> str:
    figures = []
    if history.spent is not None:
        figures.append(f"spent {format_money(history.spent)}")
    if history.orders is not None:
        figures.append(f"{history.orders} order{'' if history.orders == 1 else 's'}")
    if history.first_visit:
        figures.append(f"first visit {history.first_visit:%Y-%m-%d}")
    if history.last_visit:
        figures.append(f"last visit {history.last_visit:%Y-%m-%d}")
    return f"History before ClassicPOS, from the {history.source}: " + (
        ", ".join(figures) or "no figures"
    )


def history_entries(page: TimelinePage) -> list[TimelineEntry]:
    """The customer's history from the system they came from, as one entry, in one query."""
    if not page.wants(HISTORY_IMPORTED):
        return []
    histories = (
        CustomerPriorHistory.objects.filter(customer=page.customer)
        .filter(page.before(HISTORY_SOURCE, at="imported_at"))
        .order_by("-imported_at", "-pk")[: page.limit]
    )
    return [
        TimelineEntry(
            at=history.imported_at,
            kind=HISTORY_IMPORTED,
            summary=_history_summary(history),
            source=HISTORY_SOURCE,
            id=history.pk,
        )
        for history in histories
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=HISTORY_SOURCE,
            label="Profile changes",
            icon="bi-clock-history",
            kinds=(HISTORY_IMPORTED,),
            entries=history_entries,
            permission=VIEW_CUSTOMER,
        )
    )
    register_panel(
        CustomerPanel(
            template_name="customers/_prior_history_panel.html",
            context=_panel_context,
            order=12,  # below the orders and lifetime spend here, above the insights
            permission=VIEW_CUSTOMER,
        )
    )
    register_merge_step(
        MergeStep(
            name="prior_history",
            merge=_merge,
            count=_count,
            moves=("ids from other systems",),
            keeps=("prior_history",),
            order=90,
        )
    )
    register_anonymise_step(AnonymiseStep(name="prior_history", anonymise=_anonymise))
