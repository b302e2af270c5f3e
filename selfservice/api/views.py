"""``POST /api/customers/:id/self-service-link`` (send) and ``DELETE`` (revoke them all)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from classicpos.api.idempotency import run_idempotently
from customers.models import Channel, Customer
from selfservice import services
from selfservice.api.serializers import (
    RevokedLinksSerializer,
    SendLinkSerializer,
    SentLinkSerializer,
)
from selfservice.models import SelfServiceLink
from selfservice.permissions import REVOKE_LINK, SEND_LINK

CUSTOMER_ID = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The customer's id.")


class SelfServiceLinkView(generics.GenericAPIView):
    """Email a customer a link to their own page, or stop every link they have."""

    serializer_class = SendLinkSerializer
    queryset = SelfServiceLink.objects.none()
    action_permissions = {"create": [SEND_LINK], "destroy": [REVOKE_LINK]}

    @property
    def action(self) -> str | None:
        request = getattr(self, "request", None)
        return {"POST": "create", "DELETE": "destroy"}.get(getattr(request, "method", None))

    @extend_schema(
        summary="Email the customer a link to their self-service page (honours Idempotency-Key)",
        description="The link opens, without a password, a read-only page of the customer's "
        "points, store credit, gift cards, invoices and consents, and their data download. "
        "It goes to the customer's own email and works for CLASSICPOS_SELF_SERVICE_LINK_DAYS "
        "days (7 by default) or until revoked. 400 keyed `email` when the customer has none.",
        request=SendLinkSerializer,
        responses={202: SentLinkSerializer},
        parameters=[CUSTOMER_ID],
    )
    def post(self, request, pk: int):
        return run_idempotently(request, lambda: self._send(request, pk))

    def _send(self, request, pk: int) -> Response:
        customer = get_object_or_404(Customer.objects.all(), pk=pk)
        self.get_serializer(data=request.data).is_valid(raise_exception=True)
        sent = services.link_send(
            customer=customer,
            actor=request.user,
            channel=Channel.API,
            site_url=request.build_absolute_uri("/"),
        )
        return Response(
            SentLinkSerializer(
                {"message_id": sent.message.pk, "expires_at": sent.link.expires_at}
            ).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="Revoke every self-service link of the customer that still works",
        request=None,
        responses={200: RevokedLinksSerializer},
        parameters=[CUSTOMER_ID],
    )
    def delete(self, request, pk: int):
        customer = get_object_or_404(Customer.objects.all(), pk=pk)
        revoked = services.links_revoke(customer=customer, actor=request.user, channel=Channel.API)
        return Response(RevokedLinksSerializer({"revoked": revoked}).data)
