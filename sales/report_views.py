"""The sales-by-store page and its CSV: the rows of ``sales.reports``, laid out, not summed."""

import csv

from django.http import HttpResponse
from django.views.generic import TemplateView

from classicpos.views import StaffPageMixin
from sales.extensions import payment_method
from sales.forms import SalesReportForm
from sales.money import ZERO
from sales.permissions import VIEW_SALES_REPORT
from sales.reports import sales_by_store


def _method_label(code: str) -> str:
    method = payment_method(code)
    return method.label if method else code


class SalesByStoreView(StaffPageMixin, TemplateView):
    """A Manager's end of day: each store's (or till's) sales, refunds, tax, methods, cash."""

    permission_required = VIEW_SALES_REPORT
    template_name = "sales/sales_by_store.html"

    def get(self, request, *args, **kwargs):
        # Bound even on the first visit: no dates is today, every store.
        form = SalesReportForm(request.GET)
        valid = form.is_valid()
        rows = sales_by_store(**form.report_arguments()) if valid else []
        methods = sorted({code for row in rows for code in row.by_method})
        columns = [(code, _method_label(code)) for code in methods]
        by_till = valid and form.cleaned_data.get("byTill", False)
        if valid and request.GET.get("download") == "csv":
            return self._csv(rows, columns, by_till)
        query = request.GET.copy()
        query["download"] = "csv"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=rows,
                methods=columns,
                # Each row's amount per method column, in the columns' order.
                table=[
                    (row, [(label, row.by_method.get(code, ZERO)) for code, label in columns])
                    for row in rows
                ],
                by_till=by_till,
                period=(form.cleaned_data["start"], form.cleaned_data["end"]) if valid else None,
                csv_query=query.urlencode(),
            )
        )

    def _csv(self, rows, columns, by_till: bool) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sales-by-store.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "Date",
                "Store",
                *(["Till"] if by_till else []),
                "Sales",
                "Gross",
                "Stored value sold",
                "Refunds",
                "Net",
                "Tax",
                *(label for _, label in columns),
                "Cash in drawer",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row.day.isoformat(),
                    row.store.code,
                    *([row.till.name if row.till else ""] if by_till else []),
                    row.sales,
                    row.gross,
                    row.stored_value,
                    row.refunds,
                    row.net,
                    row.tax,
                    *(row.by_method.get(code, "0.00") for code, _ in columns),
                    row.drawer_cash,
                ]
            )
        return response
