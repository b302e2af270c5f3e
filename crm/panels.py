"""The CRM panel on the customer detail page: recent activities and the inline log form."""

from django.urls import reverse

from crm.permissions import ADD_ACTIVITY, VIEW_ACTIVITY
from customers.panels import CustomerPanel, register_panel

RECENT_ACTIVITIES = 10


def crm_panel_context(customer, request, form=None) -> dict:
    """Return the panel's context: one query for the recent activities and their authors."""
    from crm.forms import ActivityForm
    from crm.selectors import customer_activities

    return {
        "activities": list(customer_activities(customer=customer)[:RECENT_ACTIVITIES]),
        "activity_form": form or ActivityForm(),
        "activity_post_url": reverse("crm:customer_activity_create", args=[customer.pk]),
        "section_id": "crm-panel",
        "wide": True,
        "show_activity_form": request.user.has_perm(ADD_ACTIVITY),
        "oob_toasts": False,
    }


def connect() -> None:
    register_panel(
        CustomerPanel(
            template_name="crm/_crm_panel.html",
            context=crm_panel_context,
            order=30,
            permission=VIEW_ACTIVITY,
        )
    )
