"""Casework: each person's stored status, who looks after them, and the alerts raised for them.

``PersonStatus`` is derived, never typed: the rules engine's assessment of the person, stored
with the rulebook version that produced it so worklists over hundreds of thousands of persons
are plain indexed queries. It is rewritten in the transaction of every change to the person's
facts and by ``legalstay scan``. Other apps (statistics) read its fields; keep them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PersonStatus(models.Model):
    """A person's legal status as the engine derived it (scenario ``pl-baseline``).

    ``as_of`` is the latest date the stored status is known to hold (the last scan or change);
    ``assessment["as_of"]`` is the date the engine computed the assessment itself, earlier
    when later scans found that nothing had changed.
    """

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, related_name="status"
    )
    as_of = models.DateField()
    scenario = models.CharField(max_length=40, default="pl-baseline")
    rulebook_version = models.CharField(max_length=40)
    legal_stay_status = models.CharField(max_length=20, db_index=True)  # legal | irregular
    legal_stay_basis = models.CharField(max_length=40, db_index=True)
    legal_stay_until = models.DateField(null=True)
    # Null where the engine cannot tell (a document recorded without its expiry): unknown.
    travel_document_valid = models.BooleanField(null=True, db_index=True)
    travel_document_kind = models.CharField(max_length=50, blank=True)
    travel_document_until = models.DateField(null=True)
    identity_document_valid = models.BooleanField(null=True, db_index=True)
    identity_document_kind = models.CharField(max_length=50, blank=True)
    identity_document_until = models.DateField(null=True)
    right_to_work = models.CharField(max_length=20)
    flags = models.JSONField(default=list)  # flag names, as in the assessment
    irregular_stay = models.BooleanField(db_index=True)
    no_valid_travel_document = models.BooleanField(db_index=True)
    child_without_identity_document = models.BooleanField(db_index=True)
    authority_late = models.BooleanField(db_index=True)
    # The person's own next deadline on or after as_of (the authority's is not theirs to meet).
    next_deadline_kind = models.CharField(max_length=50, blank=True)
    next_deadline_due = models.DateField(null=True, db_index=True)
    # The earliest of the person's deadlines that had passed on as_of and still applies.
    overdue_deadline_kind = models.CharField(max_length=50, blank=True)
    overdue_deadline_due = models.DateField(null=True, db_index=True)
    # When the authority must decide a pending application; late from the next day.
    authority_decision_due = models.DateField(null=True)
    assessment = models.JSONField()  # legalstay-assessment/1 (with "explanation" when explained)
    # Where the reform scenario (pl-amnesty-2025) answers otherwise: only the differing parts.
    reform_differences = models.JSONField(default=dict)
    # Deadlines that casework computes from procedure steps (a summons' period), KPA art. 57.
    procedure_deadlines = models.JSONField(default=list)
    # Identifies the engine's outputs (both scenarios) and the rulebook version: a scan that
    # computes the same fingerprint leaves the stored assessment as it is.
    fingerprint = models.CharField(max_length=64)
    # Alert conditions true at the last computation: an alert is raised when one appears here.
    conditions = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stored status")
        verbose_name_plural = _("stored statuses")
        indexes = (
            # The authority-late worklist, in the order the decisions were due.
            models.Index(
                fields=["authority_decision_due", "person"],
                condition=Q(authority_late=True),
                name="casework_status_late_due",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person_id}: {self.legal_stay_basis} ({self.as_of})"

    @property
    def explained(self) -> bool:
        return bool(self.assessment.get("explanation"))


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="casework_teams",
        blank=True,
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """Who looks after a person now; every change is kept in :class:`Reassignment`."""

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, related_name="assignment"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="casework_assignments",
        verbose_name=_("caseworker"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("team"),
    )
    since = models.DateTimeField()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.person_id} → {self.owner_id}/{self.team_id}"


class Reassignment(models.Model):
    """One change of a person's caseworker or team: who made it, when, from whom, to whom."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="reassignments"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")
        indexes = (models.Index(fields=["person", "at"]),)

    def __str__(self) -> str:
        return f"{self.person_id} at {self.at:%Y-%m-%d %H:%M}"


class AlertKind(models.TextChoices):
    STAY_ENDING = "stay_ending", _("legal stay ending")
    DOCUMENT_EXPIRING = "document_expiring", _("document expiring")
    DEADLINE_NEAR = "deadline_near", _("deadline near")
    IRREGULAR = "irregular", _("stay turned irregular")
    FLAG = "flag", _("new flag")


class AlertState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")


class Alert(models.Model):
    """Raised when a condition becomes true (not every day it stays true); resolved when it
    stops being true. ``key`` names the condition, e.g. ``deadline_near:appeal:2026-05-04``."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="casework_alerts"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AlertKind.choices)
    key = models.CharField(max_length=150)
    subject = models.CharField(max_length=50, blank=True)  # a document, deadline or flag name
    due = models.DateField(null=True)  # the expiry or deadline the alert is about
    state = models.CharField(
        _("state"), max_length=20, choices=AlertState.choices, default=AlertState.OPEN
    )
    raised_on = models.DateField()
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # when a digest carried it

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = (
            models.Index(fields=["person", "state"]),
            models.Index(
                fields=["state", "raised_at"],
                name="casework_alert_unresolved",
                condition=~Q(state="resolved"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=["person", "key"],
                condition=~Q(state="resolved"),
                name="casework_alert_once_while_unresolved",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person_id}: {self.key} ({self.state})"


class LeadTime(models.Model):
    """How long before a document (or a title's legal stay) ends an alert is raised, per kind.

    Kinds without a row use :data:`legalstay.web.casework.conditions.DEFAULT_LEAD_DAYS`."""

    kind = models.CharField(_("document or title kind"), max_length=50, unique=True)
    days = models.PositiveSmallIntegerField(_("days before it ends"))

    class Meta:
        verbose_name = _("alert lead time")
        verbose_name_plural = _("alert lead times")
        ordering = ("kind",)

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"


class ScanRun(models.Model):
    """One run of ``legalstay scan``: what it looked at and what it changed."""

    as_of = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    persons = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    alerts_resolved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"scan {self.as_of}: {self.changed}/{self.persons}"

    def summary(self) -> dict[str, Any]:
        return {
            "persons": self.persons,
            "changed": self.changed,
            "raised": self.alerts_raised,
            "resolved": self.alerts_resolved,
        }
