"""Customer JSON: camelCase keys, read-only bookkeeping fields, strict about unknown keys.

The serializer only shapes data; the rules (trimming, email, phone, lengths,
duplicates) are enforced by the services so the API, pages and admin agree.
"""

from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classicpos.api.fields import ServiceCheckedIntegerField, ServiceCheckedTextField
from classicpos.api.serializers import (
    ApiModelSerializer,
    ApiSerializer,
    StrictInputMixin,
    camel_case,
)
from classicpos.limits import MAX_ID
from customers.alerts import customer_alert
from customers.api.facts import customer_facts
from customers.import_readers import too_big
from customers.models import CONTACT_FIELDS, Customer
from customers.prior_history import external_reference_of, prior_history_of
from customers.validators import (
    ADDRESS_MAX_LENGTH,
    MAX_TAGS,
    MESSAGES,
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    NOTE_ALERTS,
    NOTE_MAX_LENGTH,
    PREFERRED_CONTACTS,
    TAG_MAX_LENGTH,
)


def _text_in(field: str) -> dict:
    """Plain text in, validated by the service: one message for forms and the API.

    The schema states what the service accepts: a name that is not blank, and
    the lengths it allows.
    """
    if field == "name":
        return {"required_text": True, "max_length": NAME_MAX_LENGTH, "pattern": NAME_PATTERN}
    max_length = {"address": ADDRESS_MAX_LENGTH, "note": NOTE_MAX_LENGTH}.get(field)
    return {"required": False, "allow_null": True, "max_length": max_length}


class MarketingConsentSerializer(StrictInputMixin, ApiSerializer):
    """``{"email": bool, "sms": bool}``: what the customer agreed to receive; changes are
    recorded in the customer's history with who and how."""

    email = serializers.BooleanField(source="email_consent", required=False)
    sms = serializers.BooleanField(source="sms_consent", required=False)


@extend_schema_field(
    {
        "type": "array",
        # No NUL, and no comma or semicolon: they separate tags in a CSV file and on the form.
        "items": {"type": "string", "maxLength": TAG_MAX_LENGTH, "pattern": "^[^\\u0000,;]*$"},
        "maxItems": MAX_TAGS,
    }
)
class TagNamesField(serializers.ListField):
    """Tag names in, tag names out (alphabetical); a Manager's new name creates the tag."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.CharField(trim_whitespace=False, allow_blank=True),
            max_length=MAX_TAGS,
            **kwargs,
        )

    def get_attribute(self, instance):
        return instance.tag_name_list()

    def to_representation(self, names):
        return names


class AlertSerializer(StrictInputMixin, ApiSerializer):
    """``{"level": "warn"|"block", "text": <the note>}``: how the till shows the note.

    Written as ``{"level", "text"?}`` or null (no alert); ``text``, when given, sets
    the note, so one request can flag a new note. Read from the customer as a whole:
    null without a level or without a note.
    """

    level = serializers.ChoiceField(
        choices=NOTE_ALERTS,
        help_text="warn: shown when the customer is picked at the till and on their page; "
        "block: no sales to them until a Manager allows one, with a reason.",
        error_messages={"invalid_choice": MESSAGES["note_alert_invalid"]},
    )
    text = ServiceCheckedTextField(
        required=False,
        allow_null=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="The note (the same as `note`); left out, the note stays as it is.",
    )

    def get_attribute(self, customer):
        return customer_alert(customer)

    def validate(self, attrs):
        # Required in a PATCH too (DRF makes a partial update's nested fields optional).
        if "level" not in attrs:
            raise serializers.ValidationError({"level": ["This field is required."]})
        return attrs


class DateTextField(ServiceCheckedTextField):
    """A date as text (the service parses it, with its message); the schema says "date"."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_override(self, "field", {"type": "string", "format": "date", "nullable": True})


