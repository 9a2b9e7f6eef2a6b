from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "lianbang.mobile"
    label = "mobile"
    verbose_name = "网格员手机端"

    def ready(self) -> None:
        from lianbang.mobile import sync_kinds, work_kinds

        sync_kinds.register()
        work_kinds.register()
