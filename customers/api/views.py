"""``/api/customers``: thin adapters from HTTP to the customer services and selectors."""

from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, parsers, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.bulk_reads import BulkReadPagination
from classicpos.api.idempotency import IdempotentCreateMixin, run_idempotently, validated_key
from classicpos.api.jobs import JobSerializer, accepted
from classicpos.api.renderers import CsvRenderer
from customers import services
from customers.api.filters import CustomerFilterSet
from customers.api.serializers import (
    CustomerAnonymiseSerializer,
    CustomerDetailSerializer,
    CustomerImportSerializer,
    CustomerMergeSerializer,
    CustomerSerializer,
    ImportReportSerializer,
    ImportSourcesSerializer,
    MergedCustomerSerializer,
    PossibleDuplicatesQuerySerializer,
    PossibleDuplicatesSerializer,
    TimelinePageSerializer,
    TimelineQuerySerializer,
)
from customers.duplicates import merged_into
from customers.exporting import export_response
from customers.home_stores import store_of_device
from customers.import_sources import import_sources
from customers.importing import ImportFileError, customer_import, parse_column_map
from customers.jobs import export_in_background, export_start, import_in_background, import_start
from customers.models import EDITABLE_FIELDS, Channel, Customer
from customers.permissions import (
    ANONYMISE_CUSTOMER,
    DEACTIVATE_CUSTOMER,
    EXPORT_CUSTOMER,
    IMPORT_CUSTOMER,
    MERGE_CUSTOMER,
)
from customers.prior_history import prior_history_prefetch
from customers.selectors import (
    customer_duplicates_to_confirm,
    customer_list,
)
from customers.timeline import customer_timeline

# What PUT leaves a field it was not given: the model's default, what a new customer has
# (a copy of three of them here could drift from the model's).
PUT_CLEARS_TO = {
    field: Customer._meta.get_field(field).get_default()
    for field in EDITABLE_FIELDS
    if field != "tags"
}


def change_by(request) -> dict:
    """Return who changes a customer through the API, as the services record it."""
    return {"actor": request.user, "channel": Channel.API}


