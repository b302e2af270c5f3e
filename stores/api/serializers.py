"""Stores and tills as the API shows them: ``{"id", "code", "name", ..., "taxRate"}``."""

from decimal import Decimal

from drf_spectacular.drainage import set_override
from rest_framework import serializers

from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from stores.models import Store, Till

# 0 to 1 with at most four decimals: 0.0725 is 7.25 %.
TAX_RATE_PATTERN = r"^(0(\.\d{1,4})?|\.\d{1,4}|1(\.0{1,4})?)$"


class TaxRateField(serializers.DecimalField):
    """A fraction from 0 to 1 as a string; the schema states the range as a pattern, which
    a string-typed decimal cannot state with ``minimum`` and ``maximum``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        schema = {"type": "string", "format": "decimal", "pattern": TAX_RATE_PATTERN}
        set_override(self, "field", schema)


class StoreSerializer(StrictInputMixin, ApiModelSerializer):
    tax_rate = TaxRateField(
        max_digits=6,
        decimal_places=4,
        allow_null=True,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1),
        source="effective_tax_rate",
        help_text="A fraction (0.0725 is 7.25 %); null on a write: the shop's setting.",
    )

    class Meta:
        model = Store
        fields = ["id", "code", "name", "address", "phone", "tax_id", "tax_rate", "time_zone"]
        read_only_fields = ["id"]
        extra_kwargs = {
            # The service checks the time zone's name (the schema can only say "text").
            "time_zone": {"validators": [], "required": False},
        }

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "effective_tax_rate" in values:
            values["tax_rate"] = values.pop("effective_tax_rate")
        return values


class StoreStaffSerializer(StrictInputMixin, ApiSerializer):
    usernames = serializers.ListField(
        child=serializers.CharField(max_length=150), allow_empty=True, max_length=1000
    )


class TillSerializer(StrictInputMixin, ApiModelSerializer):
    store_id = serializers.PrimaryKeyRelatedField(
        source="store", queryset=Store.objects.all(), help_text="The store the till is in."
    )

    class Meta:
        model = Till
        fields = ["id", "store_id", "name", "active"]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"validators": []}}
        # The unique (store, name) check is the service's, with its own message.
        validators = []
