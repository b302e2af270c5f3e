"""Serializer helpers shared by every resource of the API."""

import copy

from rest_framework import serializers

from classicpos.limits import is_whole_number


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
        """Return fresh copies of the class's fields, built (and renamed) once per class.

        A model serializer works its fields out from the model for every instance:
        a millisecond per response, however few rows it shows. The fields depend on
        the class alone, so they are worked out once and copied, as DRF copies
        declared fields.
        """
        built = type(self).__dict__.get("_camel_case_fields")
        if built is None:
            built = {}
            for name, field in super().get_fields().items():
                key = camel_case(name)
                source = name if key != name and field.source is None else None
                built[key] = (field, source)
            type(self)._camel_case_fields = built
        fields = {}
        for key, (field, source) in built.items():
            fields[key] = copy.deepcopy(field)
            if source is not None:
                # A copy is built from the field's arguments, which do not hold the source.
                fields[key].source = source
        return fields

    @classmethod
    def api_field_names(cls) -> dict[str, str]:
        """Return the API's key for each model field it names otherwise than in camelCase.

        Services and models report errors under model field names (``owner``,
        ``customer``), as forms and the admin show them; the API names the field
        that shows the value (``ownerId`` with ``source="owner"``; ``customerId``
        with ``source="customer_id"``, the foreign key ``customer``'s column). The
        problem handler renames errors with this map, so the renaming lives where
        the names are chosen. Worked out once per class.
        """
        names = cls.__dict__.get("_api_field_names")
        if names is None:
            names = _renamed_model_fields(cls())
            cls._api_field_names = names
        return names


def _renamed_model_fields(serializer) -> dict[str, str]:
    """Map the model field behind each of ``serializer``'s keys to the key, where camelCase
    alone would not give it; a writable field wins over a read-only one with its source."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    foreign_keys = {}
    if model is not None:
        foreign_keys = {
            field.attname: field.name
            for field in model._meta.concrete_fields
            if field.attname != field.name
        }
    names: dict[str, str] = {}
    fields = sorted(serializer.fields.items(), key=lambda item: not item[1].read_only)
    for key, field in fields:
        if field.source == "*" or "." in field.source:
            continue
        for name in (field.source, foreign_keys.get(field.source)):
            if name is not None and camel_case(name) != key:
                names[name] = key
    return names


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
        return None if is_whole_number(value) else "Send a whole number (a JSON number)."
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Send true or false."
    return None
