from django.urls import include, path
from django.views.generic import RedirectView

from crm import views

app_name = "crm"

_crm_pages = [
    path("", RedirectView.as_view(pattern_name="crm:lead_list", permanent=False), name="home"),
    path("contacts/", views.ContactListView.as_view(), name="contacts"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/board/", views.LeadBoardView.as_view(), name="lead_board"),
    path("leads/new/", views.LeadFormView.as_view(), name="lead_create"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/edit/", views.LeadFormView.as_view(), name="lead_edit"),
    path("leads/<int:pk>/status/", views.LeadStatusView.as_view(), name="lead_status"),
    path("leads/<int:pk>/convert/", views.LeadConvertView.as_view(), name="lead_convert"),
    path(
        "leads/<int:lead_pk>/activities/",
        views.ActivityCreateView.as_view(),
        name="lead_activity_create",
    ),
    path(
        "customers/<int:customer_pk>/activities/",
        views.ActivityCreateView.as_view(),
        name="customer_activity_create",
    ),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("activities/<int:pk>/done/", views.ActivityDoneView.as_view(), name="activity_done"),
]

urlpatterns = [path("crm/", include(_crm_pages))]
