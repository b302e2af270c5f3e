"""Customer JSON: camelCase keys, read-only bookkeeping fields, strict about unknown keys.

The serializer only shapes data; the rules (trimming, email, phone, lengths,
duplicates) are enforced by the services so the API, pages and admin agree.
"""

from rest_framework import serializers

from classicpos.api.serializers import StrictInputMixin
from customers.models import Customer


class CustomerSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A customer as the API shows it."""

    # Plain text in, validated by the service: one message for forms and API.
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    email = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    address = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    phoneDisplay = serializers.CharField(source="phone_display", read_only=True)
    loyaltyPoints = serializers.IntegerField(source="loyalty_points", read_only=True)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "phoneDisplay",
            "address",
            "loyaltyPoints",
            "status",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = ["id", "status"]
