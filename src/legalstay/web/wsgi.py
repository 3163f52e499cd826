import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalstay.web.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Loads the rulebook (parameters, rules, calendar, the engine's imports) as a worker
    starts: otherwise each worker's first person page pays for it, about 300 ms."""
    from legalstay.web.casework.assessment import fingerprint_outputs

    fingerprint_outputs()


_warm_up()
