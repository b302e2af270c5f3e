"""Serializer helpers shared by every resource of the API."""

from rest_framework import serializers


def camel_case(name: str) -> str:
    """Return ``created_at`` as ``createdAt``; names starting with ``_`` stay as they are."""
    if name.startswith("_") or "_" not in name:
        return name
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


class CamelCaseFieldsMixin:
    """Serve and read every field under its camelCase name.

    Serializers declare and list fields by their Python (snake_case) names, as
    the models spell them; the JSON keys, error keys and OpenAPI schema are the
    camelCase names, and ``validated_data`` keeps the snake_case ones.
    """

    def get_fields(self):
        renamed = {}
        for name, field in super().get_fields().items():
            key = camel_case(name)
            if key != name and field.source is None:
                field.source = name
            renamed[key] = field
        return renamed


class ApiSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """A plain serializer with camelCase keys."""


class ApiModelSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    """A model serializer with camelCase keys."""


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
