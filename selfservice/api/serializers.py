"""Self-service links in the API: sending takes no body; the answers name what was done."""

from rest_framework import serializers

from classicpos.api.serializers import ApiSerializer, StrictInputMixin


class SendLinkSerializer(StrictInputMixin, ApiSerializer):
    """No fields: the link goes to the customer's own email, never to a typed address."""


class SentLinkSerializer(ApiSerializer):
    message_id = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class RevokedLinksSerializer(ApiSerializer):
    revoked = serializers.IntegerField(
        read_only=True, help_text="How many links stopped working (0 when none worked)."
    )
