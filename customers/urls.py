from django.urls import include, path

from customers.views import data_tools, profile, timeline

app_name = "customers"

_customer_pages = [
    path("", profile.CustomerListView.as_view(), name="list"),
    path("new/", profile.CustomerFormView.as_view(), name="create"),
    path("duplicates/", profile.CustomerDuplicatesView.as_view(), name="duplicates"),
    path("import/", data_tools.CustomerImportView.as_view(), name="import"),
    path("export/", data_tools.CustomerExportView.as_view(), name="export"),
    path(
        "likely-duplicates/",
        data_tools.CustomerDuplicateListView.as_view(),
        name="duplicate_list",
    ),
    path("<int:pk>/", profile.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", profile.CustomerFormView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", profile.CustomerDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/restore/", profile.CustomerRestoreView.as_view(), name="restore"),
    path("<int:pk>/merge/", data_tools.CustomerMergeView.as_view(), name="merge"),
    path(
        "<int:pk>/not-duplicate/",
        data_tools.CustomerMarkDistinctView.as_view(),
        name="mark_distinct",
    ),
    path("<int:pk>/anonymise/", data_tools.CustomerAnonymiseView.as_view(), name="anonymise"),
    path(
        "<int:pk>/data-export/",
        data_tools.CustomerDataExportView.as_view(),
        name="data_export",
    ),
    path("<int:pk>/timeline/", timeline.CustomerTimelineView.as_view(), name="timeline"),
]

urlpatterns = [path("customers/", include(_customer_pages))]
