"""``GET /api/customers/:id/data-export``: everything held about a customer (Managers).

The JSON by default, ``?format=zip`` (or ``Accept: application/zip``) for the same as
a ZIP of CSV files; both from ``customers.data_export``, and each download recorded
in the customer's history.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, renderers, serializers

from classicpos.api.serializers import ApiSerializer
from customers.data_export import customer_data_download, download_response
from customers.models import Channel, Customer
from customers.permissions import EXPORT_CUSTOMER


class ZipRenderer(renderers.BaseRenderer):
    """Lets ``?format=zip`` and ``Accept: application/zip`` reach the view's own ZIP answer.

    Anything else rendered through it is an error's problem document: JSON.
    """

    media_type = "application/zip"
    format = "zip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data, renderer_context=renderer_context)


class DataExportSerializer(ApiSerializer):
    """The export's shape (documentation only: the view writes the JSON itself)."""

    exported_at = serializers.DateTimeField()
    customer = serializers.DictField(help_text="The profile, as `GET /api/customers/:id` shows it.")
    sections = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text=(
            "Each module's rows about the customer, by section (`sales`, `points`, "
            "`invoices`, `giftCards`...): amounts as text, dates and moments ISO 8601."
        ),
    )


class CustomerDataExportView(generics.GenericAPIView):
    """A customer's "Download my data" (GDPR articles 15 and 20)."""

    queryset = Customer.objects.all()
    serializer_class = DataExportSerializer
    renderer_classes = [renderers.JSONRenderer, ZipRenderer]
    filter_backends = []
    pagination_class = None
    action = "data_export"
    action_permissions = {"data_export": [EXPORT_CUSTOMER]}

    @extend_schema(
        summary="Download everything held about a customer (Manager)",
        description=(
            "One document with the profile and every module's rows about the customer: "
            "history of changes, sales with lines, payments and refunds, points, account, "
            "invoices and their payments, store credit, gift cards (last 4, balance, status, "
            "entries), CRM leads and activities. `format=zip` answers the same as a ZIP of "
            "CSV files, one per section (a section's own rows, such as a sale's lines, in "
            "`sales.lines.csv`). Each download is recorded in the customer's history "
            "(`customer.data_exported`)."
        ),
        responses={
            (200, "application/json"): DataExportSerializer,
            (200, "application/zip"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk, format=None):
        customer = self.get_object()
        export = customer_data_download(customer=customer, actor=request.user, channel=Channel.API)
        return download_response(
            customer, export, as_zip=request.accepted_renderer.format == ZipRenderer.format
        )
