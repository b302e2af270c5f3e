"""Serializer helpers shared by every resource of the API."""

from rest_framework import serializers


class StrictInputMixin:
    """Refuse keys the resource does not have, and keys that cannot be written.

    A typo such as ``{"emial": ...}`` or an attempt to set ``loyaltyPoints``
    must fail loudly, not be silently dropped.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for key in data:
                field = self.fields.get(key)
                if field is None:
                    errors[key] = ["Unknown field."]
                elif field.read_only:
                    errors[key] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
