from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianbang.accounts"
    label = "accounts"
    verbose_name = "账号"
