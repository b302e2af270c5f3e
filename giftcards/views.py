"""Staff pages of gift cards: check a balance, issue a card, set the validity, one card's
page with its entries and a Manager's void, block and adjustment, and the liability.

Codes travel only in POST bodies: a balance check is a form posted to the page, and an
issued card's code is shown once in the answer to the issuing POST (never in a URL, a
redirect, the session or a log line, and the answer is not cached).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from classicpos.money_format import format_money
from classicpos.views import StaffPageMixin, errors_by_field, query_without_page
from giftcards import codes, services
from giftcards.forms import (
    AdjustCardForm,
    BalanceCheckForm,
    BlockCardForm,
    IssueCardForm,
    ValidityForm,
    VoidCardForm,
)
from giftcards.lookups import NO_ACTIVE_CARD, TooManyMisses, card_for_code, refusal
from giftcards.models import GiftCard, GiftCardProgram, GiftCardStatus
from giftcards.permissions import (
    ADJUST_GIFT_CARD,
    CHANGE_PROGRAM,
    ISSUE_GIFT_CARD,
    VIEW_GIFT_CARD,
    VIEW_LIABILITY,
    VOID_GIFT_CARD,
)
from giftcards.reports import liability_csv, liability_report
from stores.devices import device_till

ENTRIES_PER_PAGE = 25
# The services name fields as the API does; the pages' forms name them so.
FORM_FIELDS = {"customerId": "customer", "validityMonths": "months"}


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it concerns (the form's own name for it)."""
    for field, field_messages in errors_by_field(error).items():
        field = FORM_FIELDS.get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


class GiftCardsView(StaffPageMixin, TemplateView):
    """``GET``: the page; ``POST``: check a balance by code (the code in the body only)."""

    permission_required = VIEW_GIFT_CARD
    template_name = "giftcards/gift_cards.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_change_program = user.has_perm(CHANGE_PROGRAM)
        program = GiftCardProgram.current() if can_change_program else None
        context = {
            "lookup_form": BalanceCheckForm(),
            "can_issue": user.has_perm(ISSUE_GIFT_CARD),
            "issue_form": IssueCardForm(),
            "can_change_program": can_change_program,
            "program": program,
            "validity_form": ValidityForm(
                initial={"months": program.validity_months if program else None}
            ),
            "can_view_liability": user.has_perm(VIEW_LIABILITY),
        }
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        form = BalanceCheckForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(lookup_form=form))
        try:
            card = card_for_code(
                form.cleaned_data["code"],
                user=request.user,
                address=request.META.get("REMOTE_ADDR"),
            )
        except TooManyMisses as error:
            form.add_error("code", str(error))
            return self.render_to_response(self.get_context_data(lookup_form=form), status=429)
        if card is None:
            form.add_error("code", NO_ACTIVE_CARD)
            return self.render_to_response(self.get_context_data(lookup_form=form))
        card = GiftCard.objects.select_related("customer").get(pk=card.pk)
        # A fresh, empty form: the code found is not written back into the page.
        return self.render_to_response(
            self.get_context_data(found=card, found_refusal=refusal(card))
        )


