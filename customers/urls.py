from django.urls import include, path

from customers import views

app_name = "customers"

_customer_pages = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("new/", views.CustomerFormView.as_view(), name="create"),
    path("duplicates/", views.CustomerDuplicatesView.as_view(), name="duplicates"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerFormView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", views.CustomerDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/restore/", views.CustomerRestoreView.as_view(), name="restore"),
]

urlpatterns = [path("customers/", include(_customer_pages))]
