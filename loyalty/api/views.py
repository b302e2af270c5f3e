"""Loyalty endpoints: the ledger (read-only) and a Manager's adjustments."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.response import Response

from classicpos.api.idempotency import run_idempotently
from classicpos.api.permissions import IsStaff
from customers.models import Customer
from loyalty import services
from loyalty.api.filters import LoyaltyTransactionFilterSet
from loyalty.api.serializers import (
    AdjustmentSerializer,
    LoyaltyProgramSerializer,
    LoyaltyTransactionSerializer,
)
from loyalty.models import LoyaltyProgram, LoyaltyTransaction
from loyalty.permissions import ADJUST_POINTS, VIEW_LEDGER
from loyalty.selectors import customer_ledger, ledger_list
from stores.selectors import till_named


class LoyaltyTransactionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every points change of every customer, newest first."""

    serializer_class = LoyaltyTransactionSerializer
    queryset = LoyaltyTransaction.objects.none()
    filterset_class = LoyaltyTransactionFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ledger_list()


class CustomerLoyaltyView(generics.ListAPIView):
    """``GET /api/customers/:id/loyalty``: one customer's ledger, newest first."""

    serializer_class = LoyaltyTransactionSerializer
    queryset = LoyaltyTransaction.objects.none()
    filter_backends = []

    def get_queryset(self):
        customer = get_object_or_404(Customer, pk=self.kwargs["customer_id"])
        return customer_ledger(customer=customer)


class CustomerLoyaltyAdjustmentView(generics.GenericAPIView):
    """``POST /api/customers/:id/loyalty-adjustments``: a Manager's correction with a reason."""

    serializer_class = AdjustmentSerializer
    queryset = LoyaltyTransaction.objects.none()
    action_permissions = {"create": [ADJUST_POINTS, VIEW_LEDGER]}
    action = "create"

    @extend_schema(
        summary="Adjust a customer's points (Manager; honours Idempotency-Key)",
        request=AdjustmentSerializer,
        responses={201: LoyaltyTransactionSerializer},
    )
    def post(self, request, customer_id: int):
        return run_idempotently(request, lambda: self._adjust(request, customer_id))

    def _adjust(self, request, customer_id: int) -> Response:
        customer = get_object_or_404(Customer, pk=customer_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        till = till_named(values.pop("till_id", None))
        row = services.points_adjust(customer=customer, user=request.user, till=till, **values)
        return Response(LoyaltyTransactionSerializer(row).data, status=status.HTTP_201_CREATED)


class LoyaltyProgramView(generics.GenericAPIView):
    """``GET /api/loyalty-program``: the rules the till needs to offer points as payment."""

    queryset = LoyaltyTransaction.objects.none()
    permission_classes = [IsStaff]

    @extend_schema(
        summary="The loyalty program's current rules", responses=LoyaltyProgramSerializer
    )
    def get(self, request):
        return Response(LoyaltyProgramSerializer(LoyaltyProgram.current()).data)
