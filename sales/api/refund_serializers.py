"""Refunds in the API: what a refund request may say, and the refund as it is answered."""

from rest_framework import serializers

from classicpos.api.fields import ServiceCheckedIntegerField
from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from classicpos.limits import MAX_ID
from sales.models import Refund, RefundLine


class RefundLineInputSerializer(StrictInputMixin, ApiSerializer):
    sale_line_id = ServiceCheckedIntegerField(minimum=1, maximum=MAX_ID)
    quantity = ServiceCheckedIntegerField(minimum=1)


class RefundCreateSerializer(StrictInputMixin, ApiSerializer):
    """``{}`` refunds everything left; ``{"lines": [...]}`` refunds those lines."""

    lines = RefundLineInputSerializer(many=True, required=False)
    till_id = ServiceCheckedIntegerField(
        minimum=1,
        maximum=MAX_ID,
        allow_null=True,
        required=False,
        help_text="The till giving the refund; the chain's only till, else the selling till.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    refund_to = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Where the money part goes: the till when omitted, or a method taking refunds.",
    )


class RefundLineSerializer(ApiModelSerializer):
    class Meta:
        model = RefundLine
        fields = ["sale_line_id", "quantity", "amount"]
        read_only_fields = fields


class RefundSerializer(ApiModelSerializer):
    sale_status = serializers.CharField(source="sale.status", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.username",
        read_only=True,
        allow_null=True,
        help_text="The Manager who approved a refund started by a Cashier.",
    )
    lines = RefundLineSerializer(many=True, read_only=True)
    store_id = serializers.IntegerField(read_only=True)
    till_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "sale_id",
            "store_id",
            "till_id",
            "sale_status",
            "total",
            "paid_back",
            "paid_back_to",
            "reason",
            "lines",
            "created_by",
            "approved_by",
            "created_at",
        ]
        read_only_fields = fields
