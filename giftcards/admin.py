"""Admin: gift cards and their ledger, read-only (a balance changes only through an entry,
written by the services); blocking, unblocking and the validity go through the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from classicpos.admin import ReadOnlyAdminMixin
from giftcards import services
from giftcards.models import GiftCard, GiftCardEntry, GiftCardProgram, GiftCardStatus
from giftcards.permissions import VOID_GIFT_CARD


class GiftCardEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = GiftCardEntry
    extra = 0
    can_delete = False
    fields = ["sequence", "created_at", "kind", "amount", "balance_after", "sale", "reason"]
    readonly_fields = ["created_at"]
    ordering = ["-sequence"]


@admin.register(GiftCard)
class GiftCardAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "balance",
        "expires_on",
        "customer",
        "issued_at_store",
        "created_at",
    ]
    list_filter = ["status", "issued_at_store", "created_at"]
    search_fields = ["last4", "customer__name"]
    list_select_related = ["customer", "issued_at_store"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    # The code's hash and last four, the balance and the entry count are the ledger's;
    # the print seed (which rebuilds an unprinted code) is never shown.
    fields = [
        "last4",
        "code_hash",
        "status",
        "balance",
        "entry_count",
        "expires_on",
        "customer",
        "issued_at_store",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [GiftCardEntryInline]
    actions = ["block_selected", "unblock_selected"]

    def has_add_permission(self, request) -> bool:
        # Cards are sold at the till or issued from the gift cards page, with their code.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_void_permission(self, request) -> bool:
        return request.user.has_perm(VOID_GIFT_CARD)

    def _set_blocked(self, request, queryset, *, blocked: bool) -> None:
        changed = 0
        for card in queryset.exclude(status=GiftCardStatus.VOIDED).order_by("pk"):
            try:
                services.card_set_blocked(card=card, blocked=blocked, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            else:
                changed += 1
        what = "Blocked" if blocked else "Unblocked"
        self.message_user(request, f"{what} {changed} gift card{'s' if changed != 1 else ''}.")

    @admin.action(description="Block the selected cards", permissions=["void"])
    def block_selected(self, request, queryset):
        self._set_blocked(request, queryset, blocked=True)

    @admin.action(description="Unblock the selected cards", permissions=["void"])
    def unblock_selected(self, request, queryset):
        self._set_blocked(request, queryset, blocked=False)


@admin.register(GiftCardEntry)
class GiftCardEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "card", "kind", "amount", "balance_after", "sale", "reason"]
    list_filter = ["kind", "created_at"]
    search_fields = ["card__last4", "sale__number", "reason"]
    list_select_related = ["card", "sale"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(GiftCardProgram)
class GiftCardProgramAdmin(admin.ModelAdmin):
    """The validity, set through the service (it applies only to cards issued afterwards)."""

    list_display = ["__str__", "validity_months", "updated_at"]
    fields = ["validity_months", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.program_set_validity(months=form.cleaned_data["validity_months"])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
