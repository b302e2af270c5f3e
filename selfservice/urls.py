from django.urls import path

from selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("my/", views.LinkRequestView.as_view(), name="request"),
    path("my/<str:token>/", views.SelfServicePageView.as_view(), name="page"),
    path("my/<str:token>/consents/", views.ConsentView.as_view(), name="consent"),
    path("my/<str:token>/data/", views.DataDownloadView.as_view(), name="data"),
    path(
        "customers/<int:pk>/self-service-link/",
        views.SendLinkView.as_view(),
        name="send",
    ),
    path(
        "customers/<int:pk>/self-service-link/revoke/",
        views.RevokeLinksView.as_view(),
        name="revoke",
    ),
]
