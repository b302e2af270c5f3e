"""Accounting JSON: camelCase keys, money as strings (``"40.00"``) like the sales API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounting.models import Invoice, InvoicePayment, InvoicePaymentReversal, StoreCreditEntry
from classicpos.api.serializers import ApiModelSerializer, ApiSerializer, StrictInputMixin
from stores.api.fields import till_id_field

MONEY = {"max_digits": 12, "decimal_places": 2}
# A statement's running balance adds up history that a merge may have joined (two
# customers who each owed the most at once): it is shown as it is, never refused, so
# it is not held to one money column's 12 digits (a 500 when it passed them).
RUNNING_BALANCE = {"max_digits": None, "decimal_places": 2}


class AccountSerializer(ApiSerializer):
    """``GET /api/customers/:id/account``: the figures of ``AccountSummary``."""

    customer_id = serializers.IntegerField(source="customer.pk")
    credit_limit = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)
    overdue = serializers.DecimalField(**MONEY)
    available_credit = serializers.DecimalField(**MONEY)
    store_credit = serializers.DecimalField(**MONEY)
    open_invoices = serializers.IntegerField()


class AccountUpdateSerializer(StrictInputMixin, ApiSerializer):
    """``{"creditLimit": "500.00"}``; the service parses the amount and checks the rules."""

    credit_limit = serializers.CharField(max_length=20, help_text='An amount such as "500.00".')


class InvoicePaymentReversalSerializer(ApiModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = InvoicePaymentReversal
        fields = ["id", "reason", "created_by", "created_at"]
        read_only_fields = fields


class InvoicePaymentSerializer(ApiModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    # ``null`` until a Manager reverses the payment; the payment itself never changes.
    reversal = serializers.SerializerMethodField(method_name="get_reversal")

    class Meta:
        model = InvoicePayment
        fields = ["id", "method", "amount", "reference", "created_by", "created_at", "reversal"]
        read_only_fields = fields

    @extend_schema_field(InvoicePaymentReversalSerializer(allow_null=True))
    def get_reversal(self, payment):
        reversal = getattr(payment, "reversal", None)
        return InvoicePaymentReversalSerializer(reversal).data if reversal else None


class InvoiceSerializer(ApiModelSerializer):
    customer_id = serializers.IntegerField(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    sale_id = serializers.IntegerField(read_only=True)
    sale_number = serializers.CharField(source="sale.number", read_only=True)
    balance = serializers.DecimalField(**MONEY, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    payments = InvoicePaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "customer_id",
            "customer_name",
            "sale_id",
            "sale_number",
            "issued_on",
            "due_on",
            "total",
            "amount_paid",
            "amount_credited",
            "balance",
            "status",
            "is_overdue",
            "payments",
        ]
        read_only_fields = fields


class InvoicePaymentCreateSerializer(StrictInputMixin, ApiSerializer):
    """``{"amount": "25.00", "method": "cash"}``; the service checks amount and method."""

    amount = serializers.CharField(max_length=20, help_text='An amount such as "25.00".')
    method = serializers.CharField(
        max_length=20, help_text="cash, card, bank_transfer or store_credit."
    )
    reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, trim_whitespace=True
    )
    till_id = till_id_field("The till taking the payment; the chain's only till when omitted.")


class InvoicePaymentReversalCreateSerializer(StrictInputMixin, ApiSerializer):
    """``{"reason": "Cheque bounced"}``; the service checks it is given."""

    reason = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=500)


class StoreCreditEntrySerializer(ApiModelSerializer):
    sale_number = serializers.CharField(
        source="sale.number", read_only=True, default=None, allow_null=True
    )
    # The invoice a payment was made on, or a reversed payment was made on.
    invoice_number = serializers.SerializerMethodField(method_name="get_invoice_number")
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = StoreCreditEntry
        fields = [
            "id",
            "customer_id",
            "kind",
            "amount",
            "balance_after",
            "sale_id",
            "sale_number",
            "refund_id",
            "invoice_number",
            "store_id",
            "till_id",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_invoice_number(self, entry) -> str | None:
        if entry.invoice_payment_id:
            return entry.invoice_payment.invoice.number
        if entry.payment_reversal_id:
            return entry.payment_reversal.payment.invoice.number
        return None


class StoreCreditAdjustmentSerializer(StrictInputMixin, ApiSerializer):
    """``{"amount": "5.00", "reason": "..."}``; negative takes credit away."""

    amount = serializers.CharField(max_length=20)
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=500)
    till_id = till_id_field()


class StatementLineSerializer(ApiSerializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    reference = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**RUNNING_BALANCE)
    invoice_id = serializers.IntegerField(source="invoice.pk")


class StatementSerializer(ApiSerializer):
    customer_id = serializers.IntegerField(source="customer.pk")
    opening_balance = serializers.DecimalField(**RUNNING_BALANCE)
    lines = StatementLineSerializer(many=True)
    closing_balance = serializers.DecimalField(**RUNNING_BALANCE)

    def get_fields(self):
        fields = super().get_fields()
        # The period is echoed under the query's own names, which are Python keywords.
        fields["from"] = serializers.DateField(source="start")
        fields["to"] = serializers.DateField(source="end")
        order = ("customerId", "from", "to", "openingBalance", "lines", "closingBalance")
        return {name: fields[name] for name in order}
