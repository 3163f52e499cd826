"""The tidy store in the database: one observation a row, and a journal of imports that changed it.

An observation is identified, as in the Parquet store, by its dataset, its dimensions and its
period. The dimensions vary by dataset (``citizen, geo, reason, duration`` for Eurostat permits,
``procedure_type, app_type, dec_level`` for UNHCR …), so they are kept as one JSON object;
``key`` is the same object written canonically (``name=code`` pairs sorted by name, joined by
``;``), so that the identity is one indexed string whatever order a format lists them in.
``citizen`` and ``geo`` are copied out of the JSON into indexed columns because every page
filters on them.

Text columns hold ``""`` where the core's frames hold null (Django's convention for strings);
``frames`` converts between the two.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 1000  # below PostgreSQL's limit for a b-tree index entry (about 2,700 bytes)
CODE_LENGTH = 32
PERIOD_LENGTH = 32
DATASET_LENGTH = 64
FLAG_LENGTH = 8


class Observation(models.Model):
    dataset = models.CharField(_("dataset"), max_length=DATASET_LENGTH)
    key = models.CharField(_("dimensions (canonical)"), max_length=KEY_LENGTH)
    period = models.CharField(_("period"), max_length=PERIOD_LENGTH)
    dimensions = models.JSONField(_("dimensions"), default=dict)
    citizen = models.CharField(_("citizenship"), max_length=CODE_LENGTH, blank=True)
    geo = models.CharField(_("country"), max_length=CODE_LENGTH, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=FLAG_LENGTH, blank=True)
    source = models.TextField(_("source"), blank=True)
    retrieved = models.DateField(_("retrieved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # When this value was stored: set on the first import and on every revision, never when
    # an import finds the same value and flag again.
    stored_at = models.DateTimeField(_("stored at"))

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = (
            models.UniqueConstraint(
                fields=["dataset", "key", "period"], name="statistics_observation_identity"
            ),
        )
        indexes = (
            models.Index(fields=["dataset", "citizen", "geo"], name="statistics_obs_series"),
            models.Index(fields=["geo", "dataset"], name="statistics_obs_geo"),
        )

    def __str__(self) -> str:
        return f"{self.dataset} {self.key} {self.period}"


class ImportChannel(models.TextChoices):
    COMMAND = "command", _("command line")
    UPLOAD = "upload", _("upload form")
    BUNDLED = "bundled", _("shipped extracts")


class StatisticsImport(models.Model):
    """An import that added or revised observations (one that changed nothing is not recorded,
    so importing the same file twice leaves every table as it was)."""

    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("through"), max_length=16, choices=ImportChannel.choices)
    # One entry a file: name, format, dataset, added, updated, unchanged, notes.
    files: models.JSONField[list[dict[str, Any]]] = models.JSONField(_("files"), default=list)
    added = models.PositiveIntegerField(_("added"))
    updated = models.PositiveIntegerField(_("updated"))
    unchanged = models.PositiveIntegerField(_("unchanged"))

    class Meta:
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M} ({self.get_channel_display()})"
