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
            for key, value in data.items():
                field = self.fields.get(key)
                if field is None:
                    errors[key] = ["Unknown field."]
                elif field.read_only:
                    errors[key] = ["This field is read-only."]
                elif (message := wrong_json_type(field, value)) is not None:
                    errors[key] = [message]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def wrong_json_type(field, value) -> str | None:
    """Return why ``value`` has the wrong JSON type for ``field``, or None when it is right.

    DRF reads ``5`` as the text "5" and ``"5"`` as the number 5; the schema says
    which type each field takes, and the API keeps to it. Amounts are strings
    ("12.50"), never floating-point numbers. ``null`` is the field's own decision.
    """
    if value is None:
        return None
    if isinstance(field, serializers.DecimalField):
        return None if isinstance(value, str) else 'Send the amount as a string, e.g. "12.50".'
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else "Send text (a JSON string)."
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole else "Send a whole number (a JSON number)."
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Send true or false."
    return None
