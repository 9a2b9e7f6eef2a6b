from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "lianbang.sync"
    label = "sync"
    verbose_name = "离线同步"
