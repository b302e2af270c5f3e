"""``/api/leads`` and ``/api/activities``: thin adapters from HTTP to the CRM services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import IdempotentCreateMixin, run_idempotently
from crm import services
from crm.api.filters import ActivityFilterSet, LeadFilterSet
from crm.api.serializers import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    LeadConversionSerializer,
    LeadSerializer,
)
from crm.models import Activity, Lead
from crm.permissions import CONVERT_LEAD, VIEW_LEAD
from crm.selectors import activity_list, customer_activities, lead_list
from customers.models import Channel, Customer


class CrmViewSet(
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, create, get and ``PATCH``; nothing is replaced whole or deleted."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    resource = ""

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/{self.resource}/{data['id']}")}


@extend_schema_view(
    list=extend_schema(summary="List leads (paginated; status, owner, search)"),
    retrieve=extend_schema(summary="Get one lead"),
    create=extend_schema(summary="Add a lead (honours Idempotency-Key)"),
    partial_update=extend_schema(
        summary="Change a lead (reassigning and marking lost need a Manager)"
    ),
)
class LeadViewSet(CrmViewSet):
    """Prospects kept apart from customers until they buy. A lead that goes nowhere is lost."""

    serializer_class = LeadSerializer
    queryset = Lead.objects.none()
    filterset_class = LeadFilterSet
    resource = "leads"
    action_permissions = {"convert": [CONVERT_LEAD, VIEW_LEAD]}

    def get_queryset(self):
        return lead_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.lead_create(user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.lead_update(
            lead=serializer.instance, user=self.request.user, data=serializer.validated_data
        )

    @extend_schema(
        summary="Turn a lead into a customer, linking an existing one when email or phone match",
        request=None,
        responses=LeadConversionSerializer,
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None, format=None):
        return run_idempotently(request, lambda: self._convert(request))

    def _convert(self, request) -> Response:
        lead = self.get_object()
        result = services.lead_convert(lead=lead, user=request.user, channel=Channel.API)
        answer = {"customer_id": result.customer.pk, "created": result.created}
        return Response(LeadConversionSerializer(answer).data)


@extend_schema_view(
    list=extend_schema(summary="List activities (customer, lead, kind, openTasks, owner)"),
    retrieve=extend_schema(summary="Get one activity"),
    create=extend_schema(
        summary="Log an activity on a customer or a lead (honours Idempotency-Key)"
    ),
    partial_update=extend_schema(
        summary="Change an activity's subject, body, due date or done flag",
        request=ActivityUpdateSerializer,
        responses=ActivitySerializer,
    ),
)
class ActivityViewSet(CrmViewSet):
    """Notes, calls, emails, meetings and tasks, each on one customer or one lead."""

    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    filterset_class = ActivityFilterSet
    resource = "activities"

    def get_queryset(self):
        return activity_list()

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ActivityUpdateSerializer
        return ActivitySerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        contacts = {
            "customer": self._contact(Customer, data.pop("customer_id", None), "customerId"),
            "lead": self._contact(Lead, data.pop("lead_id", None), "leadId"),
        }
        activity = services.activity_create(author=self.request.user, **contacts, **data)
        serializer.instance = activity_list().get(pk=activity.pk)

    @staticmethod
    def _contact(model, pk: int | None, field: str):
        if pk is None:
            return None
        contact = model.objects.filter(pk=pk).first()
        if contact is None:
            label = model._meta.verbose_name
            raise exceptions.ValidationError({field: [f"There is no {label} #{pk}."]})
        return contact

    def perform_update(self, serializer):
        activity = services.activity_update(
            activity=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = activity_list().get(pk=activity.pk)


class CustomerActivityListView(generics.ListAPIView):
    """``GET /api/customers/:id/activities``: one customer's activities, newest first."""

    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    filter_backends = []

    @extend_schema(summary="A customer's activities, newest first (paginated)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The permission check asks for the queryset too: look the customer up once.
        if not hasattr(self, "customer"):
            self.customer = get_object_or_404(Customer, pk=self.kwargs["customer_id"])
        return customer_activities(customer=self.customer)
