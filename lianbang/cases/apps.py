from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianbang.cases"
    label = "cases"
    verbose_name = "帮扶链条"

    def ready(self) -> None:
        # Monitoring never imports cases: cases listens to monitoring's signals.
        from lianbang.cases import receivers  # noqa: F401
