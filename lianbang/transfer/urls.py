from django.urls import path

from lianbang.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_page, name="import"),
    path("departments/", views.department_page, name="department"),
    path("departments/template.xlsx", views.department_template, name="department_template"),
    path("export/", views.export_page, name="export"),
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/status.json", views.job_status, name="job_status"),
    path("jobs/<int:job_id>/commit/", views.job_commit, name="job_commit"),
    path("jobs/<int:job_id>/rerun/", views.job_rerun_view, name="job_rerun"),
    path("jobs/<int:job_id>/errors.xlsx", views.job_errors, name="job_errors"),
    path("jobs/<int:job_id>/result.xlsx", views.job_result, name="job_result"),
]
