"""Sales and refunds in the customer's timeline (``customers.timeline``).

Two sources, one query each per page: a sale is an entry when it is rung up, a refund when
it is given, each dated by its own ``created_at``. A refund names its sale and links to the
sale's page, where the receipt lists every refund; the sale's entry keeps the total as rung
up, so the story reads as it happened rather than as the sale stands today.
"""

from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from classicpos.money_format import format_money
from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source
from sales.models import Refund, Sale, SaleLine
from sales.permissions import VIEW_SALE

SALE_SOURCE = "sales.sale"
REFUND_SOURCE = "sales.refund"
SALE_COMPLETED = "sale.completed"
SALE_REFUNDED = "sale.refunded"


def _sale_number(sale: Sale) -> str:
    return sale.number or f"#{sale.pk}"


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def _sale_summary(sale: Sale) -> str:
    return f"Sale {_sale_number(sale)} · {format_money(sale.total)} · {_items(sale.item_count)}"


def sale_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's sales before the cursor, newest first, in one query."""
    # The item count rides along as a subquery, so counting lines costs no query per sale.
    items = (
        SaleLine.objects.filter(sale=OuterRef("pk"))
        .order_by()
        .values("sale")
        .annotate(quantity=Sum("quantity"))
        .values("quantity")
    )
    sales = (
        Sale.objects.filter(customer=page.customer)
        .filter(page.before(SALE_SOURCE, at="created_at"))
        .select_related("cashier")
        .annotate(item_count=Coalesce(Subquery(items, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=sale.created_at,
            kind=SALE_COMPLETED,
            summary=_sale_summary(sale),
            source=SALE_SOURCE,
            id=sale.pk,
            actor=sale.cashier.get_username() if sale.cashier_id else None,
            link=sale.get_absolute_url(),
        )
        for sale in sales[: page.limit]
    ]


def _refund_summary(refund: Refund) -> str:
    summary = f"Refund of {format_money(refund.total)} on sale {_sale_number(refund.sale)}"
    return f"{summary} · {refund.reason}" if refund.reason else summary


def refund_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the refunds of the customer's sales before the cursor, newest first, in one
    query."""
    refunds = (
        Refund.objects.filter(sale__customer=page.customer)
        .filter(page.before(REFUND_SOURCE, at="created_at"))
        .select_related("sale", "created_by")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=refund.created_at,
            kind=SALE_REFUNDED,
            summary=_refund_summary(refund),
            source=REFUND_SOURCE,
            id=refund.pk,
            actor=refund.created_by.get_username() if refund.created_by_id else None,
            link=reverse("sales:sale_detail", kwargs={"pk": refund.sale_id}),
        )
        for refund in refunds[: page.limit]
    ]


def connect() -> None:
    register_timeline_source(
        TimelineSource(
            name=SALE_SOURCE,
            label="Sales and refunds",
            icon="bi-receipt",
            kinds=(SALE_COMPLETED,),
            entries=sale_entries,
            permission=VIEW_SALE,
        )
    )
    register_timeline_source(
        TimelineSource(
            name=REFUND_SOURCE,
            label="Sales and refunds",
            icon="bi-receipt",
            kinds=(SALE_REFUNDED,),
            entries=refund_entries,
            permission=VIEW_SALE,
        )
    )
