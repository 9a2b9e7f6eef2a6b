from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "lianbang.employment"
    label = "employment"
    verbose_name = "六步就业"

    def ready(self) -> None:
        from lianbang.employment import tasks  # noqa: F401  (registers the export job kind)
