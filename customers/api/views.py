"""``/api/customers``: thin adapters from HTTP to the customer services and selectors."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import IdempotentCreateMixin
from customers import services
from customers.api.filters import CustomerFilterSet
from customers.api.serializers import CustomerSerializer
from customers.models import EDITABLE_FIELDS, Customer
from customers.permissions import DEACTIVATE_CUSTOMER


@extend_schema_view(
    list=extend_schema(summary="List customers (paginated, searchable, filterable)"),
    retrieve=extend_schema(summary="Get one customer"),
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
    action_permissions = {
        "destroy": [DEACTIVATE_CUSTOMER],
        "restore": [DEACTIVATE_CUSTOMER],
    }

    def perform_create(self, serializer):
        serializer.instance = services.customer_create(**serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if not serializer.partial:
            # PUT replaces the resource: an editable field left out is cleared.
            data = {field: data.get(field) for field in EDITABLE_FIELDS}
        serializer.instance = services.customer_update(customer=serializer.instance, data=data)

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/customers/{data['id']}")}

    def destroy(self, request, *args, **kwargs):
        services.customer_deactivate(customer=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Make an inactive customer active again (idempotent)", request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        customer = services.customer_restore(customer=self.get_object())
        return Response(self.get_serializer(customer).data)
