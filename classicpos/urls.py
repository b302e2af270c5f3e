"""Root URLs: the admin, the REST API and the staff pages.

Every installed app with a ``urls.py`` brings its own pages (their paths start
with the app's section, e.g. ``customers/``), so this module names no app.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from classicpos.job_views import JobDetailView, JobDownloadView, JobListView
from classicpos.lockouts import LockoutListView
from classicpos.modules import module_submodules

admin.site.site_header = "ClassicPOS administration"
admin.site.site_title = "ClassicPOS admin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/lockouts/", LockoutListView.as_view(), name="lockouts"),
    path("jobs/", JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/download/", JobDownloadView.as_view(), name="job_download"),
    path("admin/", admin.site.urls),
    path("api/auth/", include("rest_framework.urls")),
    path("api/", include("classicpos.api.urls")),
    *(path("", include(urls)) for urls in module_submodules("urls")),
]

handler400 = "classicpos.errors.bad_request"
handler403 = "classicpos.errors.permission_denied"
handler404 = "classicpos.errors.page_not_found"
handler500 = "classicpos.errors.server_error"
