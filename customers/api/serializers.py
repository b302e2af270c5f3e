"""Customer JSON: camelCase keys, read-only bookkeeping fields, strict about unknown keys.

The serializer only shapes data; the rules (trimming, email, phone, lengths,
duplicates) are enforced by the services so the API, pages and admin agree.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classicpos.api.fields import ServiceCheckedTextField
from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from customers.models import EDITABLE_FIELDS, Customer
from customers.validators import ADDRESS_MAX_LENGTH, NAME_MAX_LENGTH, NAME_PATTERN


def _text_in(field: str) -> dict:
    """Plain text in, validated by the service: one message for forms and the API.

    The schema states what the service accepts: a name that is not blank, and
    the lengths it allows.
    """
    if field == "name":
        return {"required_text": True, "max_length": NAME_MAX_LENGTH, "pattern": NAME_PATTERN}
    max_length = ADDRESS_MAX_LENGTH if field == "address" else None
    return {"required": False, "allow_null": True, "max_length": max_length}


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

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in EDITABLE_FIELDS:
            return ServiceCheckedTextField, _text_in(field_name)
        return super().build_field(field_name, info, model_class, nested_depth)


class CustomerMergeSerializer(StrictInputMixin, ApiSerializer):
    """``POST /api/customers/:id/merge``: the customer at ``:id`` survives."""

    duplicate_id = serializers.IntegerField(
        help_text="The customer merged into this one: deactivated, its history moved here."
    )
    values_from = serializers.DictField(
        child=serializers.ChoiceField(choices=["survivor", "duplicate"]),
        required=False,
        help_text=(
            "Per editable field (name, email, phone, address), whose value to keep. Default: "
            "this customer's, or the duplicate's where this one has none."
        ),
    )


class CustomerAnonymiseSerializer(StrictInputMixin, ApiSerializer):
    """``POST /api/customers/:id/anonymise``: the typed confirmation."""

    confirm = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="The customer's current name, exactly: erasing cannot be undone.",
    )


@extend_schema_field(OpenApiTypes.BOOL)
class FormBooleanField(serializers.ChoiceField):
    """``true`` or ``false`` as a multipart form sends them: text, read as text."""

    def __init__(self, **kwargs):
        super().__init__(choices=["true", "false"], default=False, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data) == "true"


class CustomerImportSerializer(StrictInputMixin, ApiSerializer):
    """``POST /api/customers/import`` (multipart/form-data)."""

    file = serializers.FileField(help_text="The CSV file, with a header row.")
    dry_run = FormBooleanField(help_text="true: check, save nothing.")
    skip_existing = FormBooleanField(
        help_text="true: leave customers that already exist (same email or phone) as they are."
    )
    encoding = serializers.CharField(default="utf-8", help_text="The file's text encoding.")
    columns = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='Other headers mapped onto the columns, e.g. "Mobile=phone,Client=name".',
    )


class ImportErrorSerializer(ApiSerializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers it: the header is row 1.")
    column = serializers.CharField(help_text="The header in the file; empty for the whole row.")
    message = serializers.CharField()


class ImportReportSerializer(ApiSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    ignored_columns = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()
