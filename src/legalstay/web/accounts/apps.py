from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "legalstay.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
