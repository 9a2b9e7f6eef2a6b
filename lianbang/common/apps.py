from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "lianbang.common"
    label = "common"
