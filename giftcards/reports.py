"""The gift card liability laid out for the page, the API and the CSV: the rows of
``giftcards.selectors.liability`` (one grouped query) and their total, never re-counted
from the cards."""

import csv
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse

from customers.csv_io import neutralise
from giftcards.selectors import LiabilityRow, liability
from sales.money import ZERO


@dataclass(frozen=True)
class LiabilityReport:
    rows: list[LiabilityRow]
    cards: int
    outstanding: Decimal


def liability_report() -> LiabilityReport:
    """Return the outstanding balance by month of issue and issuing store, with its total."""
    rows = liability()
    return LiabilityReport(
        rows=rows,
        cards=sum(row.cards for row in rows),
        outstanding=sum((row.outstanding for row in rows), ZERO),
    )


def month_label(row: LiabilityRow) -> str:
    """Return the row's month of issue as ``YYYY-MM`` (the API's and the CSV's spelling)."""
    return row.month.strftime("%Y-%m")


def liability_csv(report: LiabilityReport) -> HttpResponse:
    """Return the report as a CSV download; a store's name never runs as a formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gift-card-liability.csv"'
    writer = csv.writer(response)
    writer.writerow(["Month issued", "Store", "Cards", "Outstanding"])
    for row in report.rows:
        writer.writerow([month_label(row), neutralise(row.store_name), row.cards, row.outstanding])
    writer.writerow(["Total", "", report.cards, report.outstanding])
    return response
