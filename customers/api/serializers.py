"""Customer JSON: camelCase keys, read-only bookkeeping fields, strict about unknown keys.

The serializer only shapes data; the rules (trimming, email, phone, lengths,
duplicates) are enforced by the services so the API, pages and admin agree.
"""

from rest_framework import serializers

from classicpos.api.serializers import ApiModelSerializer, StrictInputMixin
from customers.models import EDITABLE_FIELDS, Customer


def _text_in(field: str) -> dict:
    """Plain text in, validated by the service: one message for forms and the API."""
    required = field == "name"
    return {
        "required": required,
        "allow_blank": True,
        "allow_null": not required,
        "trim_whitespace": False,
    }


class CustomerSerializer(StrictInputMixin, ApiModelSerializer):
    """A customer as the API shows it; only ``EDITABLE_FIELDS`` can be written."""

    phone_display = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "phone_display",
            "loyalty_points",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "loyalty_points", "status", "created_at", "updated_at"]
        extra_kwargs = {field: _text_in(field) for field in EDITABLE_FIELDS}
