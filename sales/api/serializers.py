"""Sales and products as JSON: camelCase keys, amounts as strings."""

from rest_framework import serializers

from classicpos.api.serializers import StrictInputMixin
from sales.extensions import sale_facts
from sales.models import Payment, PaymentMethod, Product, Refund, RefundLine, Sale, SaleLine

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProductSerializer(StrictInputMixin, serializers.ModelSerializer):
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "price", "active", "createdAt", "updatedAt"]
        # Uniqueness and rules are the service's (full_clean); no duplicate validators here.
        extra_kwargs = {"sku": {"validators": []}}


class SaleLineSerializer(serializers.ModelSerializer):
    productId = serializers.IntegerField(source="product_id")
    unitPrice = serializers.DecimalField(source="unit_price", **MONEY)
    lineTotal = serializers.DecimalField(source="line_total", **MONEY)
    refundedQuantity = serializers.IntegerField(source="refunded_quantity")

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "productId",
            "sku",
            "name",
            "unitPrice",
            "quantity",
            "lineTotal",
            "refundedQuantity",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["method", "amount"]


class SaleSerializer(serializers.ModelSerializer):
    customerId = serializers.IntegerField(source="customer_id", allow_null=True)
    customerName = serializers.CharField(source="customer.name", default=None)
    cashier = serializers.CharField(source="cashier.username")
    refundedTotal = serializers.DecimalField(source="refunded_total", **MONEY)
    lines = SaleLineSerializer(many=True)
    payments = PaymentSerializer(many=True)
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Sale
        fields = [
            "id",
            "number",
            "customerId",
            "customerName",
            "cashier",
            "status",
            "subtotal",
            "discount",
            "tax",
            "total",
            "change",
            "refundedTotal",
            "lines",
            "payments",
            "createdAt",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for facts in sale_facts():
            data.update(facts.api(instance))
        return data


class LineInputSerializer(StrictInputMixin, serializers.Serializer):
    productId = serializers.IntegerField()
    quantity = serializers.IntegerField()


class PaymentInputSerializer(StrictInputMixin, serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.DecimalField(**MONEY)


class SaleCreateSerializer(StrictInputMixin, serializers.Serializer):
    """``{"customerId", "lines", "discount", "payments"}``; the checkout service checks rules."""

    customerId = serializers.IntegerField(allow_null=True, required=False)
    lines = LineInputSerializer(many=True, allow_empty=True)
    discount = serializers.DecimalField(**MONEY, required=False)
    payments = PaymentInputSerializer(many=True, allow_empty=True)


class RefundLineInputSerializer(StrictInputMixin, serializers.Serializer):
    saleLineId = serializers.IntegerField()
    quantity = serializers.IntegerField()


class RefundCreateSerializer(StrictInputMixin, serializers.Serializer):
    """``{}`` refunds everything left; ``{"lines": [...]}`` refunds those lines."""

    lines = RefundLineInputSerializer(many=True, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RefundLineSerializer(serializers.ModelSerializer):
    saleLineId = serializers.IntegerField(source="sale_line_id")

    class Meta:
        model = RefundLine
        fields = ["saleLineId", "quantity", "amount"]


class RefundSerializer(serializers.ModelSerializer):
    saleId = serializers.IntegerField(source="sale_id")
    saleStatus = serializers.CharField(source="sale.status")
    paidBack = serializers.DecimalField(source="paid_back", **MONEY)
    createdBy = serializers.CharField(source="created_by.username")
    createdAt = serializers.DateTimeField(source="created_at")
    lines = RefundLineSerializer(many=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "saleId",
            "saleStatus",
            "total",
            "paidBack",
            "reason",
            "lines",
            "createdBy",
            "createdAt",
        ]
        read_only_fields = fields
