from django.urls import include, path

from customers import views

app_name = "customers"

_customer_pages = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("new/", views.CustomerFormView.as_view(), name="create"),
    path("duplicates/", views.CustomerDuplicatesView.as_view(), name="duplicates"),
    path("import/", views.CustomerImportView.as_view(), name="import"),
    path("export/", views.CustomerExportView.as_view(), name="export"),
    path("likely-duplicates/", views.CustomerDuplicateListView.as_view(), name="duplicate_list"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerFormView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", views.CustomerDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/restore/", views.CustomerRestoreView.as_view(), name="restore"),
    path("<int:pk>/merge/", views.CustomerMergeView.as_view(), name="merge"),
    path("<int:pk>/anonymise/", views.CustomerAnonymiseView.as_view(), name="anonymise"),
    path("<int:pk>/timeline/", views.CustomerTimelineView.as_view(), name="timeline"),
]

urlpatterns = [path("customers/", include(_customer_pages))]
