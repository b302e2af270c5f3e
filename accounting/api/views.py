"""Accounting endpoints: thin adapters to the services and selectors."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounting import services
from accounting.api.filters import InvoiceFilterSet
from accounting.api.serializers import (
    AccountSerializer,
    AccountUpdateSerializer,
    InvoicePaymentCreateSerializer,
    InvoiceSerializer,
    StatementSerializer,
    StoreCreditAdjustmentSerializer,
    StoreCreditEntrySerializer,
)
from accounting.forms import StatementForm
from accounting.models import CustomerAccount, Invoice, StoreCreditEntry
from accounting.permissions import (
    ADJUST_STORE_CREDIT,
    RECORD_PAYMENT,
    VIEW_INVOICE,
    VIEW_STORE_CREDIT,
)
from accounting.selectors import (
    account_summary,
    customer_statement,
    invoice_list,
    store_credit_ledger,
)
from classicpos.api.idempotency import run_idempotently
from customers.models import Customer
from stores.selectors import till_named


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invoices of sales on account, newest first; payments are recorded against one."""

    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.none()
    filterset_class = InvoiceFilterSet
    lookup_value_regex = r"\d+"
    action_permissions = {"payments": [RECORD_PAYMENT, VIEW_INVOICE]}

    def get_queryset(self):
        return invoice_list()

    @extend_schema(
        summary="Record a payment of an invoice, at most its balance (honours Idempotency-Key)",
        request=InvoicePaymentCreateSerializer,
        responses={201: InvoiceSerializer},
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None, format=None):
        return run_idempotently(request, lambda: self._pay(request))

    def _pay(self, request) -> Response:
        invoice = self.get_object()
        data = InvoicePaymentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        till = till_named(values.pop("till_id", None))
        services.invoice_record_payment(invoice=invoice, user=request.user, till=till, **values)
        body = InvoiceSerializer(invoice_list().get(pk=invoice.pk)).data
        location = request.build_absolute_uri(f"/api/invoices/{invoice.pk}")
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class CustomerAccountView(generics.GenericAPIView):
    """``GET``/``PATCH /api/customers/:id/account``: credit limit, what is owed, store credit."""

    queryset = CustomerAccount.objects.none()
    serializer_class = AccountSerializer

    def _customer(self) -> Customer:
        return get_object_or_404(Customer, pk=self.kwargs["customer_id"])

    @extend_schema(summary="A customer's account: limit, outstanding, overdue, store credit")
    def get(self, request, customer_id: int):
        return Response(AccountSerializer(account_summary(customer=self._customer())).data)

    @extend_schema(
        summary="Change a customer's credit limit (Manager)",
        request=AccountUpdateSerializer,
        responses=AccountSerializer,
    )
    def patch(self, request, customer_id: int):
        customer = self._customer()
        # A PATCH names what it changes: ``{}`` (valid by the schema) changes nothing.
        data = AccountUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "credit_limit" in data.validated_data:
            services.account_set_credit_limit(
                customer=customer,
                credit_limit=data.validated_data["credit_limit"],
                user=request.user,
            )
        return Response(AccountSerializer(account_summary(customer=customer)).data)


class CustomerStoreCreditView(generics.ListAPIView):
    """``GET /api/customers/:id/store-credit``: the store credit ledger, newest first."""

    serializer_class = StoreCreditEntrySerializer
    queryset = StoreCreditEntry.objects.none()
    filter_backends = []

    def get_queryset(self):
        # Also called by the permission check, so it only builds the query.
        return store_credit_ledger(customer_id=self.kwargs["customer_id"])

    def list(self, request, *args, **kwargs):
        if not Customer.objects.filter(pk=self.kwargs["customer_id"]).exists():
            raise Http404("There is no such customer.")
        return super().list(request, *args, **kwargs)


class CustomerStoreCreditAdjustmentView(generics.GenericAPIView):
    """``POST /api/customers/:id/store-credit-adjustments``: a Manager's correction."""

    serializer_class = StoreCreditAdjustmentSerializer
    queryset = StoreCreditEntry.objects.none()
    action_permissions = {"create": [ADJUST_STORE_CREDIT, VIEW_STORE_CREDIT]}
    action = "create"

    @extend_schema(
        summary="Adjust a customer's store credit with a reason (Manager; honours Idempotency-Key)",
        request=StoreCreditAdjustmentSerializer,
        responses={201: StoreCreditEntrySerializer},
    )
    def post(self, request, customer_id: int):
        return run_idempotently(request, lambda: self._adjust(request, customer_id))

    def _adjust(self, request, customer_id: int) -> Response:
        customer = get_object_or_404(Customer, pk=customer_id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        till = till_named(values.pop("till_id", None))
        entry = services.store_credit_adjust(
            customer=customer, user=request.user, till=till, **values
        )
        return Response(StoreCreditEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CustomerStatementView(generics.GenericAPIView):
    """``GET /api/customers/:id/statement?from=&to=``: lines with a running balance."""

    queryset = Invoice.objects.none()
    serializer_class = StatementSerializer
    filter_backends = []

    @extend_schema(
        summary="Statement of account for a period (default: the 30 days up to today)",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day, YYYY-MM-DD."),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Last day, YYYY-MM-DD (default today)."
            ),
        ],
    )
    def get(self, request, customer_id: int):
        customer = get_object_or_404(Customer, pk=customer_id)
        form = StatementForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        start, end = form.period()
        statement = customer_statement(customer=customer, start=start, end=end)
        return Response(StatementSerializer(statement).data)
