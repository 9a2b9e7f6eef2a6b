from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "lianbang.transfer"
    label = "transfer"
    verbose_name = "导入导出"

    def ready(self) -> None:
        from lianbang.transfer import tasks  # noqa: F401  (registers the job kinds)
