"""Statistics pages and downloads. Reads go through ``access``, writes through ``services``,
and what the page shows is built by ``page`` from the core's frames."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from legalstay.stats import ImportReport, StatsFormatError, build_report, to_csv_text, to_records
from legalstay.web.statistics import access, page, services
from legalstay.web.statistics.forms import FilterForm, ImportForm
from legalstay.web.statistics.labels import FLAGS
from legalstay.web.statistics.models import ImportChannel

REPORT_CACHE_SECONDS = 3600


def _selection(request: HttpRequest) -> tuple[FilterForm, str, str, list[str]]:
    """The filter form, the chosen citizenship and country, and the citizenships compared."""
    citizens, geos = access.country_choices(request.user)
    form = FilterForm(request.GET, citizens=citizens, geos=geos)
    citizen, geo = form.selected()
    compared = list(dict.fromkeys((citizen, *access.COMPARED_CITIZENS)))
    return form, citizen, geo, compared


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, citizen, geo, compared = _selection(request)
    obs = access.shown_observations(request.user, citizen=citizen, geo=geo)
    counts = access.caseload_counts(request.user)
    version = access.data_version()
    context: dict[str, Any] = {
        "form": form,
        "citizen": citizen,
        "geo": geo,
        "empty": obs.height == 0,
        "may_import": access.may_import_statistics(request.user),
        "permit_figures": page.permit_figures(obs, citizen, geo, version),
        "permit_comparisons": page.side_by_side(obs, [citizen], geo, page.PERMIT_MEASURES),
        "asylum_figures": page.asylum_figures(obs, compared, geo, version),
        "asylum_comparisons": page.side_by_side(obs, compared, geo, page.ASYLUM_MEASURES),
        "published": page.published_table(obs),
        "sources": page.sources_table(obs),
        "caseload_available": access.caseload_available(),
        "caseload_figure": page.caseload_figure(counts, version) if counts is not None else None,
        "caseload_tables": page.caseload_tables(counts) if counts is not None else [],
        "threshold": access.suppression_threshold(),
        "flags": list(FLAGS.items()),
        "query": request.GET.urlencode(),
    }
    return render(request, "statistics/page.html", context)


@require_GET
def report_download(request: HttpRequest) -> HttpResponse:
    """The self-contained HTML report for the chosen citizenship and country."""
    _form, citizen, geo, _compared = _selection(request)
    today = timezone.localdate()
    threshold = access.suppression_threshold()
    key = f"statistics:report:{citizen}:{geo}:{today}:{threshold}:{access.data_version()}"
    html = cache.get(key)
    if html is None:
        obs = access.shown_observations(request.user, citizen=citizen, geo=geo)
        persons = access.caseload_persons(request.user)
        html = build_report(
            obs,
            generated=today,
            caseload=persons if persons is not None and persons.height else None,
            suppression_threshold=threshold,
            citizen=citizen,
            geo=geo,
        )
        cache.set(key, html, REPORT_CACHE_SECONDS)
    name = f"legalstay-statistics-{citizen}-{geo}-{today.isoformat()}.html"
    return _attachment(html, "text/html; charset=utf-8", name)


@require_GET
def series_download(request: HttpRequest, output: str) -> HttpResponse:
    """The observations behind the page's series as CSV or JSON records (caseload withheld)."""
    _form, citizen, geo, compared = _selection(request)
    obs = access.shown_observations(request.user, citizen=citizen, geo=geo)
    rows = page.shown_rows(
        obs,
        citizen=citizen,
        citizens=compared,
        geo=geo,
        caseload=access.caseload_counts(request.user),
    )
    name = f"legalstay-statistics-{citizen}-{geo}.{output}"
    if output == "json":
        text = json.dumps(to_records(rows), ensure_ascii=False, indent=1) + "\n"
        return _attachment(text, "application/json", name)
    return _attachment(to_csv_text(rows), "text/csv; charset=utf-8", name)


def _attachment(text: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Staff upload files (or the shipped extracts); one transaction, nothing half-imported."""
    access.check_may_import(request.user)
    initial = {"retrieved": timezone.localdate()}
    form = ImportForm(initial=initial)
    if request.method == "POST" and request.POST.get("action") == "bundled":
        _imported(request, services.do_import_bundled(actor=request.user))
        return redirect("statistics:import")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, initial=initial)
        if form.is_valid() and _uploaded(request, form):
            return redirect("statistics:import")
    journal = access.import_journal(request.user)
    return render(request, "statistics/import.html", {"form": form, "journal": journal})


def _uploaded(request: HttpRequest, form: ImportForm) -> bool:
    data = form.cleaned_data
    try:
        report = services.do_import_uploads(
            actor=request.user,
            uploads=[(upload.name or "", upload.read()) for upload in data["uploads"]],
            channel=ImportChannel.UPLOAD,
            dataset=data["dataset"] or None,
            source=data["source"] or None,
            retrieved=data["retrieved"],
        )
    except StatsFormatError as error:
        form.add_error("uploads", _format_error(error))
        return False
    _imported(request, report)
    return True


def _format_error(error: StatsFormatError) -> str:
    where = {"file": error.path or "", "line": error.line, "reason": error.reason}
    if error.line is None:
        message = _("%(file)s: %(reason)s. Nothing was imported.")
    else:
        message = _("%(file)s, line %(line)s: %(reason)s. Nothing was imported.")
    return message % where


def _imported(request: HttpRequest, report: ImportReport) -> None:
    for file in report.files:
        messages.success(
            request,
            _(
                "%(name)s (%(format)s, %(dataset)s): %(added)s added, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "name": file.name,
                "format": file.format,
                "dataset": file.dataset,
                "added": file.added,
                "updated": file.updated,
                "unchanged": file.unchanged,
            },
        )
        for note in file.notes:
            messages.info(request, note)
    if not (report.added or report.updated):
        messages.info(request, _("Nothing changed: every observation was already stored."))
    else:
        changed = report.added + report.updated
        messages.success(
            request,
            ngettext("%(count)s observation stored.", "%(count)s observations stored.", changed)
            % {"count": changed},
        )
