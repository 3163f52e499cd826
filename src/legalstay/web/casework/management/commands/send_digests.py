"""``legalstay send-digests`` (``manage send_digests``): e-mail each caseworker the alerts
raised for their persons since their last digest. Run it after the daily scan."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from legalstay.web.casework.digests import send_digests


class Command(BaseCommand):
    help = "E-mail each caseworker a digest of the alerts raised since the last one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=os.environ.get("LEGALSTAY_BASE_URL", "http://127.0.0.1:8000"),
            help="where the application is reached, for the links (env LEGALSTAY_BASE_URL)",
        )
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, help="language of the e-mails"
        )

    def handle(self, *args: Any, base_url: str, language: str, **options: Any) -> None:
        sent, carried = send_digests(base_url, language)
        self.stdout.write(f"Sent {sent} digests carrying {carried} alerts.")
