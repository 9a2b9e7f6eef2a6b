from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lianbang.monitoring"
    label = "monitoring"
    verbose_name = "动态监测"

    def ready(self) -> None:
        from lianbang.monitoring import receivers  # noqa: F401  (connects the registry signal)
