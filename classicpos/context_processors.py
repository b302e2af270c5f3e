"""Template context shared by every page of the app shell."""

from django.conf import settings


def shop(request):
    """Expose the shop's name and currency to templates."""
    return {
        "shop_name": settings.CLASSICPOS_SHOP_NAME,
        "currency": settings.CLASSICPOS_CURRENCY,
    }
