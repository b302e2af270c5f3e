from django.urls import path

from loyalty import report_views, tier_views, views

app_name = "loyalty"

urlpatterns = [
    path("customers/<int:pk>/points/adjust/", views.AdjustPointsView.as_view(), name="adjust"),
    path("customers/<int:pk>/tier/", views.SetTierView.as_view(), name="set_tier"),
    path("loyalty/tiers/", tier_views.TierTableView.as_view(), name="tiers"),
    path("loyalty/liability/", report_views.PointsLiabilityView.as_view(), name="liability"),
]