class StoreIdField(ServiceCheckedIntegerField):
    """A store's id or null; the service says when no store has it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_override(
            self, "field", {"type": "integer", "minimum": 1, "maximum": MAX_ID, "nullable": True}
        )


class CustomerSerializer(StrictInputMixin, ApiModelSerializer):
    """A customer as the API shows it; only ``EDITABLE_FIELDS`` can be written."""

    phone_display = serializers.CharField(read_only=True)
    birthday = DateTextField(
        required=False, allow_null=True, help_text="YYYY-MM-DD (from 1900 to today), or null."
    )
    preferred_contact = serializers.ChoiceField(
        choices=PREFERRED_CONTACTS,
        required=False,
        help_text="email, phone, sms or none.",
        # The service's words, which do not repeat what was sent (it may not be printable).
        error_messages={"invalid_choice": MESSAGES["preferred_contact_invalid"]},
    )
    marketing_consent = MarketingConsentSerializer(source="*", required=False)
    alert = AlertSerializer(
        source="note_alert",
        required=False,
        allow_null=True,
        help_text="The note flagged for the till, or null. Only a Manager sets or lifts a block.",
    )
    tags = TagNamesField(required=False, help_text="Only a Manager can change them.")
    home_store_id = StoreIdField(
        source="home_store",
        required=False,
        allow_null=True,
        help_text=(
            "The store the customer belongs to (`GET /api/stores`), or null. Left out of a "
            "POST: the store of the till this browser is paired with, else the chain's only "
            "till's store, else null."
        ),
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            *CONTACT_FIELDS,
            "phone_display",
            "birthday",
            "preferred_contact",
            "marketing_consent",
            "note",
            "alert",
            "tags",
            "home_store_id",
            "loyalty_points",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "loyalty_points", "status", "created_at", "updated_at"]

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in (*CONTACT_FIELDS, "note"):
            return ServiceCheckedTextField, _text_in(field_name)
        return super().build_field(field_name, info, model_class, nested_depth)

    def validate(self, attrs):
        """Read ``alert`` as the model holds it: its level, and its text as the note."""
        if "note_alert" not in attrs:
            return attrs
        alert = attrs.pop("note_alert")
        attrs["note_alert"] = None if alert is None else alert["level"]
        if alert is not None and "text" in alert:
            if "note" in attrs and attrs["note"] != alert["text"]:
                raise serializers.ValidationError(
                    {"alert": {"text": ["Give the note once: in note or in alert.text."]}}
                )
            attrs["note"] = alert["text"]
        return attrs

    def to_representation(self, customer):
        """Return the customer's JSON, built directly.

        DRF's walk over the fields first builds and binds all sixteen of them for
        every response, which was half a millisecond of each customer lookup at the
        till, to produce exactly this dict (``tests/customers/test_api.py`` compares
        the two). The fields above still parse input and describe the schema.
        """
        return {
            "id": customer.pk,
            **{camel_case(name): _text(getattr(customer, name)) for name in CONTACT_FIELDS},
            "phoneDisplay": customer.phone_display,
            "birthday": _text(customer.birthday),
            "preferredContact": customer.preferred_contact,
            "marketingConsent": {
                "email": bool(customer.email_consent),
                "sms": bool(customer.sms_consent),
            },
            "note": _text(customer.note),
            "alert": customer_alert(customer),
            "tags": customer.tag_name_list(),
            "homeStoreId": customer.home_store_id,
            "loyaltyPoints": customer.loyalty_points,
            "status": customer.status,
            "createdAt": _MOMENT.to_representation(customer.created_at),
            "updatedAt": _MOMENT.to_representation(customer.updated_at),
        }


# How DRF writes a moment (ISO 8601, in the current time zone, "Z" for UTC).
_MOMENT = serializers.DateTimeField()


def _text(value) -> str | None:
    return None if value is None else str(value)


class ExternalRefSerializer(ApiSerializer):
    source = serializers.CharField(help_text="The import preset: shopify, square, odoo...")
    id = serializers.CharField(help_text="The customer's id there.")


class PriorHistorySerializer(ApiSerializer):
    source = serializers.CharField(help_text='The file it came from: "Shopify customer export".')
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    orders = serializers.IntegerField(allow_null=True)
    first_visit = serializers.DateField(allow_null=True)
    last_visit = serializers.DateField(allow_null=True)


class CustomerDetailSerializer(CustomerSerializer):
    """One customer (``GET /api/customers/:id``): also what the system they came from knew.

    Only here, not in lists: a page of the list stays two queries at a million
    customers, and the till searches it on every key.
    """

    external_ref = ExternalRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The customer's id in the system the shop imported them from, or null.",
    )
    prior_history = PriorHistorySerializer(
        read_only=True,
        allow_null=True,
        help_text="What that system said they spent there and when they came (not sales here).",
    )

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "external_ref", "prior_history"]

    def get_fields(self):
        """Add the keys other modules register (``customers.api.facts``) for the schema."""
        fields = super().get_fields()
        for facts in customer_facts():
            fields.update({camel_case(name): field for name, field in facts.fields().items()})
        return fields

    def to_representation(self, customer):
        reference = external_reference_of(customer)
        history = prior_history_of(customer)
        data = {
            **super().to_representation(customer),
            "externalRef": reference and {"source": reference.source, "id": reference.reference},
            "priorHistory": history and history.as_dict(),
        }
        for facts in customer_facts():
            data.update(facts.api(customer=customer))
        return data


class CustomerMergeSerializer(StrictInputMixin, ApiSerializer):
    """``POST /api/customers/:id/merge``: the customer at ``:id`` survives."""

    duplicate_id = ServiceCheckedIntegerField(
        minimum=1,
        maximum=MAX_ID,
        help_text="The customer merged into this one: deactivated, its history moved here.",
    )
    values_from = serializers.DictField(
        child=serializers.ChoiceField(choices=["survivor", "duplicate"]),
        required=False,
        help_text=(
            "Per editable field (name, email, phone, address), whose value to keep. Default: "
            "this customer's, or the duplicate's where this one has none."
        ),
    )


class MergedCustomerSerializer(ApiSerializer):
    """The answer for a merged-away customer's id: ``301`` to the customer it became."""

    id = serializers.IntegerField(help_text="The id asked for: a customer merged away.")
    merged_into = serializers.IntegerField(
        help_text="The customer it was merged into; `Location` gives its URL."
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

    file = serializers.FileField(
        help_text=(
            "The CSV (comma, semicolon or tab separated) or .xlsx workbook, with a header row; "
            "up to 50 MB."
        )
    )
    dry_run = FormBooleanField(help_text="true: check, save nothing.")
    skip_existing = FormBooleanField(
        help_text="true: leave customers that already exist (same email or phone) as they are."
    )
    encoding = serializers.CharField(
        default="auto",
        help_text="The file's text encoding; `auto` (the default) detects UTF-8, UTF-16 or cp1252.",
    )
    columns = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='Other headers mapped onto the columns, e.g. "Mobile=phone,Client=name".',
    )
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="The system the file comes from (see `GET /api/customers/import/sources`); "
        "recognised from the header when left out.",
    )

    def validate_file(self, upload):
        if message := too_big(upload.size):
            raise serializers.ValidationError(message)
        return upload


