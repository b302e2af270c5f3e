"""``/api/products``, ``/api/sales`` and ``/api/customers/:id/sales``: thin adapters to services."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import IdempotentCreateMixin, run_idempotently, validated_key
from classicpos.limits import is_id
from customers.models import Customer
from sales import services
from sales.api.filters import ProductFilterSet, SaleFilterSet
from sales.api.refund_serializers import RefundCreateSerializer, RefundSerializer
from sales.api.serializers import (
    ProductSerializer,
    QuoteRequestSerializer,
    QuoteSerializer,
    SaleCreateSerializer,
    SaleSerializer,
)
from sales.customer_alerts import AlertOverride, customer_pick_warnings
from sales.extensions import payment_method, stored_value_kinds
from sales.models import Product, Sale
from sales.permissions import ADD_SALE, REFUND_SALE, VIEW_SALE
from sales.quotes import LineInput, PaymentInput, sale_quote
from sales.selectors import SaleFilters, sale_detail_list, sale_list, sale_with_details
from stores.selectors import till_for_sale


@extend_schema_view(
    destroy=extend_schema(
        summary="Stop selling a product (sets active=false; sales keep it)",
        responses={204: OpenApiResponse(description="The product is inactive.")},
    )
)
class ProductViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Products the till sells. ``DELETE`` retires a product; past sales keep it."""

    serializer_class = ProductSerializer
    queryset = Product.objects.all()
    filterset_class = ProductFilterSet
    lookup_value_regex = r"\d+"

    def perform_create(self, serializer):
        serializer.instance = services.product_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            product=serializer.instance, data=serializer.validated_data
        )

    def destroy(self, request, *args, **kwargs):
        services.product_update(product=self.get_object(), data={"active": False})
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/products/{data['id']}")}


class SaleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Sales: ring one up (``POST``), list, read, refund. Sales are never edited or deleted."""

    serializer_class = SaleSerializer
    queryset = Sale.objects.none()
    filterset_class = SaleFilterSet
    lookup_value_regex = r"\d+"
    action_permissions = {
        "refund": [REFUND_SALE, VIEW_SALE],
        "quote": [ADD_SALE],
    }

    def get_queryset(self):
        return sale_list()

    def get_object(self):
        sale = get_object_or_404(sale_detail_list(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, sale)
        return sale

    @extend_schema(
        summary="Ring up a sale (honours Idempotency-Key)",
        request=SaleCreateSerializer,
        responses={201: SaleSerializer},
    )
    def create(self, request, *args, **kwargs):
        return run_idempotently(request, lambda: self._checkout(request))

    def _checkout(self, request) -> Response:
        data = SaleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        sale = services.sale_checkout(
            cashier=request.user,
            customer_id=values.get("customer_id"),
            lines=_line_inputs(values),
            payments=_payment_inputs(values),
            discount=values.get("discount"),
            till_id=values.get("till_id"),
            alert_override=_alert_override(values),
        )
        body = SaleSerializer(sale_with_details(sale)).data
        location = request.build_absolute_uri(f"/api/sales/{sale.pk}")
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Price a cart: subtotal, discount, tax, total, what is due, how it can be paid",
        request=QuoteRequestSerializer,
        responses={200: QuoteSerializer},
    )
    @action(detail=False, methods=["post"])
    def quote(self, request, format=None):
        # A quote changes nothing, so a retry is safe without replaying; the key is checked all
        # the same.
        validated_key(request)
        data = QuoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        till = till_for_sale(till_id=values.get("till_id"), user=request.user)
        customer = _quote_customer(values.get("customer_id"))
        quote = sale_quote(
            lines=_line_inputs(values),
            discount=values.get("discount"),
            customer=customer,
            payments=_payment_inputs(values),
            store=till.store,
            user=request.user,
            alert_override=_alert_override(values),
        )
        warnings = customer_pick_warnings(customer=customer, user=request.user)
        return Response(QuoteSerializer(quote, context={"customer_warnings": warnings}).data)

    @extend_schema(
        summary="Refund lines of a sale, or all that is left with {} (Manager)",
        request=RefundCreateSerializer,
        responses={201: RefundSerializer},
    )
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None, format=None):
        return run_idempotently(request, lambda: self._refund(request))

    def _refund(self, request) -> Response:
        sale = self.get_object()
        data = RefundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = [
            services.RefundLineInput(sale_line_id=line["sale_line_id"], quantity=line["quantity"])
            for line in data.validated_data.get("lines", [])
        ]
        refund = services.sale_refund(
            sale=sale,
            user=request.user,
            lines=lines,
            reason=data.validated_data.get("reason", ""),
            refund_to=data.validated_data.get("refund_to", ""),
            till_id=data.validated_data.get("till_id"),
        )
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


def _line_inputs(values: dict) -> list[LineInput]:
    lines = []
    for line in values.get("lines", []):
        kind = next((kind.key for kind in stored_value_kinds() if kind.key in line), "")
        if kind:
            lines.append(LineInput(kind=kind, data=line[kind]))
        else:
            lines.append(
                LineInput(
                    product_id=line["product_id"],
                    quantity=line["quantity"],
                    discount=line.get("discount"),
                )
            )
    return lines


def _payment_inputs(values: dict) -> list[PaymentInput]:
    payments = []
    for payment in values.get("payments", []):
        method = payment_method(payment["method"])
        reference = payment.get(method.reference_field, "") if method else ""
        payments.append(
            PaymentInput(method=payment["method"], amount=payment["amount"], reference=reference)
        )
    return payments


def _alert_override(values: dict) -> AlertOverride | None:
    override = values.get("alert_override")
    return None if override is None else AlertOverride(reason=override.get("reason", ""))


def _quote_customer(customer_id: int | None) -> Customer | None:
    """Return the customer a quote is for; an unknown id is a field error, like at checkout."""
    if customer_id is None:
        return None
    customer = Customer.objects.filter(pk=customer_id).first() if is_id(customer_id) else None
    if customer is None:
        raise ValidationError({"customerId": [f"There is no customer #{customer_id}."]})
    return customer


class CustomerSalesView(generics.ListAPIView):
    """``GET /api/customers/:id/sales``: that customer's history, newest first."""

    serializer_class = SaleSerializer
    queryset = Sale.objects.none()
    filter_backends = []

    def get_queryset(self):
        customer = get_object_or_404(Customer, pk=self.kwargs["customer_id"])
        return sale_list(filters=SaleFilters(customer_id=customer.pk))
