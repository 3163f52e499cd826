"""Read-only admin views: observations change only through imports (services), never by hand,
so that every value keeps the source and retrieval date it came with."""

from __future__ import annotations

from django.contrib import admin

from legalstay.web.read_only_admin import ReadOnlyAdmin
from legalstay.web.statistics.models import Observation, StatisticsImport


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "citizen", "geo", "key", "period", "value", "flag", "retrieved")
    list_filter = ("dataset",)
    search_fields = ("key", "period", "source")


@admin.register(StatisticsImport)
class StatisticsImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "channel", "imported_by", "added", "updated", "unchanged")
    list_select_related = ("imported_by",)
