from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "lianbang.policies"
    label = "policies"
    verbose_name = "政策库"
