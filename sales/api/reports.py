"""``GET /api/reports/sales-by-store``: the day's takings per store, from ``sales.reports``."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from classicpos.api.serializers import ApiSerializer
from classicpos.limits import MAX_ID
from sales.forms import SalesReportForm
from sales.models import Sale
from sales.permissions import VIEW_SALES_REPORT
from sales.reports import sales_by_store


class DayFiguresSerializer(ApiSerializer):
    store_id = serializers.IntegerField(source="store.pk")
    till_id = serializers.SerializerMethodField(
        method_name="get_till_id", help_text="Only with byTill=true: the till of the row."
    )
    date = serializers.DateField(source="day")
    sales = serializers.IntegerField()
    gross = serializers.DecimalField(max_digits=16, decimal_places=2)
    stored_value = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="Stored value sold (prepaid cards): taken in payments, not counted in gross.",
    )
    refunds = serializers.DecimalField(max_digits=16, decimal_places=2)
    net = serializers.DecimalField(max_digits=16, decimal_places=2)
    tax = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_method = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="What each payment method took; cash net of change.",
    )
    drawer_cash = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="The cash the drawer should hold: cash taken less refunds paid from the till.",
    )

    def get_till_id(self, row) -> int | None:
        return row.till.pk if row.till else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("by_till"):
            data.pop("tillId")
        return data


class SalesByStoreView(generics.GenericAPIView):
    """The sales, refunds, tax and payments of each store per day, in its time zone."""

    queryset = Sale.objects.none()
    serializer_class = DayFiguresSerializer
    filter_backends = []
    pagination_class = None
    action_permissions = {"report": [VIEW_SALES_REPORT]}
    action = "report"

    @extend_schema(
        summary="Sales by store and day (Manager): sales, gross, refunds, net, tax, methods",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default today)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default from)."),
            OpenApiParameter(
                "storeId",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="Only this store.",
            ),
            OpenApiParameter("byTill", OpenApiTypes.BOOL, description="One row per till."),
        ],
        responses=DayFiguresSerializer(many=True),
    )
    def get(self, request, format=None):
        form = SalesReportForm(request.query_params)
        if not form.is_valid():
            errors = {
                ("to" if field == "__all__" else field): list(messages)
                for field, messages in form.errors.items()
            }
            raise ValidationError(errors)
        arguments = form.report_arguments()
        rows = sales_by_store(**arguments)
        context = {"by_till": arguments["by_till"]}
        return Response(DayFiguresSerializer(rows, many=True, context=context).data)
