"""Loyalty ledger JSON (camelCase) and the adjustment request."""

from rest_framework import serializers

from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from loyalty.models import LoyaltyProgram, LoyaltyTransaction
from stores.api.fields import till_id_field


class LoyaltyTransactionSerializer(ApiModelSerializer):
    sale_number = serializers.CharField(
        source="sale.number", read_only=True, default=None, allow_null=True
    )
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = LoyaltyTransaction
        fields = [
            "id",
            "customer_id",
            "kind",
            "points",
            "balance_after",
            "sale_id",
            "sale_number",
            "refund_id",
            "store_id",
            "till_id",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class AdjustmentSerializer(StrictInputMixin, ApiSerializer):
    """``{"points": -50, "reason": "..."}``; the service checks the rules."""

    points = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)
    till_id = till_id_field()


class LoyaltyProgramSerializer(ApiModelSerializer):
    class Meta:
        model = LoyaltyProgram
        fields = [
            "earn_rate",
            "redeem_step",
            "redeem_value",
            "minimum_sale_amount",
            "expiry_rule",
            "expiry_months",
            "expiry_notice_days",
            "birthday_points",
            "birthday_voucher",
            "birthday_voucher_days",
            "birthday_greeting",
        ]
        read_only_fields = fields
