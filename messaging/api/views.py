"""``GET /api/messages`` (Managers) and ``POST /api/sales/:id/email-receipt``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import run_idempotently
from customers.models import Channel
from messaging import services
from messaging.api.filters import MessageFilterSet
from messaging.api.serializers import (
    EmailReceiptSerializer,
    MessageSerializer,
    QueuedMessageSerializer,
)
from messaging.models import Message
from messaging.permissions import EMAIL_RECEIPT, VIEW_MESSAGE
from messaging.selectors import message_list
from sales.permissions import VIEW_SALE
from sales.selectors import sale_list


class MessageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The outbox, newest first: each message's state, attempts and last error."""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()
    filterset_class = MessageFilterSet
    action_permissions = {"list": [VIEW_MESSAGE], "send_again": [VIEW_MESSAGE, EMAIL_RECEIPT]}

    def get_queryset(self):
        return message_list()

    @extend_schema(
        summary="Send a failed message again, as a new message (honours Idempotency-Key)",
        request=None,
        responses={202: QueuedMessageSerializer},
    )
    @action(detail=True, methods=["post"], url_path="send-again", filter_backends=[])
    def send_again(self, request, *args, **kwargs):
        return run_idempotently(request, lambda: self._send_again(request))

    def _send_again(self, request) -> Response:
        queued = services.message_send_again(message=self.get_object(), user=request.user)
        return Response({"messageId": queued.pk}, status=status.HTTP_202_ACCEPTED)


class SaleEmailReceiptView(generics.GenericAPIView):
    """``POST /api/sales/:id/email-receipt``: queue the receipt; the worker sends it."""

    serializer_class = EmailReceiptSerializer
    queryset = Message.objects.none()
    action_permissions = {"create": [EMAIL_RECEIPT, VIEW_SALE]}
    action = "create"

    @extend_schema(
        summary="Email a sale's receipt to its customer or to a typed address "
        "(honours Idempotency-Key)",
        request=EmailReceiptSerializer,
        responses={202: QueuedMessageSerializer},
        parameters=[
            OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The sale's id.")
        ],
    )
    def post(self, request, pk: int):
        return run_idempotently(request, lambda: self._email(request, pk))

    def _email(self, request, sale_id: int) -> Response:
        sale = get_object_or_404(sale_list().select_related("customer"), pk=sale_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.receipt_email(
            sale=sale,
            email=serializer.validated_data.get("email") or None,
            user=request.user,
            save_to_customer=serializer.validated_data["save_to_customer"],
            channel=Channel.API,
        )
        return Response({"messageId": message.pk}, status=status.HTTP_202_ACCEPTED)
