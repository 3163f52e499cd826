"""``legalstay demo-account``: the caseworker account ``demo`` with a published password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEMO_USERNAME = "demo"
# Published on purpose (README, `make run`): the demo holds synthetic people only.
DEMO_PASSWORD = "legalstay-demo"


def do_reset_demo_account() -> AbstractUser:
    """Creates or resets ``demo``: an active caseworker (staff, not superuser) who may keep the
    registry and use the admin for it."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=DEMO_USERNAME)
    assert isinstance(user, AbstractUser)
    user.is_active, user.is_staff, user.is_superuser = True, True, False
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry"))
    return user


class Command(BaseCommand):
    help = "Create or reset the demo caseworker account (only with DEBUG on, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="create it even with DEBUG off (never on a server others can reach)",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real installation, and the demo password is "
                "public. Refusing; pass --force if this machine is yours alone.",
                returncode=2,
            )
        do_reset_demo_account()
        self.stdout.write(
            f"Open http://127.0.0.1:8000/ and log in as {DEMO_USERNAME} / {DEMO_PASSWORD}"
        )
