"""``/api/gift-cards``: issue, look up by code, read, void; thin adapters to services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import run_idempotently, validated_key
from giftcards import services
from giftcards.api.serializers import (
    GiftCardEntrySerializer,
    GiftCardSerializer,
    IssuedGiftCardSerializer,
    IssueSerializer,
    LookupAnswerSerializer,
    LookupSerializer,
    VoidSerializer,
)
from giftcards.lookups import NO_ACTIVE_CARD, TooManyMisses, card_for_code, refusal
from giftcards.models import GiftCard
from giftcards.permissions import ISSUE_GIFT_CARD, VIEW_GIFT_CARD, VOID_GIFT_CARD
from stores.selectors import till_named


class NoActiveCard(exceptions.NotFound):
    default_detail = NO_ACTIVE_CARD


class GiftCardViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Gift cards: issue one outside a sale, look one up by its code, read its entries,
    void it. Codes travel in bodies only (``POST``), never in a URL."""

    serializer_class = GiftCardSerializer
    queryset = GiftCard.objects.all()
    lookup_value_regex = r"\d+"
    action_permissions = {
        "create": [ISSUE_GIFT_CARD],
        "lookup": [VIEW_GIFT_CARD],
        "void": [VOID_GIFT_CARD],
        "entries": [VIEW_GIFT_CARD],
    }

    @extend_schema(
        summary="Issue a gift card outside a sale (Manager; honours Idempotency-Key)",
        request=IssueSerializer,
        responses={201: IssuedGiftCardSerializer},
    )
    def create(self, request, *args, **kwargs):
        return run_idempotently(request, lambda: self._issue(request))

    def _issue(self, request) -> Response:
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        till = till_named(values.get("till_id"))
        card, code = services.card_issue(
            amount=values["amount"],
            code=values.get("code", ""),
            customer_id=values.get("customer_id"),
            user=request.user,
            till=till,
        )
        body = IssuedGiftCardSerializer(card).data
        body["code"] = code
        response = Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"/api/gift-cards/{card.pk}")},
        )
        # The code is this answer's alone: a replay of it says null rather than keep it.
        response.not_kept = ("code",)
        return response

    @extend_schema(
        summary="Find a card by its code: 404 for unknown, voided and expired alike; "
        "429 after 10 wrong codes a minute",
        request=LookupSerializer,
        responses={
            200: LookupAnswerSerializer,
            404: OpenApiResponse(description=NO_ACTIVE_CARD),
            429: OpenApiResponse(description="Too many wrong codes in the last minute."),
        },
    )
    @action(detail=False, methods=["post"])
    def lookup(self, request, format=None):
        validated_key(request)
        data = LookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            card = card_for_code(
                data.validated_data["code"],
                user=request.user,
                address=request.META.get("REMOTE_ADDR"),
            )
        except TooManyMisses as error:
            raise exceptions.Throttled(wait=60, detail=str(error)) from None
        if card is None:
            raise NoActiveCard()
        reason = refusal(card)
        if reason:
            # The code matched a card: staff may be told why it cannot pay.
            raise NoActiveCard(detail=f"{NO_ACTIVE_CARD} {reason}")
        return Response(LookupAnswerSerializer(card).data)

    @extend_schema(
        summary="A card's entries, newest first",
        responses={200: GiftCardEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None, format=None):
        card = self.get_object()
        rows = card.entries.select_related("created_by").order_by("-sequence")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(GiftCardEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Void a card for good: its balance is written off (Manager)",
        request=VoidSerializer,
        responses={200: GiftCardSerializer},
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None, format=None):
        return run_idempotently(request, lambda: self._void(request))

    def _void(self, request) -> Response:
        card = get_object_or_404(GiftCard, pk=self.kwargs["pk"])
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.card_void(
            card=card, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(GiftCardSerializer(card).data)
