"""Read-only admin views: observations change only through imports (services), never by hand,
so that every value keeps the source and retrieval date it came with."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from legalstay.web.statistics.models import Observation, StatisticsImport


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "citizen", "geo", "key", "period", "value", "flag", "retrieved")
    list_filter = ("dataset",)
    search_fields = ("key", "period", "source")


@admin.register(StatisticsImport)
class StatisticsImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "channel", "imported_by", "added", "updated", "unchanged")
    list_select_related = ("imported_by",)
