from django.urls import path

from loyalty import tier_views, views

app_name = "loyalty"

urlpatterns = [
    path("customers/<int:pk>/points/adjust/", views.AdjustPointsView.as_view(), name="adjust"),
    path("customers/<int:pk>/tier/", views.SetTierView.as_view(), name="set_tier"),
    path("loyalty/tiers/", tier_views.TierTableView.as_view(), name="tiers"),
]
