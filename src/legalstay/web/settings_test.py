"""Settings for the test suite: the production settings, with test-only defaults.

The environment still wins (CI sets DATABASE_URL to PostgreSQL). Defaults are set before the
settings are read, which a conftest cannot do: pytest-django loads settings first.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("SECURE_COOKIES", "0")

from legalstay.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
