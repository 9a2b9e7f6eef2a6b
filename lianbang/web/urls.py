from django.contrib.auth import views as auth_views
from django.urls import path

from lianbang.audit import views as audit_views
from lianbang.web import login_views, spa, views

app_name = "web"
urlpatterns = [
    path("login/", login_views.login_view, name="login"),
    path("login/password/", login_views.login_password, name="login_password"),
    path("login/otp/", login_views.login_otp, name="login_otp"),
    path("login/otp/qr.svg", login_views.login_otp_qr, name="login_otp_qr"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/reveal/", views.household_reveal, name="household_reveal"),
    path("break-glass/", views.break_glass_page, name="break_glass"),
    path("account/password/", views.account_password, name="account_password"),
    path("audit/", audit_views.audit_list, name="audit"),
    # The Vue apps (frontend/): the console for officials, the phone app for grid workers.
    path("console/", spa.console, name="console"),
    path("console/<path:path>", spa.console, name="console_path"),
    path("m/", spa.mobile, name="mobile"),
    path("m/sw.js", spa.mobile_service_worker, name="mobile_sw"),
    path("m/manifest.webmanifest", spa.mobile_manifest, name="mobile_manifest"),
    path("m/<path:path>", spa.mobile, name="mobile_path"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
]
