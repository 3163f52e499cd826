"""Casework forms: a step in an application's procedure, an assignment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legalstay.web.casework.models import Team
from legalstay.web.registry.forms import DateInput
from legalstay.web.registry.models import EventKind, Outcome

COMPLETE = "complete"
# The steps of a procedure in the order they usually come; "complete" is not an event but
# the application's completion date, from which the authority's time to decide runs.
STEP_CHOICES = [
    (EventKind.STAMP.value, EventKind.STAMP.label),
    (EventKind.SUMMONS.value, EventKind.SUMMONS.label),
    (COMPLETE, _("documents completed (application formally complete)")),
    (EventKind.FINGERPRINTS.value, EventKind.FINGERPRINTS.label),
    (EventKind.DECISION_ISSUED.value, EventKind.DECISION_ISSUED.label),
    (EventKind.DELIVERED.value, EventKind.DELIVERED.label),
    (EventKind.APPEAL_FILED.value, EventKind.APPEAL_FILED.label),
    (EventKind.FINAL.value, EventKind.FINAL.label),
]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=STEP_CHOICES)
    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("For a summons or a decision: the day it was delivered or issued."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
        help_text=_("Only for a decision."),
    )
    period_days = forms.IntegerField(
        label=_("Period in the summons (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_(
            "As printed in the summons. The last day is computed from the delivery date "
            "(KPA art. 57: holidays and Saturdays move it to the next working day)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == EventKind.DECISION_ISSUED and not data.get("outcome"):
            self.add_error("outcome", _("A decision has an outcome."))
        if kind != EventKind.DECISION_ISSUED and data.get("outcome"):
            self.add_error("outcome", _("Only a decision has an outcome."))
        if kind == EventKind.SUMMONS and not data.get("period_days"):
            self.add_error("period_days", _("Enter the period the summons gives."))
        if kind != EventKind.SUMMONS and data.get("period_days"):
            self.add_error("period_days", _("Only a summons gives a period."))
        return data


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=get_user_model().objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        caseworkers = (
            Q(is_staff=True)
            | Q(user_permissions__codename="change_person")
            | Q(groups__permissions__codename="change_person")
        )
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users.filter(caseworkers).distinct().order_by("username")
