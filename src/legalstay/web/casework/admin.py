"""The Django admin for casework: teams and alert lead times are set here; stored statuses,
alerts, assignments and scans can be looked at but are written only by casework itself."""

from __future__ import annotations

from django.contrib import admin

from legalstay.web.casework.models import (
    Alert,
    Assignment,
    LeadTime,
    PersonStatus,
    Reassignment,
    ScanRun,
    Team,
)
from legalstay.web.read_only_admin import ReadOnlyAdmin


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name",)
    filter_horizontal = ("members",)


@admin.register(LeadTime)
class LeadTimeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kind", "days")


@admin.register(PersonStatus)
class PersonStatusAdmin(ReadOnlyAdmin):
    list_display = (
        "person_id",
        "as_of",
        "legal_stay_status",
        "legal_stay_basis",
        "rulebook_version",
    )
    list_filter = ("legal_stay_status", "irregular_stay", "authority_late")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("person_id", "kind", "subject", "due", "state", "raised_on")
    list_filter = ("kind", "state")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("person_id", "owner", "team", "since")


@admin.register(Reassignment)
class ReassignmentAdmin(ReadOnlyAdmin):
    list_display = ("person_id", "at", "by", "from_owner", "to_owner", "from_team", "to_team")


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "started_at", "finished_at", "persons", "changed", "alerts_raised")
