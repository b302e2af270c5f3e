"""The day's takings per store (and per till), in each store's own time zone.

What a Manager closing a store reads: how many sales, what they came to, what went
back in refunds, the tax charged, what each payment method took, and the cash the
drawer should hold. The page, the API and the CSV all show these rows; none adds
anything up itself.

Figures, for each store and local day:
- ``sales``: sales rung up; ``gross``: their totals (tax included) less the stored
  value they sold (gift cards: money owed to the holder, not revenue);
  ``stored_value``: that stored value; ``tax``: the tax charged on them.
- ``refunds``: what refunds given at the store that day were worth; ``net`` is
  gross less refunds.
- ``by_method``: what each payment method took, cash net of the change handed back.
- ``drawer_cash``: cash taken less change, less refunds paid out of the till.

Stores are grouped by time zone, so the query count grows with the zones a chain
spans (usually one), not with its stores or its days.
"""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate

from sales.models import Payment, PaymentMethod, Refund, Sale
from sales.money import ZERO, to_cents
from stores.models import Store, Till

# A report longer than this is a query nobody reads at the till; the page says so.
MAX_DAYS = 366


@dataclass
class DayFigures:
    store: Store
    day: date
    till: Till | None = None
    sales: int = 0
    gross: Decimal = ZERO
    stored_value: Decimal = ZERO
    refunds: Decimal = ZERO
    tax: Decimal = ZERO
    by_method: dict[str, Decimal] = field(default_factory=dict)
    refunds_from_till: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunds

    @property
    def drawer_cash(self) -> Decimal:
        return self.by_method.get(PaymentMethod.CASH, ZERO) - self.refunds_from_till


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"to": ["The end date is before the start date."]})
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({"to": [f"Ask for at most {MAX_DAYS} days at a time."]})


def _bounds(start: date, end: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The instants the local days ``start`` to ``end`` (inclusive) begin and end at."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def sales_by_store(
    *, start: date, end: date, store_id: int | None = None, by_till: bool = False
) -> list[DayFigures]:
    """Return one row per store (per till with ``by_till``) and local day that saw a sale or a
    refund, ordered by day, store code and till name."""
    check_period(start, end)
    stores = Store.objects.order_by("code")
    if store_id is not None:
        stores = stores.filter(pk=store_id)
    by_pk = {store.pk: store for store in stores}
    by_zone: dict[str, list[int]] = defaultdict(list)
    for store in by_pk.values():
        by_zone[store.time_zone].append(store.pk)
    tills = {till.pk: till for till in Till.objects.all()} if by_till else {}
    rows: dict[tuple, DayFigures] = {}

    def row(store_pk: int, day: date, till_pk: int | None) -> DayFigures:
        key = (store_pk, day, till_pk if by_till else None)
        if key not in rows:
            rows[key] = DayFigures(store=by_pk[store_pk], day=day, till=tills.get(key[2]))
        return rows[key]

    for zone_name, zone_stores in by_zone.items():
        zone = zoneinfo.ZoneInfo(zone_name)
        begins, ends = _bounds(start, end, zone)
        local_day = TruncDate("created_at", tzinfo=zone)
        group = ["store_id", "day", *(["till_id"] if by_till else [])]
        sales = Sale.objects.filter(
            store_id__in=zone_stores, created_at__gte=begins, created_at__lt=ends
        ).annotate(day=local_day)
        for figures in sales.values(*group).annotate(
            count=Count("id"),
            gross=Sum(F("total") - F("stored_value")),
            stored_value=Sum("stored_value"),
            tax=Sum("tax"),
            change=Sum("change"),
        ):
            day_row = row(figures["store_id"], figures["day"], figures.get("till_id"))
            day_row.sales += figures["count"]
            day_row.gross += to_cents(figures["gross"])
            day_row.stored_value += to_cents(figures["stored_value"])
            day_row.tax += to_cents(figures["tax"])
            cash = day_row.by_method.get(PaymentMethod.CASH, ZERO)
            day_row.by_method[PaymentMethod.CASH] = cash - to_cents(figures["change"])
        payments = Payment.objects.filter(
            sale__store_id__in=zone_stores,
            sale__created_at__gte=begins,
            sale__created_at__lt=ends,
        ).annotate(
            store_id=F("sale__store_id"),
            till_id=F("sale__till_id"),
            day=TruncDate("sale__created_at", tzinfo=zone),
        )
        for figures in payments.values(*group, "method").annotate(amount=Sum("amount")):
            day_row = row(figures["store_id"], figures["day"], figures.get("till_id"))
            method = figures["method"]
            day_row.by_method[method] = day_row.by_method.get(method, ZERO) + to_cents(
                figures["amount"]
            )
        refunds = Refund.objects.filter(
            store_id__in=zone_stores, created_at__gte=begins, created_at__lt=ends
        ).annotate(day=local_day)
        for figures in refunds.values(*group).annotate(
            total=Sum("total"), from_till=Sum("paid_back", filter=Q(paid_back_to=""))
        ):
            day_row = row(figures["store_id"], figures["day"], figures.get("till_id"))
            day_row.refunds += to_cents(figures["total"])
            day_row.refunds_from_till += to_cents(figures["from_till"] or ZERO)
    return sorted(
        rows.values(),
        key=lambda r: (
            r.day,
            r.store.code,
            r.till.name if r.till else "",
            r.till.pk if r.till else 0,
        ),
    )