@extend_schema_view(
    list=extend_schema(summary="List customers (paginated, searchable, filterable)"),
    retrieve=extend_schema(
        summary="Get one customer",
        responses={
            200: CustomerDetailSerializer,
            301: OpenApiResponse(
                response=MergedCustomerSerializer,
                description=(
                    "This customer was merged into another; `Location` is the survivor's URL "
                    "(`/api/customers/<mergedInto>`)."
                ),
            ),
        },
    ),
    create=extend_schema(summary="Create a customer (honours Idempotency-Key)"),
    update=extend_schema(summary="Replace a customer's editable fields"),
    partial_update=extend_schema(summary="Change some of a customer's fields"),
    destroy=extend_schema(
        summary="Deactivate a customer (soft delete, idempotent)",
        responses={204: OpenApiResponse(description="The customer is inactive.")},
    ),
)
class CustomerViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Customers of the shop. ``DELETE`` deactivates; nothing is ever erased."""

    serializer_class = CustomerSerializer
    queryset = Customer.objects.all()
    filterset_class = CustomerFilterSet
    lookup_value_regex = r"\d+"
    # The list is bounded and logged for those who may not export (issue 27 #24).
    pagination_class = BulkReadPagination
    bulk_read_permission = EXPORT_CUSTOMER
    bulk_read_name = "customers"
    bulk_read_search_param = "search"
    action_permissions = {
        "destroy": [DEACTIVATE_CUSTOMER],
        "restore": [DEACTIVATE_CUSTOMER],
        "merge": [MERGE_CUSTOMER],
        "anonymise": [ANONYMISE_CUSTOMER],
        "import_customers": [IMPORT_CUSTOMER],
        "import_sources": [IMPORT_CUSTOMER],
        "export": [EXPORT_CUSTOMER],
    }

    def filter_queryset(self, queryset):
        # The list's parameters narrow the list and its export; one customer is found
        # by id alone (parsing them was a third of a detail request's time).
        if self.action == "list":
            filters = self._validated_filterset(queryset).list_filters()
            # Tags in the page's own query, not one more query (or one per customer).
            return customer_list(filters=filters, with_tags=True)
        if self.action == "export":
            queryset = super().filter_queryset(queryset)
        return queryset.with_tag_names()

    def _validated_filterset(self, queryset) -> CustomerFilterSet:
        """Return the list's parameters checked, as ``DjangoFilterBackend`` does: a 400 if wrong."""
        filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset

    def retrieve(self, request, *args, **kwargs):
        customer = self.get_object()
        survivor_id = merged_into(customer)
        if survivor_id is not None:
            # A merged duplicate's id leads to the customer it became.
            location = request.build_absolute_uri(f"/api/customers/{survivor_id}")
            return Response(
                {"id": customer.pk, "mergedInto": survivor_id},
                status=status.HTTP_301_MOVED_PERMANENTLY,
                headers={"Location": location},
            )
        prior_history_prefetch([customer])
        return Response(
            CustomerDetailSerializer(customer, context=self.get_serializer_context()).data
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if "home_store" not in data:
            # Added at a till: the till's store (its paired browser, or the only till).
            data["home_store"] = store_of_device(self.request)
        serializer.instance = services.customer_create(**data, **change_by(self.request))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if not serializer.partial:
            # PUT replaces the resource: an editable field left out is cleared (tags,
            # which only a Manager may change, stay unless given).
            data = {
                field: data.get(field, PUT_CLEARS_TO.get(field))
                for field in EDITABLE_FIELDS
                if field in data or field != "tags"
            }
        serializer.instance = services.customer_update(
            customer=serializer.instance, data=data, **change_by(self.request)
        )

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/customers/{data['id']}")}

    def destroy(self, request, *args, **kwargs):
        services.customer_deactivate(customer=self.get_object(), **change_by(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Make an inactive customer active again (idempotent)", request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None, format=None):
        # Safe to repeat (the service is idempotent), so no replay; the key is checked all the same.
        validated_key(request)
        customer = services.customer_restore(customer=self.get_object(), **change_by(request))
        return Response(self.get_serializer(customer).data)

    @extend_schema(
        summary="Everything that happened to this customer, newest first (cursor-paginated)",
        description=(
            "Profile changes with who made them and through which channel, sales and refunds, "
            "points, invoices and payments, store credit and CRM activities, merged in one "
            "order. `next` leads to older entries; `kind` filters by a kind or its prefix."
        ),
        parameters=[TimelineQuerySerializer],
        responses={200: TimelinePageSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, pk=None, format=None):
        customer = self.get_object()
        query = TimelineQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        values = query.validated_data
        try:
            page = customer_timeline(
                customer=customer,
                user=request.user,
                limit=values["page_size"],
                cursor=values.get("cursor"),
                kind=values.get("kind", ""),
            )
        except ValueError as error:
            raise exceptions.ValidationError({"cursor": [str(error)]}) from None
        next_url = None
        if page.next_cursor:
            params = request.query_params.copy()
            params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        entries = [
            {
                "at": entry.at,
                "kind": entry.kind,
                "summary": entry.summary,
                "actor": entry.actor,
                "link": entry.link,
                **({"changes": entry.changes} if entry.changes else {}),
            }
            for entry in page.entries
        ]
        return Response(TimelinePageSerializer({"next": next_url, "results": entries}).data)

    @extend_schema(
        summary="Merge a duplicate into this customer (Manager)",
        description=(
            "One transaction: the duplicate's sales, invoices and CRM activities move here, its "
            "points and store credit move through their ledgers, and it is deactivated with "
            "`mergedInto` set, so `GET /api/customers/<duplicate>` answers 301 to this customer."
        ),
        request=CustomerMergeSerializer,
        responses={200: CustomerSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None, format=None):
        # A retry of a merge that went through gets its answer, not "already merged".
        return run_idempotently(request, lambda: self._merge(request))

    def _merge(self, request) -> Response:
        survivor = self.get_object()
        serializer = CustomerMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate_id = serializer.validated_data["duplicate_id"]
        duplicate = Customer.objects.filter(pk=duplicate_id).first()
        if duplicate is None:
            raise exceptions.ValidationError(
                {"duplicateId": [f"There is no customer #{duplicate_id}."]}
            )
        survivor = services.customer_merge(
            survivor=survivor,
            duplicate=duplicate,
            **change_by(request),
            fields=serializer.validated_data.get("values_from"),
        )
        return Response(self.get_serializer(survivor).data)

    @extend_schema(
        summary="Erase a customer's personal data on request (Manager; irreversible)",
        description=(
            "`confirm` must be the customer's current name. Sales, invoices and ledgers stay; "
            "a wrong confirmation is a 400."
        ),
        request=CustomerAnonymiseSerializer,
        responses={200: CustomerSerializer},
    )
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None, format=None):
        validated_key(request)
        serializer = CustomerAnonymiseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.customer_anonymise(
            customer=self.get_object(),
            confirm=serializer.validated_data["confirm"],
            **change_by(request),
        )
        return Response(self.get_serializer(customer).data)

    @extend_schema(
        summary="Import customers from a CSV file (Manager)",
        description=(
            "Multipart upload. Rows matching a customer by email or phone update them; a "
            "second upload of the same file changes nothing, so a retry is safe. A name alone "
            "never matches: a row with neither email nor phone is a new customer every time "
            "(`newWithoutContact`). `updates` lists each customer changed, field by field "
            "(old, new). Rows with errors are skipped and listed; `dryRun=true` saves nothing. "
            "A file of more rows than the server imports in a request "
            "(`CLASSICPOS_IMPORT_BACKGROUND_ROWS`, 1,000 by default) is queued as a background "
            "job instead: 202 with the job; poll `GET /api/jobs/{id}` until it is `done`, and "
            "read this report in its `summary` (the error report is its `resultUrl`). An "
            "`Idempotency-Key` retry gets the same job back."
        ),
        request={"multipart/form-data": CustomerImportSerializer},
        responses={200: ImportReportSerializer, 202: JobSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def import_customers(self, request, format=None):
        key = validated_key(request)
        serializer = CustomerImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        content = data["file"].read()
        if import_in_background(content, data["encoding"]):
            try:
                parse_column_map(data.get("columns") or "")
            except ImportFileError as error:
                raise exceptions.ValidationError({"columns": [str(error)]}) from None
            job = import_start(
                user=request.user,
                file_name=data["file"].name,
                content=content,
                encoding=data["encoding"],
                columns=data.get("columns") or "",
                dry_run=data["dry_run"],
                skip_existing=data["skip_existing"],
                source=data.get("source", ""),
                idempotency_key=key or "",
            )
            return accepted(request, job)
        data["file"].seek(0)
        try:
            report = customer_import(
                file=data["file"],
                user=request.user,
                encoding=data["encoding"],
                column_map=parse_column_map(data.get("columns") or ""),
                dry_run=data["dry_run"],
                skip_existing=data["skip_existing"],
                source_name=data.get("source", ""),
            )
        except ImportFileError as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from None
        return Response(report.as_dict())

    @extend_schema(
        summary="The systems an import file is recognised from",
        description=(
            "Each preset: its `name` (what `source` may force), what the report calls it, and "
            "the columns that identify its export. A file in ClassicPOS's own columns needs none."
        ),
        responses={200: ImportSourcesSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="import/sources",
        pagination_class=None,
        filterset_class=None,
    )
    def import_sources(self, request, format=None):
        sources = [
            {"name": source.name, "label": source.label, "identified_by": list(source.identify)}
            for source in import_sources()
        ]
        return Response(ImportSourcesSerializer({"results": sources}).data)

    @extend_schema(
        summary="Who a new customer with this phone might already be",
        description=(
            "The customers who already have the phone (normalised as a save would), with "
            "`similar name` when the name is close too: the question the staff form asks "
            "before adding, for a till to ask as well. `POST /api/customers` itself saves "
            "regardless; a family may share a number."
        ),
        parameters=[PossibleDuplicatesQuerySerializer],
        responses={200: PossibleDuplicatesSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="duplicates",
        pagination_class=None,
        filterset_class=None,
    )
    def duplicates(self, request, format=None):
        query = PossibleDuplicatesQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        found = customer_duplicates_to_confirm(
            name=query.validated_data.get("name", ""), phone=query.validated_data.get("phone", "")
        )
        return Response(PossibleDuplicatesSerializer({"results": found}).data)

    @extend_schema(
        methods=["GET"],
        summary="Export customers as CSV (Manager)",
        description=(
            "The list's query parameters choose and order the rows (no pagination); the "
            "columns are the ones the import reads. Streamed. More customers than the server "
            "exports in a request (`CLASSICPOS_EXPORT_BACKGROUND_ROWS`, 10,000 by default) is "
            "a 400 that says to POST instead."
        ),
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @extend_schema(
        methods=["POST"],
        summary="Export customers as CSV in the background (Manager)",
        description=(
            "The same export, of any size, as a background job: 202 with the job; poll "
            "`GET /api/jobs/{id}` until it is `done`, then download its `resultUrl`."
        ),
        request=None,
        responses={202: JobSerializer},
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="export",
        renderer_classes=[CsvRenderer, renderers.JSONRenderer],
        pagination_class=None,
    )
    def export(self, request, format=None):
        customers = self.filter_queryset(self.get_queryset())
        if request.method == "POST":
            job = export_start(
                user=request.user,
                query=request.query_params,
                api=True,
                idempotency_key=validated_key(request) or "",
            )
            return accepted(request, job)
        if export_in_background(customers):
            raise exceptions.ValidationError(
                {
                    "detail": [
                        f"More than {settings.CLASSICPOS_EXPORT_BACKGROUND_ROWS:,} customers "
                        "match: POST to this address to export them as a background job "
                        "(202, then GET /api/jobs/{id} until it is done)."
                    ]
                }
            )
        return export_response(customers)
