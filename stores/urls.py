from django.urls import path

from stores import views

app_name = "stores"

urlpatterns = [
    path("stores/", views.StoreListView.as_view(), name="store_list"),
    path("tills/pair/", views.PairTillView.as_view(), name="pair_till"),
]
