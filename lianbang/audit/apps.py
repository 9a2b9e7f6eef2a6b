from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lianbang.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from lianbang.audit import signals  # noqa: F401  (connects the receivers)
