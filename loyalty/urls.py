from django.urls import path

from loyalty import views

app_name = "loyalty"

urlpatterns = [
    path("customers/<int:pk>/points/adjust/", views.AdjustPointsView.as_view(), name="adjust"),
]
