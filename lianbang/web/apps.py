from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lianbang.web"
    label = "web"
