from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # A caseworker's day starts at the dashboard of worklists.
    path("", RedirectView.as_view(pattern_name="casework:dashboard"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("registry/", include("legalstay.web.registry.urls")),
    path("casework/", include("legalstay.web.casework.urls")),
    path("statistics/", include("legalstay.web.statistics.urls")),
]
