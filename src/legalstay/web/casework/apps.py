from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "legalstay.web.casework"
    label = "casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver of the registry's person_facts_changed signal.
        from legalstay.web.casework import receivers  # noqa: F401
