from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "legalstay.web.statistics"
    # Not "statistics" (the standard-library module: `migrate statistics`, permissions
    # "statistics.add_observation" and tracebacks would read as if they meant it) and not
    # "stats" (the pure core package): "statistics_app" is unambiguous in every namespace
    # the label enters (migrations, permissions, table names, the admin).
    label = "statistics_app"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from legalstay.web.statistics import checks  # noqa: F401  (registers the checks)
