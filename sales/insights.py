"""The Insights panel's chart: spend and visits per month, laid out as SVG bars on the server.

A till runs on a LAN with no chart library to fetch, and the page computes nothing itself,
so this module turns the monthly figures into whole-number coordinates in the SVG's own
units (its ``viewBox``, which scales the drawing to any width) and the template writes the
shapes, the words and the table that says the same thing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dateformat import format as format_date

from classicpos.money_format import format_money
from sales.money import ZERO
from sales.selectors import MonthlySales

WIDTH = 480
BAR_GAP = 6
SPEND_TOP, SPEND_BOTTOM = 30, 130
VISITS_TOP, VISITS_BOTTOM = 164, 204
SPEND_TITLE_Y, VISITS_TITLE_Y, MONTH_LABEL_Y = 20, 156, 228
HEIGHT = 236
# Months labelled under the bars: a quarter's first month on a wide screen; only January
# and July on a phone (the template's CSS hides "minor" labels there), so none collide.
MAJOR_MONTHS = (1, 7)
MINOR_MONTHS = (4, 10)


@dataclass(frozen=True)
class ChartBar:
    month: date
    spend: Decimal
    visits: int
    x: int  # the bar's left edge
    width: int
    spend_y: int
    spend_height: int
    visits_y: int
    visits_height: int
    label: str  # "major", "minor" or "" (no label under this bar)
    label_text: str  # "Jan 2025", "Apr": the year on January and on the first label
    label_x: int
    label_anchor: str  # SVG text-anchor: the first and last labels lean inwards


@dataclass(frozen=True)
class InsightsChart:
    months: list[MonthlySales]
    bars: list[ChartBar]
    total_spend: Decimal
    total_visits: int
    max_spend: Decimal
    max_visits: int
    busiest: MonthlySales | None  # the month with the highest spend (the latest of equals)
    recent_spend: Decimal  # the last 12 months
    recent_visits: int
    earlier_spend: Decimal  # the 12 months before them
    earlier_visits: int
    summary: str  # one sentence: the chart's accessible name
    width: int = WIDTH
    height: int = HEIGHT
    spend_top: int = SPEND_TOP
    spend_bottom: int = SPEND_BOTTOM
    visits_top: int = VISITS_TOP
    visits_bottom: int = VISITS_BOTTOM
    spend_title_y: int = SPEND_TITLE_Y
    visits_title_y: int = VISITS_TITLE_Y
    month_label_y: int = MONTH_LABEL_Y

    @property
    def is_empty(self) -> bool:
        return self.total_visits == 0


def _scaled(value: Decimal, largest: Decimal, span: int) -> int:
    """Return ``value``'s bar height out of ``span`` units; a non-zero value shows at least 1."""
    if not value or not largest:
        return 0
    height = int((Decimal(value) * span / largest).to_integral_value(rounding=ROUND_HALF_UP))
    return max(height, 1)


def _label(month: date) -> str:
    if month.month in MAJOR_MONTHS:
        return "major"
    if month.month in MINOR_MONTHS:
        return "minor"
    return ""


def insights_chart(*, months: list[MonthlySales]) -> InsightsChart:
    """Lay out ``months`` (oldest first, as ``customer_monthly_sales`` returns them)."""
    slot = WIDTH // max(len(months), 1)
    max_spend = max((month.spend for month in months), default=ZERO)
    max_visits = max((month.visits for month in months), default=0)
    bars = []
    year_shown = False
    for index, month in enumerate(months):
        label = _label(month.month)
        with_year = bool(label) and (month.month.month == 1 or not year_shown)
        year_shown = year_shown or bool(label)
        spend_height = _scaled(month.spend, max_spend, SPEND_BOTTOM - SPEND_TOP)
        visits_height = _scaled(month.visits, max_visits, VISITS_BOTTOM - VISITS_TOP)
        left = index * slot
        if index < 2:
            anchor, label_x = "start", left
        elif index >= len(months) - 2:
            anchor, label_x = "end", left + slot
        else:
            anchor, label_x = "middle", left + slot // 2
        bars.append(
            ChartBar(
                month=month.month,
                spend=month.spend,
                visits=month.visits,
                x=left + BAR_GAP // 2,
                width=slot - BAR_GAP,
                spend_y=SPEND_BOTTOM - spend_height,
                spend_height=spend_height,
                visits_y=VISITS_BOTTOM - visits_height,
                visits_height=visits_height,
                label=label,
                label_text=format_date(month.month, "M Y" if with_year else "M") if label else "",
                label_x=label_x,
                label_anchor=anchor,
            )
        )
    busiest = None
    for month in months:
        if month.spend and (busiest is None or month.spend >= busiest.spend):
            busiest = month
    recent, earlier = months[-12:], months[:-12]
    total_spend = sum((month.spend for month in months), ZERO)
    total_visits = sum(month.visits for month in months)
    return InsightsChart(
        months=months,
        bars=bars,
        total_spend=total_spend,
        total_visits=total_visits,
        max_spend=max_spend,
        max_visits=max_visits,
        busiest=busiest,
        recent_spend=sum((month.spend for month in recent), ZERO),
        recent_visits=sum(month.visits for month in recent),
        earlier_spend=sum((month.spend for month in earlier), ZERO),
        earlier_visits=sum(month.visits for month in earlier),
        summary=_summary(months, total_spend, total_visits, busiest),
    )


def _summary(months, total_spend: Decimal, total_visits: int, busiest) -> str:
    if not months:
        return "No months to show."
    period = f"{format_date(months[0].month, 'M Y')} to {format_date(months[-1].month, 'M Y')}"
    visits = f"{total_visits} visit{'' if total_visits == 1 else 's'}"
    sentence = f"Spend and visits per month, {period}: {format_money(total_spend)} over {visits}"
    if busiest is not None:
        sentence += f", most in {format_date(busiest.month, 'F Y')} ({format_money(busiest.spend)})"
    return sentence + "."
