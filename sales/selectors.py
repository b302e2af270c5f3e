"""Reads of sales: filtered lists, a customer's history and the figures a shopkeeper asks about."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    Max,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sales.extensions import RefundedAs, payment_method, sale_prefetches
from sales.models import CustomerSalesTotals, Product, Sale
from sales.money import ZERO, to_cents
from sales.numbers import parse_sale_number
from stores.models import Store


@dataclass(frozen=True)
class SaleFilters:
    customer_id: int | None = None
    status: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    # As typed (``s-44``); a text that is no sale number matches no sale.
    number: str | None = None


def sale_list(*, filters: SaleFilters | None = None, with_details: bool = True) -> QuerySet[Sale]:
    """Return sales newest first, with lines, payments and other modules' facts prefetched."""
    filters = filters or SaleFilters()
    sales = Sale.objects.select_related("customer", "cashier")
    if with_details:
        sales = sales.prefetch_related("lines", "payments", *sale_prefetches())
    if filters.customer_id is not None:
        sales = sales.filter(customer_id=filters.customer_id)
    if filters.status:
        sales = sales.filter(status=filters.status)
    if filters.created_after is not None:
        sales = sales.filter(created_at__gte=filters.created_after)
    if filters.created_before is not None:
        sales = sales.filter(created_at__lte=filters.created_before)
    if filters.number:
        sales = sales.filter(number=parse_sale_number(filters.number))
    return sales.order_by("-created_at", "-id")


def sale_by_number(*, text: str) -> Sale | None:
    """Return the sale whose receipt number ``text`` spells, if there is one."""
    number = parse_sale_number(text)
    return Sale.objects.filter(number=number).first() if number else None


def sale_detail_list() -> QuerySet[Sale]:
    """Return sales with everything a receipt shows, refunds included; filter it by ``pk``."""
    return (
        sale_list()
        .select_related("store", "till")
        .prefetch_related("refunds__lines", "refunds__created_by")
    )


def keep_in_hand(sale: Sale, **related: list) -> None:
    """Remember rows of ``sale``'s relations just written, as a prefetch would.

    Checkout answers with the sale it has just recorded while the store's counter
    row is still locked; reading back what it holds would only lengthen that wait.
    The rows are stored the way ``prefetch_related`` stores them, so ``sale.lines.all()``
    and the serializers read them without a query.
    """
    cache = sale.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        rows_qs = getattr(sale, name).all()
        rows_qs._result_cache = list(rows)
        rows_qs._prefetch_done = True
        cache[name] = rows_qs


def sale_with_details(sale: Sale) -> Sale:
    """Fill in what a receipt shows (``sale_detail_list``) on a sale in hand.

    Relations already held (``keep_in_hand``) are not read again.
    """
    prefetch_related_objects(
        [sale], "lines", "payments", "refunds__lines", "refunds__created_by", *sale_prefetches()
    )
    return sale


def _paid_in_kind(code: str) -> bool:
    method = payment_method(code)
    return method is not None and method.refunded_as == RefundedAs.IN_KIND


def sale_paid_in_money(*, sale: Sale) -> Decimal:
    """Return what the customer paid for ``sale``'s goods in money, not in kind.

    That is the goods' total (stored value, such as a gift card sold, is paid in money
    and is not goods) less the payments of methods refunded in kind (points, store
    credit, gift cards), which may pay only for goods: loyalty earns points on it,
    and refunds pay back its share. Uses the sale's prefetched payments when there are.
    """
    in_kind = sum(
        (payment.amount for payment in sale.payments.all() if _paid_in_kind(payment.method)),
        ZERO,
    )
    return max(sale.goods_total - in_kind, ZERO)


def sale_refundable_to(*, sale: Sale, method: str) -> Decimal:
    """Return how much of a refund can still go back to ``method`` (a card).

    What the sale paid with it, less what earlier refunds gave back to it: a card
    is never refunded more than was charged to it.
    """
    paid = sum(
        (payment.amount for payment in sale.payments.all() if payment.method == method), ZERO
    )
    returned = sum(
        (refund.paid_back for refund in sale.refunds.all() if refund.paid_back_to == method),
        ZERO,
    )
    return max(paid - returned, ZERO)


# What a customer paid for a sale after its refunds: lifetime spend and the monthly
# figures both sum this, so the months of the Insights chart add up to the Orders panel.
NET_SPEND = F("total") - F("refunded_total")


@dataclass(frozen=True)
class CustomerSalesSummary:
    visits: int
    lifetime_spend: Decimal
    average_sale: Decimal
    last_visit: datetime | None
    refunded: Decimal


