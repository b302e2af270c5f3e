"""``POST /api/invoices/:id/payments/:paymentId/reversal``: a Manager reverses a payment.

A sub-resource of the payment, as store credit adjustments are of a customer: the
reversal is created once (``Idempotency-Key`` replays it; a second reversal of the
same payment is a 400), and the answer is the invoice, as recording a payment's is.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from accounting.api.serializers import InvoicePaymentReversalCreateSerializer, InvoiceSerializer
from accounting.models import Invoice, InvoicePayment, InvoicePaymentReversal
from accounting.permissions import REVERSE_PAYMENT, VIEW_INVOICE
from accounting.reversals import invoice_payment_reverse
from accounting.selectors import invoice_list
from classicpos.api.idempotency import run_idempotently


class InvoicePaymentReversalView(generics.GenericAPIView):
    serializer_class = InvoicePaymentReversalCreateSerializer
    queryset = InvoicePaymentReversal.objects.none()
    action_permissions = {"create": [REVERSE_PAYMENT, VIEW_INVOICE]}
    action = "create"

    @extend_schema(
        summary="Reverse a payment of an invoice, with a reason (Manager; honours Idempotency-Key)",
        request=InvoicePaymentReversalCreateSerializer,
        responses={201: InvoiceSerializer},
    )
    def post(self, request, invoice_id: int, payment_id: int):
        return run_idempotently(request, lambda: self._reverse(request, invoice_id, payment_id))

    def _reverse(self, request, invoice_id: int, payment_id: int) -> Response:
        # The invoice by its own key first: Django answers "no such row" for an id past the
        # column only on a primary key, not on a foreign key's column (a 500 otherwise).
        invoice = get_object_or_404(Invoice, pk=invoice_id)
        payment = get_object_or_404(InvoicePayment, pk=payment_id, invoice=invoice)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        invoice_payment_reverse(payment=payment, user=request.user, **data.validated_data)
        body = InvoiceSerializer(invoice_list().get(pk=invoice_id)).data
        location = request.build_absolute_uri(f"/api/invoices/{invoice_id}")
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
