from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lianbang.demo"
    label = "demo"
