"""Leads and activities as JSON: camelCase keys, strict about unknown and read-only keys.

Serializers only shape data; the rules (trimming, email, phone, exactly one
contact, tasks-only due dates, who may reassign) are the services'. Fields are
declared by their Python names on the shared camelCase bases, which also tell the
problem handler that the services' ``owner``, ``customer`` and ``lead`` are
``ownerId``, ``customerId`` and ``leadId`` here.
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from classicpos.api.fields import ServiceCheckedTextField
from classicpos.api.schema import document_body_rule
from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from crm.models import (
    BODY_MAX_LENGTH,
    COMPANY_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Activity,
    ActivityKind,
    Lead,
    LeadSource,
    LeadStatus,
)
from customers.validators import NAME_MAX_LENGTH, NAME_PATTERN


def _text(**kwargs):
    """Plain text in, validated by the service: the same message as the pages."""
    return ServiceCheckedTextField(**kwargs)


class LeadSerializer(StrictInputMixin, ApiModelSerializer):
    """A lead as the API shows it; ``ownerId`` is a staff user's id."""

    name = _text(required_text=True, max_length=NAME_MAX_LENGTH, pattern=NAME_PATTERN)
    email = _text(required=False, allow_null=True)
    phone = _text(required=False, allow_null=True)
    phone_display = serializers.CharField(read_only=True)
    company = _text(required=False, allow_null=True, max_length=COMPANY_MAX_LENGTH)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    status = serializers.ChoiceField(choices=LeadStatus.choices, required=False)
    owner_id = serializers.PrimaryKeyRelatedField(
        source="owner",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The staff user following the lead up; defaults to whoever creates it.",
    )
    owner_name = serializers.CharField(
        source="owner.get_username", read_only=True, default=None, allow_null=True
    )
    notes = _text(required=False, allow_null=True, max_length=NOTES_MAX_LENGTH)
    customer_id = serializers.IntegerField(read_only=True, allow_null=True)
    converted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "phone_display",
            "company",
            "source",
            "status",
            "owner_id",
            "owner_name",
            "notes",
            "customer_id",
            "converted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id"]


class LeadConversionSerializer(ApiSerializer):
    """What ``POST /api/leads/:id/convert`` answers."""

    customer_id = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False when an existing customer was linked.")


class ActivitySerializer(StrictInputMixin, ApiModelSerializer):
    """An activity on one customer (``customerId``) or one lead (``leadId``)."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    subject = _text(required_text=True, max_length=SUBJECT_MAX_LENGTH)
    body = _text(required=False, allow_null=True, max_length=BODY_MAX_LENGTH)
    customer_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    lead_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    done = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    author_id = serializers.IntegerField(read_only=True, allow_null=True)
    author_name = serializers.CharField(
        source="author.get_username", read_only=True, default=None, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "subject",
            "body",
            "customer_id",
            "lead_id",
            "contact_name",
            "due_on",
            "done",
            "overdue",
            "completed_at",
            "author_id",
            "author_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id"]


# A lead becomes converted only through POST /api/leads/:id/convert.
for _component in ("LeadRequest", "PatchedLeadRequest"):
    document_body_rule(
        _component,
        {"properties": {"status": {"not": {"enum": [LeadStatus.CONVERTED.value]}}}},
    )

# What Activity.clean() refuses across fields, said in the schema of the request body.
document_body_rule(
    "ActivityRequest",
    {
        "description": "On a customer or on a lead: exactly one of customerId and leadId.",
        "oneOf": [
            {
                "required": ["customerId"],
                "properties": {"customerId": {"type": "integer"}, "leadId": {"enum": [None]}},
            },
            {
                "required": ["leadId"],
                "properties": {"leadId": {"type": "integer"}, "customerId": {"enum": [None]}},
            },
        ],
    },
)
document_body_rule(
    "ActivityRequest",
    {
        "description": "Only tasks have a due date.",
        "anyOf": [
            {"properties": {"kind": {"enum": [ActivityKind.TASK.value]}}},
            {"properties": {"dueOn": {"enum": [None]}}},
        ],
    },
)


class ActivityUpdateSerializer(ActivitySerializer):
    """``PATCH``: only ``done``, ``dueOn``, ``subject`` and ``body`` change."""

    kind = serializers.CharField(read_only=True)
    customer_id = serializers.IntegerField(read_only=True, allow_null=True)
    lead_id = serializers.IntegerField(read_only=True, allow_null=True)
    done = serializers.BooleanField(required=False)
