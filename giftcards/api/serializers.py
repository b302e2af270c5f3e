"""Gift cards in the API: camelCase keys, amounts as strings, never a code but once."""

from rest_framework import serializers

from classicpos.api.fields import AmountField, ServiceCheckedIntegerField
from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from classicpos.limits import MAX_ID
from giftcards.models import GiftCard, GiftCardEntry
from stores.api.fields import till_id_field


class GiftCardSerializer(ApiModelSerializer):
    customer_id = serializers.IntegerField(allow_null=True, read_only=True)
    issued_at_store_id = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = GiftCard
        fields = [
            "id",
            "last4",
            "balance",
            "status",
            "expires_on",
            "customer_id",
            "issued_at_store_id",
            "created_at",
        ]
        read_only_fields = fields


class IssuedGiftCardSerializer(GiftCardSerializer):
    code = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The card's code, in this answer only (null in a replay of it).",
    )

    class Meta(GiftCardSerializer.Meta):
        fields = [*GiftCardSerializer.Meta.fields, "code"]
        read_only_fields = fields


class LookupAnswerSerializer(ApiModelSerializer):
    class Meta:
        model = GiftCard
        fields = ["id", "last4", "balance", "status", "expires_on"]
        read_only_fields = fields


class GiftCardEntrySerializer(ApiModelSerializer):
    sale_id = serializers.IntegerField(allow_null=True, read_only=True)
    refund_id = serializers.IntegerField(allow_null=True, read_only=True)
    store_id = serializers.IntegerField(allow_null=True, read_only=True)
    till_id = serializers.IntegerField(allow_null=True, read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = GiftCardEntry
        fields = [
            "id",
            "sequence",
            "kind",
            "amount",
            "balance_after",
            "sale_id",
            "refund_id",
            "store_id",
            "till_id",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class IssueSerializer(StrictInputMixin, ApiSerializer):
    amount = AmountField(positive=True)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A printed card's own code; leave it out to generate one.",
    )
    customer_id = ServiceCheckedIntegerField(
        minimum=1, maximum=MAX_ID, allow_null=True, required=False
    )
    till_id = till_id_field()


class LookupSerializer(StrictInputMixin, ApiSerializer):
    code = serializers.CharField(max_length=100, trim_whitespace=True)


class VoidSerializer(StrictInputMixin, ApiSerializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)
