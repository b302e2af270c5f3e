"""Admin: the program's rules are editable; the ledger is read-only."""

from django.contrib import admin

from classicpos.admin import ReadOnlyAdminMixin
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, RewardVoucher


@admin.register(LoyaltyProgram)
class LoyaltyProgramAdmin(admin.ModelAdmin):
    list_display = ["__str__", "minimum_sale_amount", "updated_at"]
    # The tiers' window is saved with the tier table (``loyalty.tier_table``), which says
    # first how many customers a change moves.
    fieldsets = [
        (None, {"fields": ["earn_rate", "redeem_step", "redeem_value", "minimum_sale_amount"]}),
        (
            "Points expiry",
            {
                "description": "A change applies to points earned from then on; points "
                "already held keep the expiry they were earned with.",
                "fields": ["expiry_rule", "expiry_months", "expiry_notice_days"],
            },
        ),
        (
            "Birthday reward",
            {
                "description": "Given by the daily birthday_rewards job in the week of a "
                "customer's birthday, once a year, to those who gave a birthday and agreed "
                "to marketing.",
                "fields": [
                    "birthday_points",
                    "birthday_voucher",
                    "birthday_voucher_days",
                    "birthday_greeting",
                ],
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not LoyaltyProgram.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoyaltyTransaction)
class LoyaltyTransactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "customer", "kind", "points", "balance_after", "sale", "reason"]
    list_filter = ["kind", "created_at"]
    search_fields = ["customer__name", "reason", "sale__number"]
    list_select_related = ["customer", "sale"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(RewardVoucher)
class RewardVoucherAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Vouchers are issued by the birthday job and refunds and used at the till, never here."""

    list_display = ["created_at", "customer", "reason", "amount", "valid_until", "sale"]
    list_filter = ["valid_until", "created_at"]
    search_fields = ["customer__name", "reason", "reference"]
    list_select_related = ["customer", "sale"]
    show_full_result_count = False
