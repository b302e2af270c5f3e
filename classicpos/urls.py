"""Root URLs: the admin, the REST API and the staff pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "ClassicPOS administration"
admin.site.site_title = "ClassicPOS admin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/", include("customers.urls")),
    path("", include("sales.urls")),
    path("", include("loyalty.urls")),
    path("admin/", admin.site.urls),
    path("api/auth/", include("rest_framework.urls")),
    path("api/", include("classicpos.api.urls")),
]

handler400 = "classicpos.errors.bad_request"
handler403 = "classicpos.errors.permission_denied"
handler404 = "classicpos.errors.page_not_found"
handler500 = "classicpos.errors.server_error"
