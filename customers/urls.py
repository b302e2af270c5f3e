from django.urls import include, path

from customers import data_tool_views, views

app_name = "customers"

_customer_pages = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("new/", views.CustomerFormView.as_view(), name="create"),
    path("duplicates/", views.CustomerDuplicatesView.as_view(), name="duplicates"),
    path("import/", data_tool_views.CustomerImportView.as_view(), name="import"),
    path("export/", data_tool_views.CustomerExportView.as_view(), name="export"),
    path(
        "likely-duplicates/",
        data_tool_views.CustomerDuplicateListView.as_view(),
        name="duplicate_list",
    ),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerFormView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", views.CustomerDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/restore/", views.CustomerRestoreView.as_view(), name="restore"),
    path("<int:pk>/merge/", data_tool_views.CustomerMergeView.as_view(), name="merge"),
    path(
        "<int:pk>/not-duplicate/",
        data_tool_views.CustomerMarkDistinctView.as_view(),
        name="mark_distinct",
    ),
    path("<int:pk>/anonymise/", data_tool_views.CustomerAnonymiseView.as_view(), name="anonymise"),
    path("<int:pk>/timeline/", views.CustomerTimelineView.as_view(), name="timeline"),
]

urlpatterns = [path("customers/", include(_customer_pages))]
