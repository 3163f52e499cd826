"""Casework pages. Reads go through ``access``, writes through the services (the registry's
for facts, casework's for assignments and alerts); forms parse input."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from legalstay.web.casework import access, labels, services
from legalstay.web.casework.forms import COMPLETE, AssignForm, StepForm
from legalstay.web.casework.models import AlertState, ScanRun
from legalstay.web.casework.person_page import status_view
from legalstay.web.casework.worklists import SCOPES, SORTS, WORKLISTS, display_row
from legalstay.web.registry import access as registry_access
from legalstay.web.registry import services as registry_services
from legalstay.web.registry.forms import ApplicationForm
from legalstay.web.registry.models import Channel, EventKind

PAGE_SIZE = 50


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """Takes the count from a query of its own: the page's joins (names, caseworkers) would
    make counting a long worklist several times slower."""

    def __init__(self, rows: Any, per_page: int, size: int) -> None:
        super().__init__(rows, per_page)
        self.size = size

    @cached_property
    def count(self) -> int:
        return self.size


def _scope(request: HttpRequest, default: str = "mine") -> str:
    scope = request.GET.get("scope", default)
    return scope if scope in SCOPES else default


# ---------------------------------------------------------------- dashboard and worklists


@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    counts = {
        scope: access.worklist_counts_for_user(request.user, scope=scope, today=today)
        for scope in SCOPES
    }
    rows = [
        (worklist, [(scope, counts[scope][slug]) for scope in SCOPES])
        for slug, worklist in WORKLISTS.items()
    ]
    alerts = access.alerts_for_user(request.user, scope="mine")[:10]
    context = {
        "rows": rows,
        "scopes": SCOPES,
        "alerts": alerts,
        "last_scan": ScanRun.objects.order_by("-started_at").first(),
        "today": today,
    }
    return render(request, "casework/dashboard.html", context)


@require_http_methods(["GET"])
def worklist(request: HttpRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    scope = _scope(request)
    sort = request.GET.get("sort", "")
    members = access.worklist_members_for_user(request.user, slug, scope=scope, today=today)
    size = members.count()
    rows = access.worklist_for_user(
        request.user, slug, scope=scope, sort=sort, today=today, size=size
    )
    page = CountedPaginator(rows, PAGE_SIZE, size).get_page(request.GET.get("page"))
    authority = slug == "authority-late"
    context = {
        "worklist": WORKLISTS[slug],
        "page": page,
        "rows": [display_row(row, today, authority=authority) for row in page.object_list],
        "scope": scope,
        "scopes": SCOPES,
        "sort": sort if sort in SORTS else WORKLISTS[slug].sort,
        "sorts": SORTS,
        "today": today,
        "labels": labels,
    }
    return render(request, "casework/worklist.html", context)


class _Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


@require_http_methods(["GET"])
def worklist_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    today = timezone.localdate()
    scope = _scope(request)
    rows = access.worklist_for_user(
        request.user, slug, scope=scope, sort=request.GET.get("sort", ""), today=today
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in _csv_lines(rows.iterator(chunk_size=2000))),
        content_type="text/csv; charset=utf-8",
    )
    name = f"worklist-{slug}-{scope}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


CSV_COLUMNS = (
    ("person__uid", "person"),
    ("person__surname_latin", "surname"),
    ("person__given_names_latin", "given_names"),
    ("legal_stay_status", "legal_stay"),
    ("legal_stay_basis", "basis"),
    ("legal_stay_until", "until"),
    ("travel_document_kind", "travel_document"),
    ("travel_document_until", "travel_document_until"),
    ("next_deadline_kind", "next_deadline"),
    ("next_deadline_due", "next_deadline_due"),
    ("overdue_deadline_kind", "overdue_deadline"),
    ("overdue_deadline_due", "overdue_since"),
    ("authority_decision_due", "authority_decision_due"),
    ("person__assignment__owner__username", "caseworker"),
    ("as_of", "as_of"),
)


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[list[Any]]:
    yield [header for _, header in CSV_COLUMNS]
    for row in rows:
        yield [_csv_value(row[field]) for field, _ in CSV_COLUMNS]


def _csv_value(value: Any) -> Any:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


# ---------------------------------------------------------------- the person


@require_http_methods(["GET"])
def person(request: HttpRequest, uid: str) -> HttpResponse:
    today = timezone.localdate()
    found = access.get_casework_person_for_user(request.user, uid)
    if not found.episodes_recorded:  # a relative known only by who they are: not assessed
        return render(request, "casework/person_not_assessed.html", {"person": found})
    stored = access.person_status(found)
    view, timeline = status_view(found, stored, today)
    unresolved, resolved = access.person_alerts(found)
    assignment = getattr(found, "assignment", None)
    context = {
        "person": found,
        "view": view,
        "timeline": timeline,
        "stored": stored,
        "alerts": unresolved,
        "resolved_alerts": resolved,
        "assignment": assignment,
        "assign_form": AssignForm(
            initial={
                "owner": assignment.owner_id if assignment else None,
                "team": assignment.team_id if assignment else None,
            }
        ),
        "reassignments": access.person_reassignments(found),
        "labels": labels,
        "today": today,
        "may_edit": registry_access.may_edit_registry(request.user),
    }
    return render(request, "casework/person.html", context)


def _person_page(uid: Any, anchor: str = "") -> str:
    url = reverse("casework:person", kwargs={"uid": uid})
    return f"{url}#{anchor}" if anchor else url


@require_POST
def assign(request: HttpRequest, uid: str) -> HttpResponse:
    registry_access.check_may_edit(request.user)
    found = registry_access.get_person_for_user(request.user, uid)
    form = AssignForm(request.POST)
    if form.is_valid():
        changed = services.do_assign(
            actor=request.user,
            person=found,
            owner=form.cleaned_data["owner"],
            team=form.cleaned_data["team"],
        )
        if changed:
            messages.success(request, _("Assignment saved."))
        else:
            messages.info(request, _("Nothing changed: the assignment was already so."))
    else:
        messages.error(request, _("Choose a caseworker or a team from the lists."))
    return redirect(_person_page(found.uid, "assignment"))


@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, uid: str) -> HttpResponse:
    registry_access.check_may_edit(request.user)
    found = registry_access.get_person_for_user(request.user, uid)
    initial = {"filed": timezone.localdate(), "channel": Channel.MOS}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registry_services.do_add_application(
                actor=request.user, person=found, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Application recorded; status recomputed."))
            return redirect(_person_page(found.uid, "procedures"))
    context = {
        "person": found,
        "form": form,
        "heading": _("New application"),
        "back": _person_page(found.uid, "procedures"),
    }
    return render(request, "casework/form.html", context)


@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, uid: str, application_pk: int) -> HttpResponse:
    registry_access.check_may_edit(request.user)
    found = registry_access.get_person_for_user(request.user, uid)
    application = access.get_application_for_user(request.user, found, application_pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _record_step(request, application, form.cleaned_data)
        except ValidationError as error:
            _add_step_error(form, error)
        else:
            messages.success(request, _("Step recorded; status recomputed."))
            return redirect(_person_page(found.uid, "procedures"))
    context = {
        "person": found,
        "form": form,
        "heading": _("Record a step: %(application)s filed on %(filed)s")
        % {"application": application.get_kind_display(), "filed": application.filed},
        "back": _person_page(found.uid, "procedures"),
        "application": application,
    }
    return render(request, "casework/form.html", context)


def _add_step_error(form: StepForm, error: ValidationError) -> None:
    """The registry names the application's fields (a completion is its ``completed_on``), the
    step form has its own: a field it lacks was the step's date, or goes above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = "date" if field == "completed_on" else field
        form.add_error(target if target in form.fields else None, errors)


