from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from lianbang.api.urls import api

urlpatterns = [
    # One login for the whole site: lockout, forced password change and TOTP apply to the admin too.
    path("admin/login/", RedirectView.as_view(pattern_name="web:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("transfer/", include("lianbang.transfer.urls")),
    path("", include("lianbang.web.urls")),
]