class ImportErrorSerializer(ApiSerializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers it: the header is row 1.")
    column = serializers.CharField(help_text="The header in the file; empty for the whole row.")
    message = serializers.CharField()


class ImportUpdateSerializer(ApiSerializer):
    row = serializers.IntegerField(help_text="The row that changes the customer.")
    customer_id = serializers.IntegerField()
    name = serializers.CharField(help_text="The customer's name before the change.")
    matched_by = serializers.ChoiceField(
        choices=["reference", "email", "phone"],
        help_text=(
            "How the row found them: the old system's id for them, their email or their phone; "
            "never by name alone."
        ),
    )
    changes = serializers.DictField(
        child=serializers.ListField(min_length=2, max_length=2),
        help_text='Each changed field, with "status": {"field": [old, new]}.',
    )


class ImportSourceSerializer(ApiSerializer):
    name = serializers.CharField(help_text="What `source` names to force this preset.")
    label = serializers.CharField(help_text="What the import report calls the file.")
    identified_by = serializers.ListField(
        child=serializers.CharField(), help_text="The columns that together identify the export."
    )


class ImportSourcesSerializer(ApiSerializer):
    """``GET /api/customers/import/sources``: an object, as every answer is (not a bare list)."""

    results = ImportSourceSerializer(many=True)


class ImportColumnSerializer(ApiSerializer):
    header = serializers.CharField(help_text="The column's header in the file.")
    fills = serializers.CharField(
        help_text="The field it fills (name, email, ...), or the part of one it is joined into "
        "(name.first, address.city, ...), the old system's id (reference) or its figures "
        "(history.spent, history.orders, history.first_visit, history.last_visit)."
    )


class ImportReportSerializer(ApiSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    new_without_contact = serializers.IntegerField(
        help_text="Customers added with neither email nor phone: importing the file again "
        "adds them again, as a name alone never matches anyone."
    )
    errors = ImportErrorSerializer(many=True)
    updates = ImportUpdateSerializer(
        many=True, help_text="The existing customers the rows change (or would, in a dry run)."
    )
    ignored_columns = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()
    source = serializers.CharField(
        help_text='The system the file was recognised as ("Shopify customer export"); empty '
        "for a file in ClassicPOS's own columns."
    )
    columns = ImportColumnSerializer(many=True, help_text="Each file column the import read.")


class TimelineQuerySerializer(ApiSerializer):
    """``GET /api/customers/:id/timeline`` parameters."""

    kind = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A kind or its prefix: customer, sale, sale.refunded, points, invoice...",
    )
    cursor = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="The `next` of a page."
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class TimelineEntrySerializer(ApiSerializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="customer.created, sale.completed, points.earned...")
    summary = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="The user who did it, if any.")
    link = serializers.CharField(allow_null=True, help_text="A page on this site that shows it.")
    changes = serializers.DictField(
        allow_null=True,
        required=False,
        help_text='customer.changed: {"field": [old, new]}.',
    )


class TimelinePageSerializer(ApiSerializer):
    next = serializers.CharField(allow_null=True, help_text="The next (older) page's URL.")
    results = TimelineEntrySerializer(many=True)


class PossibleDuplicatesQuerySerializer(ApiSerializer):
    """``GET /api/customers/duplicates`` parameters: what a new customer would be saved with."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=50)


class PossibleDuplicateSerializer(ApiSerializer):
    id = serializers.IntegerField(source="customer.pk")
    name = serializers.CharField(source="customer.name")
    phone_display = serializers.CharField(source="customer.phone_display")
    status = serializers.CharField(source="customer.status")
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=["same phone", "similar name"]),
        help_text="Why this customer may be the same person.",
    )


class PossibleDuplicatesSerializer(ApiSerializer):
    results = PossibleDuplicateSerializer(many=True)
