"""Template context shared by every page of the app shell."""

from django.conf import settings


def shop(request):
    """Expose the shop's name, currency and the details printed on receipts to templates."""
    return {
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
        "shop_address": settings.CLASSICPOS_SHOP_ADDRESS,
        "shop_phone": settings.CLASSICPOS_SHOP_PHONE,
        "shop_tax_id": settings.CLASSICPOS_SHOP_TAX_ID,
        "currency": settings.CLASSICPOS_CURRENCY,
        # For the pages' scripts (Intl.NumberFormat wants "en-US", Babel "en_US").
        "locale_tag": settings.CLASSICPOS_LOCALE.replace("_", "-"),
    }
