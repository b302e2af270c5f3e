"""Leads and activities as JSON: camelCase keys, strict about unknown and read-only keys.

Serializers only shape data; the rules (trimming, email, phone, exactly one
contact, tasks-only due dates, who may reassign) are the services'.
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from classicpos.api.serializers import StrictInputMixin
from crm.models import Activity, ActivityKind, Lead, LeadSource, LeadStatus


def _text(**kwargs):
    """Plain text in, validated by the service: the same message as the pages."""
    return serializers.CharField(trim_whitespace=False, allow_blank=True, **kwargs)


class LeadSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A lead as the API shows it; ``ownerId`` is a staff user's id."""

    name = _text()
    email = _text(required=False, allow_null=True)
    phone = _text(required=False, allow_null=True)
    phoneDisplay = serializers.CharField(source="phone_display", read_only=True)
    company = _text(required=False, allow_null=True)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    status = serializers.ChoiceField(choices=LeadStatus.choices, required=False)
    ownerId = serializers.PrimaryKeyRelatedField(
        source="owner",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The staff user following the lead up; defaults to whoever creates it.",
    )
    ownerName = serializers.CharField(source="owner.get_username", read_only=True, default=None)
    notes = _text(required=False, allow_null=True)
    customerId = serializers.IntegerField(source="customer_id", read_only=True)
    convertedAt = serializers.DateTimeField(source="converted_at", read_only=True)
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
    subject = _text()
    body = _text(required=False, allow_null=True)
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
    completedAt = serializers.DateTimeField(source="completed_at", read_only=True)
    authorId = serializers.IntegerField(source="author_id", read_only=True)
    authorName = serializers.CharField(source="author.get_username", read_only=True, default=None)
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


class ActivityUpdateSerializer(ActivitySerializer):
    """``PATCH``: only ``done``, ``dueOn``, ``subject`` and ``body`` change."""

    kind = serializers.CharField(read_only=True)
    customerId = serializers.IntegerField(source="customer_id", read_only=True)
    leadId = serializers.IntegerField(source="lead_id", read_only=True)
    done = serializers.BooleanField(required=False)
