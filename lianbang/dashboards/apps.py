from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "lianbang.dashboards"
    label = "dashboards"
    verbose_name = "数据看板"

    def ready(self) -> None:
        # Monitoring never imports dashboards: the roll-up listens to its bulk signal.
        from lianbang.dashboards import receivers  # noqa: F401