def customer_sales_summary(*, customer) -> CustomerSalesSummary:
    """Return visits, lifetime spend (net of refunds), average sale, last visit and what was
    refunded, in one query: the panel's figures reconcile (spend = sales - refunded)."""
    figures = Sale.objects.filter(customer=customer).aggregate(
        visits=Count("id"),
        spend=Coalesce(Sum(NET_SPEND), ZERO),
        average=Avg(NET_SPEND),
        last=Max("created_at"),
        refunded=Coalesce(Sum("refunded_total"), ZERO),
    )
    return CustomerSalesSummary(
        visits=figures["visits"],
        lifetime_spend=to_cents(figures["spend"]),
        average_sale=to_cents(figures["average"] or ZERO),
        last_visit=figures["last"],
        refunded=to_cents(figures["refunded"]),
    )


def sales_totals_mismatches() -> list[int]:
    """Return the ids of customers whose ``CustomerSalesTotals`` row disagrees with their sales.

    The table is a cache that checkout, refund and merge keep; this recounts it
    from the sales themselves (a row missing, left over or with other figures),
    as the loyalty reconcile recounts balances from the ledger.
    """
    expected = {
        row["customer_id"]: (to_cents(row["spend"]), row["visits"], row["last"])
        for row in Sale.objects.filter(customer__isnull=False)
        .values("customer_id")
        .annotate(spend=Sum(NET_SPEND), visits=Count("id"), last=Max("created_at"))
        .order_by()
        .iterator()
    }
    kept = {
        totals.customer_id: (totals.lifetime_spend, totals.visits, totals.last_visit_at)
        for totals in CustomerSalesTotals.objects.iterator()
    }
    return sorted(
        customer_id
        for customer_id in expected.keys() | kept.keys()
        if expected.get(customer_id) != kept.get(customer_id)
    )


@dataclass(frozen=True)
class MonthlySales:
    month: date  # the first day of the month, in the shop's time zone
    spend: Decimal  # net of refunds, as in ``customer_sales_summary``
    visits: int


def _months_back(first: date, count: int) -> list[date]:
    """Return the first days of the ``count`` months ending with ``first``'s, oldest first."""
    index = first.year * 12 + first.month - 1
    return [
        date(year, month + 1, 1)
        for year, month in (divmod(index - back, 12) for back in range(count - 1, -1, -1))
    ]


def customer_monthly_sales(
    *, customer, months: int = 24, now: datetime | None = None
) -> list[MonthlySales]:
    """Return spend (net of refunds) and visits for each of the last ``months`` months, oldest
    first, months without a sale as zero; one query grouped by month, however long the history.

    Months are calendar months in the shop's time zone (``TIME_ZONE``), so a sale late on
    the last evening of a month counts in that month, as the shop saw it. A refund counts
    in the month of its sale, as it does in lifetime spend.
    """
    local_now = timezone.localtime(now)
    calendar = _months_back(date(local_now.year, local_now.month, 1), months)
    start = datetime(calendar[0].year, calendar[0].month, 1, tzinfo=local_now.tzinfo)
    rows = (
        Sale.objects.filter(customer=customer, created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(spend=Coalesce(Sum(NET_SPEND), ZERO), visits=Count("id"))
        .order_by("month")
    )
    by_month = {timezone.localtime(row["month"]).date(): row for row in rows}
    figures = []
    for month in calendar:
        row = by_month.get(month)
        figures.append(
            MonthlySales(
                month=month,
                spend=to_cents(row["spend"]) if row else ZERO,
                visits=row["visits"] if row else 0,
            )
        )
    return figures


@dataclass(frozen=True)
class StoreSales:
    """What one customer bought at one store."""

    store_id: int
    store_name: str
    visits: int
    spend: Decimal  # net of refunds, as in ``customer_sales_summary``
    last_visit: datetime | None


def customer_sales_by_store(*, customer) -> list[StoreSales]:
    """Return visits, spend (net of refunds) and the last visit at every store of the chain,
    stores where the customer never bought at zero; one query, however many sales.

    From the stores' side, each joined to this customer's sales only (the sales'
    ``(store, customer)`` index): so the answer also says how many stores the chain
    has, and the customer page shows the figures only in a chain of several.
    """
    rows = (
        Store.objects.annotate(
            bought=FilteredRelation("sales", condition=Q(sales__customer=customer))
        )
        .values("pk", "name")
        .annotate(
            visits=Count("bought__id"),
            spend=Coalesce(Sum(F("bought__total") - F("bought__refunded_total")), ZERO),
            last=Max("bought__created_at"),
        )
        .order_by("name", "pk")
    )
    return [
        StoreSales(
            store_id=row["pk"],
            store_name=row["name"],
            visits=row["visits"],
            spend=to_cents(row["spend"]),
            last_visit=row["last"],
        )
        for row in rows
    ]


def product_search(*, term: str = "", active_only: bool = False) -> QuerySet[Product]:
    """Return the products a term finds, an exact SKU or barcode first, then by name."""
    products = Product.objects.search(term)
    if active_only:
        products = products.active()
    return products.order_by("-exact_match", "name", "id")
