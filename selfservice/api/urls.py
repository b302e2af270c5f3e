"""The self-service API: a customer's links (send, revoke)."""

from django.urls import re_path

from selfservice.api.views import SelfServiceLinkView

urlpatterns = [
    re_path(
        r"^customers/(?P<pk>\d+)/self-service-link/?$",
        SelfServiceLinkView.as_view(),
        name="customer-self-service-link",
    ),
]
