from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "lianbang.employment"
    label = "employment"
    verbose_name = "六步就业"
