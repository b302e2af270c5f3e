"""The points liability page and its CSV: ``loyalty.liability``'s figures laid out, not counted."""

import csv

from django.http import HttpResponse
from django.views.generic import TemplateView

from classicpos.views import StaffPageMixin
from customers.csv_io import neutralise
from loyalty.liability import PointsLiability, points_liability
from loyalty.permissions import VIEW_LIABILITY


class PointsLiabilityView(StaffPageMixin, TemplateView):
    """``/loyalty/liability/``: the points the shop owes, by tier, month earned and expiry."""

    permission_required = VIEW_LIABILITY
    template_name = "loyalty/points_liability.html"

    def get(self, request, *args, **kwargs):
        report = points_liability()
        if request.GET.get("download") == "csv":
            return liability_csv(report)
        return self.render_to_response(self.get_context_data(report=report))


def liability_csv(report: PointsLiability) -> HttpResponse:
    """Return the report as one CSV of sections (a tier's name never runs as a formula)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="points-liability.csv"'
    writer = csv.writer(response)
    writer.writerow(["Section", "Row", "Points", "Worth"])
    sections = [
        ("By tier", report.by_tier),
        ("By month earned", report.by_month_earned),
        ("Expiring", report.expiring),
    ]
    for section, rows in sections:
        for row in rows:
            writer.writerow([section, neutralise(row.label), row.points, row.worth])
    writer.writerow(["Total", f"as of {report.as_of.isoformat()}", report.points, report.worth])
    return response
