from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.MessageListView.as_view(), name="list"),
    path("messages/<int:pk>/send-again/", views.SendAgainView.as_view(), name="send_again"),
    path("sales/<int:pk>/email-receipt/", views.EmailReceiptView.as_view(), name="email_receipt"),
]