class IssueCardView(GiftCardsView):
    """A Manager issues a card outside a sale; the answer is the card's page with its code,
    shown this once."""

    permission_required = ISSUE_GIFT_CARD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = IssueCardForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                card, code = services.card_issue(
                    amount=data["amount"],
                    code=data["code"],
                    customer_id=data["customer"],
                    user=request.user,
                    till=device_till(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                response = TemplateResponse(
                    request,
                    GiftCardDetailView.template_name,
                    card_page_context(request, card, issued_code=codes.pretty(code)),
                )
                # The code is in this answer alone: no cache, no back button, keeps it.
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(issue_form=form))


class ValidityView(GiftCardsView):
    """A Manager sets how long cards issued from now on are valid."""

    permission_required = CHANGE_PROGRAM
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ValidityForm(request.POST)
        if form.is_valid():
            try:
                program = services.program_set_validity(months=form.cleaned_data["months"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                months = program.validity_months
                messages.success(
                    request,
                    f"Cards issued from now on are valid for {months} month"
                    f"{'s' if months != 1 else ''}; cards already issued keep their date."
                    if months
                    else "Cards issued from now on never expire; "
                    "cards already issued keep their date.",
                )
                return redirect("giftcards:home")
        return self.render_to_response(self.get_context_data(validity_form=form))


def card_page_context(request, card: GiftCard, **kwargs) -> dict:
    """The card page's context: the card, one page of its entries, and the Manager's forms."""
    user = request.user
    entries = card.entries.select_related("created_by", "sale", "store", "till").order_by(
        "-sequence"
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "card": card,
        "refusal": refusal(card),
        "page_obj": page,
        "entries": page.object_list,
        "query_without_page": query_without_page(request),
        "can_void": user.has_perm(VOID_GIFT_CARD) and card.status != GiftCardStatus.VOIDED,
        "can_adjust": user.has_perm(ADJUST_GIFT_CARD) and card.status != GiftCardStatus.VOIDED,
        "adjust_form": AdjustCardForm(),
    }
    context.update(kwargs)
    return context


class CardMixin(StaffPageMixin):
    @cached_property
    def card(self) -> GiftCard:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(
            GiftCard.objects.select_related("issued_at_store", "customer"), pk=self.kwargs["pk"]
        )


class GiftCardDetailView(CardMixin, TemplateView):
    """One card: its balance, status, expiry, store, customer and entries, newest first."""

    permission_required = VIEW_GIFT_CARD
    template_name = "giftcards/giftcard_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**card_page_context(self.request, self.card, **kwargs))


class CardVoidView(CardMixin, FormView):
    """A Manager voids a card: the page says what will happen and asks why."""

    permission_required = VOID_GIFT_CARD
    form_class = VoidCardForm
    template_name = "giftcards/giftcard_confirm_void.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(card=self.card, **kwargs)

    def form_valid(self, form):
        card = self.card
        written_off = card.balance
        try:
            services.card_void(
                card=card, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Voided gift card {card.masked}; {format_money(written_off)} written off.",
        )
        return redirect("giftcards:detail", pk=card.pk)


class CardBlockView(CardMixin, FormView):
    """POST only: block a card (lost, disputed) or make it active again; a toast says how."""

    permission_required = VOID_GIFT_CARD
    form_class = BlockCardForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages.error(self.request, "Choose to block or unblock the card.")
        return redirect("giftcards:detail", pk=self.card.pk)

    def form_valid(self, form):
        blocked = form.cleaned_data["blocked"]
        try:
            card = services.card_set_blocked(
                card=self.card, blocked=blocked, user=self.request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
        else:
            messages.success(
                self.request,
                f"Gift card {card.masked} is {'blocked' if blocked else 'active again'}.",
            )
        return redirect("giftcards:detail", pk=self.card.pk)


class CardAdjustView(CardMixin, FormView):
    """POST only: a Manager's signed correction with a reason; a refusal comes back as the
    card page with the message beside its field."""

    permission_required = ADJUST_GIFT_CARD
    form_class = AdjustCardForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        if self.card.status == GiftCardStatus.VOIDED:
            # A voided card's page offers no adjustment to show the refusal beside.
            for field_messages in form.errors.values():
                for message in field_messages:
                    messages.error(self.request, message)
            return redirect("giftcards:detail", pk=self.card.pk)
        return TemplateResponse(
            self.request,
            GiftCardDetailView.template_name,
            card_page_context(self.request, self.card, adjust_form=form),
        )

    def form_valid(self, form):
        card = self.card
        try:
            entry = services.card_adjust(
                card=card,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                till=device_till(self.request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Adjusted gift card {card.masked} by {entry.amount:+}; "
            f"balance {format_money(entry.balance_after)}.",
        )
        return redirect("giftcards:detail", pk=card.pk)


class LiabilityView(StaffPageMixin, TemplateView):
    """What the shop owes on gift cards, by month of issue and issuing store; CSV too."""

    permission_required = VIEW_LIABILITY
    template_name = "giftcards/liability.html"

    def get(self, request, *args, **kwargs):
        report = liability_report()
        if request.GET.get("download") == "csv":
            return liability_csv(report)
        return self.render_to_response(self.get_context_data(report=report))
