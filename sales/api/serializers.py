"""Sales and products as JSON: camelCase keys, amounts as strings."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MinValueValidator
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classicpos.api.fields import (
    PYTHON_WHITESPACE,
    AmountField,
    ServiceCheckedChoiceField,
    ServiceCheckedIntegerField,
    ServiceCheckedTextField,
    amount_pattern,
)
from classicpos.api.schema import document_body_rule
from classicpos.api.serializers import (
    ApiModelSerializer,
    ApiSerializer,
    StrictInputMixin,
    camel_case,
)
from classicpos.limits import MAX_ID, MAX_QUANTITY
from classicpos.reasons import REASON_MAX_LENGTH
from sales.discounts import parse_discount
from sales.extensions import payment_method, payment_methods, sale_facts, stored_value_kinds
from sales.models import (
    BARCODE_CHARACTERS,
    ZERO,
    Payment,
    Product,
    Sale,
    SaleLine,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProductSerializer(StrictInputMixin, ApiModelSerializer):
    # The model's validator refuses a negative price, with its message.
    price = AmountField(validators=[MinValueValidator(ZERO)])
    # The service trims and checks both (full_clean); the schema states the same rules,
    # so a client learns them there rather than from a 400. A barcode's pattern leaves
    # "" to the schema's other choice (blank: no barcode).
    sku = ServiceCheckedTextField(required_text=True, max_length=64)
    barcode = ServiceCheckedTextField(
        max_length=64,
        pattern=(
            rf"^(?:[{PYTHON_WHITESPACE}]*[{BARCODE_CHARACTERS}]+[{PYTHON_WHITESPACE}]*"
            rf"|[{PYTHON_WHITESPACE}]+)$"
        ),
        required=False,
    )
    exact_match = serializers.SerializerMethodField(
        method_name="get_exact_match",
        help_text="In a list with `search`: this product's SKU or barcode is the term itself.",
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "barcode",
            "name",
            "price",
            "active",
            "exact_match",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["exact_match", "created_at", "updated_at"]
        # Uniqueness and rules are the service's (full_clean); no duplicate validators here.

    def get_exact_match(self, product: Product) -> bool:
        return bool(getattr(product, "exact_match", False))


class LineKindField(serializers.CharField):
    """A line's kind: ``null`` for a product, else the stored-value kind's key (``giftCard``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("help_text", "null for a product; else the key of its stored-value kind.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class SaleLineSerializer(ApiModelSerializer):
    kind = LineKindField()

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "product_id",
            "kind",
            "sku",
            "name",
            "unit_price",
            "quantity",
            "discount",
            "line_total",
            "refunded_quantity",
        ]
        read_only_fields = fields


class PaymentSerializer(ApiModelSerializer):
    class Meta:
        model = Payment
        fields = ["method", "amount"]
        read_only_fields = fields


class SaleSerializer(ApiModelSerializer):
    customer_id = serializers.IntegerField(allow_null=True, read_only=True)
    customer_name = serializers.CharField(
        source="customer.name", default=None, read_only=True, allow_null=True
    )
    cashier = serializers.CharField(source="cashier.username", read_only=True)
    store_id = serializers.IntegerField(read_only=True)
    till_id = serializers.IntegerField(read_only=True)
    lines = SaleLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Sale
        fields = [
            "id",
            "number",
            "store_id",
            "till_id",
            "customer_id",
            "customer_name",
            "cashier",
            "status",
            "subtotal",
            "discount",
            "tax",
            "total",
            "change",
            "refunded_total",
            "lines",
            "payments",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for facts in sale_facts():
            data.update(facts.api(instance))
        return data


# A percentage the quote takes: 0 to 100, at most two decimals.
PERCENT_PATTERN = r"(?:100(?:\.0{1,2})?|\d{1,2}(?:\.\d{1,2})?)"


class DiscountField(serializers.Field):
    """A discount as typed: an amount ("2.50") or a percentage ("10%").

    The quote works out what a percentage takes off (``sales.discounts``); here
    the text is only read, with the same rule and messages.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        set_override(
            self,
            "field",
            {
                "type": "string",
                # Anchored around both forms: "^amount|percent$" let ".8x" through the
                # schema, then the service refused it. Blank is no discount.
                "pattern": (rf"^\s*(?:{amount_pattern()[1:-1]}|{PERCENT_PATTERN}\s*%)?\s*$"),
                "example": "10%",
            },
        )

    def to_internal_value(self, data):
        try:
            return parse_discount(data, field="value")
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["value"]) from None

    def to_representation(self, value):
        return str(value)


class LineInputSerializer(StrictInputMixin, ApiSerializer):
    """A product line (``productId``, ``quantity``, ``discount``) or a stored-value line
    under its kind's key (``{"giftCard": {"amount": "50.00"}}``), which its module reads."""

    product_id = ServiceCheckedIntegerField(minimum=1, maximum=MAX_ID, required=False)
    quantity = ServiceCheckedIntegerField(minimum=1, maximum=MAX_QUANTITY, required=False)
    discount = DiscountField(help_text="Off this line: an amount or a percentage of it.")

    def get_fields(self):
        fields = super().get_fields()
        for kind in stored_value_kinds():
            fields[kind.key] = serializers.DictField(
                required=False, help_text=f"A {kind.label.lower()} line instead of a product."
            )
        return fields

    def validate(self, attrs):
        kinds = [kind.key for kind in stored_value_kinds() if kind.key in attrs]
        if len(kinds) > 1:
            raise serializers.ValidationError({kinds[1]: ["A line sells one thing."]})
        if kinds:
            product_keys = [key for key in ("product_id", "quantity", "discount") if key in attrs]
            if product_keys:
                raise serializers.ValidationError(
                    {
                        camel_case(product_keys[0]): [
                            f"A {kinds[0]} line has no {camel_case(product_keys[0])}."
                        ]
                    }
                )
            return attrs
        missing = {}
        for key in ("product_id", "quantity"):
            if key not in attrs:
                missing[camel_case(key)] = ["This field is required."]
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


def _product_or_stored_value_line() -> dict:
    """A line is a product (``productId`` and ``quantity``) or one stored-value line."""
    kinds = stored_value_kinds()
    product_keys = ["productId", "quantity", "discount"]
    return {
        "description": "A product (productId, quantity) or one stored-value line: "
        + ", ".join(kind.key for kind in kinds),
        "oneOf": [
            {
                "required": ["productId", "quantity"],
                "not": {"anyOf": [{"required": [kind.key]} for kind in kinds]} if kinds else {},
            },
            *(
                {
                    "required": [kind.key],
                    "properties": {kind.key: kind.schema},
                    "not": {
                        "anyOf": [
                            {"required": [key]}
                            for key in [*product_keys, *(k.key for k in kinds if k != kind)]
                        ]
                    },
                }
                for kind in kinds
            ),
        ],
    }


document_body_rule("LineInputRequest", _product_or_stored_value_line)


class PaymentInputSerializer(StrictInputMixin, ApiSerializer):
    """The method is checked against the registered payment methods by the service; a
    method's ``reference_field`` (``giftCardCode``) is read for that method only."""

    method = ServiceCheckedChoiceField(
        choices=lambda: [method.code for method in payment_methods()], max_length=20
    )
    amount = AmountField(positive=True)

    def get_fields(self):
        fields = super().get_fields()
        for method in payment_methods():
            if method.reference_field:
                fields[method.reference_field] = serializers.CharField(
                    required=False,
                    max_length=100,
                    help_text=f"For {method.label.lower()} payments.",
                )
        return fields

    def validate(self, attrs):
        method = payment_method(attrs.get("method", ""))
        for other in payment_methods():
            field = other.reference_field
            if field and field in attrs and (method is None or method.code != other.code):
                raise serializers.ValidationError(
                    {field: [f"Only {other.label.lower()} payments take a {field}."]}
                )
        if method is not None and method.reference_field and not attrs.get(method.reference_field):
            raise serializers.ValidationError(
                {
                    method.reference_field: [
                        f"{method.label} payments need a {method.reference_field}."
                    ]
                }
            )
        return attrs


def _reference_only_with_its_method() -> dict:
    """A method's ``reference_field`` comes with that method, and that method with it."""
    rules = []
    for method in payment_methods():
        field = method.reference_field
        if not field:
            continue
        is_method = {"required": ["method"], "properties": {"method": {"enum": [method.code]}}}
        rules.append(
            {
                "anyOf": [
                    {"allOf": [is_method, {"required": [field]}]},
                    {"not": {"anyOf": [is_method, {"required": [field]}]}},
                ]
            }
        )
    return {"description": "A payment's reference comes with its method.", "allOf": rules}


document_body_rule("PaymentInputRequest", _reference_only_with_its_method)


class AlertOverrideSerializer(StrictInputMixin, ApiSerializer):
    """A Manager allows a sale to a customer whose note blocks sales (``sales.customer_alerts``)."""

    reason = ServiceCheckedTextField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="Why this sale may go ahead: one line, required; recorded on the customer's "
        "timeline with the sale's number.",
    )


class SaleCreateSerializer(StrictInputMixin, ApiSerializer):
    """``{"tillId", "customerId", "lines", "discount", "payments", "alertOverride"}``; the
    checkout service checks rules."""

    till_id = ServiceCheckedIntegerField(
        minimum=1,
        maximum=MAX_ID,
        allow_null=True,
        required=False,
        help_text="The till it is rung up at; required once the chain has more than one till.",
    )
    customer_id = ServiceCheckedIntegerField(
        minimum=1, maximum=MAX_ID, allow_null=True, required=False
    )
    lines = LineInputSerializer(many=True, allow_empty=True)
    discount = DiscountField(help_text="Off the subtotal: an amount or a percentage of it.")
    payments = PaymentInputSerializer(many=True, allow_empty=True)
    alert_override = AlertOverrideSerializer(
        required=False,
        allow_null=True,
        help_text="Needed when the customer's note blocks sales: a Manager's reason to allow "
        "this one (a Cashier's is a 403). Ignored for a customer who is not blocked.",
    )


# A sale needs a product (the checkout service says so); a quote of an empty cart is zero.
document_body_rule(
    "SaleCreateRequest",
    {"description": "A sale has at least one line.", "properties": {"lines": {"minItems": 1}}},
)


def _customer_for_methods_that_need_one() -> dict:
    codes = [method.code for method in payment_methods() if method.needs_customer]
    return {
        "description": f"Paying with {', '.join(codes)} needs a customerId.",
        "anyOf": [
            {"required": ["customerId"], "properties": {"customerId": {"type": "integer"}}},
            {
                "properties": {
                    "payments": {"items": {"properties": {"method": {"not": {"enum": codes}}}}}
                }
            },
        ],
    }


document_body_rule("SaleCreateRequest", _customer_for_methods_that_need_one)
document_body_rule("QuoteRequestRequest", _customer_for_methods_that_need_one)


class QuoteRequestSerializer(SaleCreateSerializer):
    """A cart to price: the checkout's body, with payments optional (they set what is due)."""

    payments = PaymentInputSerializer(many=True, allow_empty=True, required=False)


class QuotedLineSerializer(ApiSerializer):
    product_id = serializers.IntegerField(allow_null=True)
    kind = LineKindField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(**MONEY)
    quantity = serializers.IntegerField()
    discount = serializers.DecimalField(**MONEY)
    line_total = serializers.DecimalField(**MONEY)


class MethodOfferSerializer(ApiSerializer):
    method = serializers.CharField(source="method.code")
    label = serializers.CharField(source="method.label")
    needs_customer = serializers.BooleanField(source="method.needs_customer")
    gives_change = serializers.BooleanField(source="method.gives_change")
    max_amount = serializers.DecimalField(**MONEY)
    detail = serializers.CharField()


class PickWarningSerializer(ApiSerializer):
    level = serializers.ChoiceField(choices=["warn", "block"])
    text = serializers.CharField()


class QuoteSerializer(ApiSerializer):
    """What the till shows: the server's numbers, never its own arithmetic; and what the
    modules warn of about the customer (``customerWarnings``, passed in the context)."""

    lines = QuotedLineSerializer(many=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    change = serializers.DecimalField(**MONEY)
    payment_methods = MethodOfferSerializer(source="methods", many=True)
    cash_suggestions = serializers.ListField(child=serializers.DecimalField(**MONEY))
    customer_warnings = serializers.SerializerMethodField(
        method_name="get_customer_warnings",
        help_text="What the modules warn the cashier of about the customer before payment "
        "(over or near the credit limit, overdue invoices); empty for a walk-in sale.",
    )

    @extend_schema_field(PickWarningSerializer(many=True))
    def get_customer_warnings(self, quote) -> list:
        return PickWarningSerializer(self.context.get("customer_warnings", []), many=True).data