def _record_step(request: HttpRequest, application: Any, data: dict[str, Any]) -> None:
    if data["kind"] == COMPLETE:
        registry_services.do_update_application(
            actor=request.user,
            application=application,
            changes={"formally_complete": True, "completed_on": data["date"]},
        )
        return
    fields: dict[str, Any] = {
        "kind": data["kind"],
        "date": data["date"],
        "outcome": data["outcome"] or "",
    }
    if data["kind"] == EventKind.SUMMONS:
        fields["extra"] = {"period_days": data["period_days"]}
    registry_services.do_add_application_event(
        actor=request.user, application=application, fields=fields
    )


# ---------------------------------------------------------------- alerts


ALERT_STATES = {
    "open": (AlertState.OPEN,),
    "acknowledged": (AlertState.ACKNOWLEDGED,),
    "unresolved": (AlertState.OPEN, AlertState.ACKNOWLEDGED),
    "resolved": (AlertState.RESOLVED,),
}


@require_http_methods(["GET"])
def alerts(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    state = request.GET.get("state", "unresolved")
    state = state if state in ALERT_STATES else "unresolved"
    found = access.alerts_for_user(request.user, scope=scope, states=ALERT_STATES[state])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "scope": scope, "scopes": SCOPES, "state": state}
    return render(request, "casework/alerts.html", context)


@require_POST
def alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registry_access.check_may_edit(request.user)
    alert = access.get_alert_for_user(request.user, pk)
    if action == "acknowledge":
        services.do_acknowledge_alert(actor=request.user, alert=alert)
    else:
        services.do_resolve_alert(actor=request.user, alert=alert)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("casework:alerts")
    return redirect(back)
