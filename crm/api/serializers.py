"""Leads and activities as JSON: camelCase keys, strict about unknown and read-only keys.

Serializers only shape data; the rules (trimming, email, phone, exactly one
contact, tasks-only due dates, who may reassign) are the services'.
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from classicpos.api.fields import ServiceCheckedTextField
from classicpos.api.schema import document_body_rule
from classicpos.api.serializers import StrictInputMixin
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


class LeadSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A lead as the API shows it; ``ownerId`` is a staff user's id."""

    name = _text(required_text=True, max_length=NAME_MAX_LENGTH, pattern=NAME_PATTERN)
    email = _text(required=False, allow_null=True)
    phone = _text(required=False, allow_null=True)
    phoneDisplay = serializers.CharField(source="phone_display", read_only=True)
    company = _text(required=False, allow_null=True, max_length=COMPANY_MAX_LENGTH)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    status = serializers.ChoiceField(choices=LeadStatus.choices, required=False)
    ownerId = serializers.PrimaryKeyRelatedField(
        source="owner",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The staff user following the lead up; defaults to whoever creates it.",
    )
    ownerName = serializers.CharField(
        source="owner.get_username", read_only=True, default=None, allow_null=True
    )
    notes = _text(required=False, allow_null=True, max_length=NOTES_MAX_LENGTH)
    customerId = serializers.IntegerField(source="customer_id", read_only=True, allow_null=True)
    convertedAt = serializers.DateTimeField(source="converted_at", read_only=True, allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "phoneDisplay",
            "company",
            "source",
            "status",
            "ownerId",
            "ownerName",
            "notes",
            "customerId",
            "convertedAt",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = ["id"]


class LeadConversionSerializer(serializers.Serializer):
    """What ``POST /api/leads/:id/convert`` answers."""

    customerId = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False when an existing customer was linked.")


class ActivitySerializer(StrictInputMixin, serializers.ModelSerializer):
    """An activity on one customer (``customerId``) or one lead (``leadId``)."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    subject = _text(required_text=True, max_length=SUBJECT_MAX_LENGTH)
    body = _text(required=False, allow_null=True, max_length=BODY_MAX_LENGTH)
    customerId = serializers.IntegerField(
        source="customer_id", required=False, allow_null=True, min_value=1
    )
    leadId = serializers.IntegerField(
        source="lead_id", required=False, allow_null=True, min_value=1
    )
    contactName = serializers.CharField(source="contact.name", read_only=True)
    dueOn = serializers.DateField(source="due_on", required=False, allow_null=True)
    done = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    completedAt = serializers.DateTimeField(source="completed_at", read_only=True, allow_null=True)
    authorId = serializers.IntegerField(source="author_id", read_only=True, allow_null=True)
    authorName = serializers.CharField(
        source="author.get_username", read_only=True, default=None, allow_null=True
    )
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "subject",
            "body",
            "customerId",
            "leadId",
            "contactName",
            "dueOn",
            "done",
            "overdue",
            "completedAt",
            "authorId",
            "authorName",
            "createdAt",
            "updatedAt",
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
    customerId = serializers.IntegerField(source="customer_id", read_only=True, allow_null=True)
    leadId = serializers.IntegerField(source="lead_id", read_only=True, allow_null=True)
    done = serializers.BooleanField(required=False)
