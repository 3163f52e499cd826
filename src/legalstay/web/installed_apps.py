"""The Django applications of legalstay: read by the settings, and by ``bootstrap`` to describe
the commands (``--help``) without reading any setting from the environment."""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "legalstay.web.accounts",
    "legalstay.web.registry",
    "legalstay.web.casework",
    "legalstay.web.statistics",
]
