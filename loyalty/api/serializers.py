"""Loyalty ledger JSON (camelCase) and the adjustment request."""

from rest_framework import serializers

from classicpos.api.serializers import StrictInputMixin
from loyalty.models import LoyaltyProgram, LoyaltyTransaction


class LoyaltyTransactionSerializer(serializers.ModelSerializer):
    customerId = serializers.IntegerField(source="customer_id", read_only=True)
    balanceAfter = serializers.IntegerField(source="balance_after", read_only=True)
    saleId = serializers.IntegerField(source="sale_id", read_only=True)
    saleNumber = serializers.CharField(source="sale.number", read_only=True, default=None)
    refundId = serializers.IntegerField(source="refund_id", read_only=True)
    createdBy = serializers.CharField(source="created_by.username", read_only=True, default=None)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = LoyaltyTransaction
        fields = [
            "id",
            "customerId",
            "kind",
            "points",
            "balanceAfter",
            "saleId",
            "saleNumber",
            "refundId",
            "reason",
            "createdBy",
            "createdAt",
        ]
        read_only_fields = fields


class AdjustmentSerializer(StrictInputMixin, serializers.Serializer):
    """``{"points": -50, "reason": "..."}``; the service checks the rules."""

    points = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class LoyaltyProgramSerializer(serializers.ModelSerializer):
    earnRate = serializers.DecimalField(source="earn_rate", max_digits=8, decimal_places=4)
    redeemStep = serializers.IntegerField(source="redeem_step")
    redeemValue = serializers.DecimalField(source="redeem_value", max_digits=10, decimal_places=2)
    minimumSaleAmount = serializers.DecimalField(
        source="minimum_sale_amount", max_digits=12, decimal_places=2
    )

    class Meta:
        model = LoyaltyProgram
        fields = ["earnRate", "redeemStep", "redeemValue", "minimumSaleAmount"]
        read_only_fields = fields
