from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "lianbang.care"
    label = "care"
    verbose_name = "三安关爱"
