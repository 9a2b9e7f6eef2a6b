from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianbang.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from lianbang.accounts import signals  # noqa: F401  (connects the receivers)
