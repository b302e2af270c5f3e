from django.urls import path

from giftcards import views

app_name = "giftcards"

urlpatterns = [
    path("gift-cards/", views.GiftCardsView.as_view(), name="home"),
    path("gift-cards/issue/", views.IssueCardView.as_view(), name="issue"),
    path("gift-cards/validity/", views.ValidityView.as_view(), name="validity"),
    path("gift-cards/liability/", views.LiabilityView.as_view(), name="liability"),
    path("gift-cards/<int:pk>/", views.GiftCardDetailView.as_view(), name="detail"),
    path("gift-cards/<int:pk>/void/", views.CardVoidView.as_view(), name="void"),
    path("gift-cards/<int:pk>/block/", views.CardBlockView.as_view(), name="block"),
    path("gift-cards/<int:pk>/adjust/", views.CardAdjustView.as_view(), name="adjust"),
]
