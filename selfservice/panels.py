"""The Self-service panel on the customer detail page: send a link, revoke the links."""

from django.conf import settings

from customers.panels import CustomerPanel, register_panel
from selfservice.models import SelfServiceLink
from selfservice.permissions import REVOKE_LINK, SEND_LINK

LINKS_SHOWN = 5


def self_service_panel_context(customer, request) -> dict:
    links = list(SelfServiceLink.objects.filter(customer=customer)[:LINKS_SHOWN])
    return {
        "self_service_links": links,
        "can_revoke_links": request.user.has_perm(REVOKE_LINK),
        "self_service_days": settings.CLASSICPOS_SELF_SERVICE_LINK_DAYS,
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="selfservice/_self_service_panel.html",
            context=self_service_panel_context,
            order=85,
            permission=SEND_LINK,
        )
    )
