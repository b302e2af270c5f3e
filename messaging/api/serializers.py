"""Messages in the API: camelCase keys, the address always masked."""

from rest_framework import serializers

from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from messaging.models import Message


class MessageSerializer(ApiModelSerializer):
    to = serializers.CharField(
        source="masked_to", read_only=True, help_text="The address, masked: m•••@example.com."
    )
    customer_id = serializers.IntegerField(allow_null=True, read_only=True)
    sale_id = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "to",
            "subject",
            "state",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "customer_id",
            "sale_id",
            "created_at",
        ]
        read_only_fields = fields


class EmailReceiptSerializer(StrictInputMixin, ApiSerializer):
    email = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Send to this address, for this sale only (saved on no customer); "
        "leave it out to send to the sale's customer's own email.",
    )
    save_to_customer = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also save the typed address as the sale's customer's email (the customer "
        "agreed); needs the permission to change customers.",
    )


class QueuedMessageSerializer(ApiSerializer):
    message_id = serializers.IntegerField(read_only=True)
