"""Django settings for legalstay, read from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from legalstay.web.environment import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
)
from legalstay.web.installed_apps import INSTALLED_APPS as APPS
from legalstay.web.languages import LANGUAGES as INTERFACE_LANGUAGES

WEB_DIR = Path(__file__).resolve().parent
REPO_DIR = WEB_DIR.parents[2]
VAR_DIR = env_path("LEGALSTAY_VAR_DIR", REPO_DIR / "var")

DEBUG = env_bool("DEBUG", False)
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-do-not-deploy" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def database_config(url: str) -> dict[str, object]:
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be parsed: {error}") from None
    if config["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL uses {config['ENGINE']}; use sqlite or postgres")
    config["ATOMIC_REQUESTS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = SQLITE_OPTIONS
    return config


# Requests run in one transaction each, and some that read also write (a person page keeps
# the explanation it worked out). On SQLite a transaction that began by reading cannot take
# the write lock while another request holds it and fails at once with "database is locked";
# IMMEDIATE takes the lock at BEGIN and waits for it up to the timeout, and WAL lets readers
# outside a transaction go on beside the writer.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
}


SQLITE_URL = f"sqlite:///{VAR_DIR / 'legalstay.sqlite3'}"
# An empty DATABASE_URL means "not set", as in an .env file with the line left blank.
DATABASES = {"default": database_config(env_str("DATABASE_URL", "") or SQLITE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = list(APPS)
# Caseload counts of 1 to this minus 1 persons are withheld on every output (page, CSV/JSON,
# report); see docs/statistics-web.md.
STATISTICS_SUPPRESSION_THRESHOLD = env_int("STATISTICS_SUPPRESSION_THRESHOLD", 10)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "legalstay.web.accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "legalstay.web.urls"
WSGI_APPLICATION = "legalstay.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casework:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = INTERFACE_LANGUAGES
LOCALE_PATHS = [WEB_DIR / "locale"]
# Dates typed as YYYY-MM-DD in every language (legalstay.web.formats).
FORMAT_MODULE_PATH = ["legalstay.web.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Warsaw")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide files (site.css, htmx) live beside the templates, not in an app.
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "legalstay@localhost")

# Personal data never goes to logs: requests are not logged with bodies, and the registry
# logs only record ids. Errors go to stderr without local variables.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
