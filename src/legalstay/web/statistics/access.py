"""Permission-checked reads: the only way views get observations and caseload counts.

Official statistics are public data: every active, logged-in user sees them (analysts without a
registry role too). Caseload statistics are counts over the whole caseload and leave this module
only with small cells withheld (:func:`caseload_counts`; the report suppresses with the same
threshold), which is what makes them fit for people who may not see the records behind them.
Importing takes a staff member or the permission ``statistics_app.add_observation``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from legalstay.stats import caseload_statistics, country_code_aliases, suppress_small_cells
from legalstay.web.statistics.frames import (
    OBSERVATION_FIELDS,
    STATUS_FIELDS,
    caseload_persons_frame,
    observations_frame,
)
from legalstay.web.statistics.models import Observation, StatisticsImport

User = AbstractBaseUser | AnonymousUser

PERMIT_DATASETS = ("migr_resvalid", "migr_resfirst")
ASYLUM_DATASETS = ("unhcr_asylum_applications", "unhcr_asylum_decisions")
PUBLISHED_DATASET = "published_figures"
SHOWN_DATASETS = (*PERMIT_DATASETS, *ASYLUM_DATASETS, PUBLISHED_DATASET)
# Asylum charts compare these with the chosen citizenship (DESIGN.md §2: Belarusians first,
# Ukrainians and Russians next).
COMPARED_CITIZENS = ("BY", "UA", "RU")
CASEWORK_APP = "legalstay.web.casework"
CASEWORK_LABEL = "casework"


def may_view_statistics(user: User) -> bool:
    return bool(user.is_active and user.is_authenticated)


def may_import_statistics(user: User) -> bool:
    staff = bool(getattr(user, "is_staff", False))
    permitted = isinstance(user, PermissionsMixin) and user.has_perm(
        "statistics_app.add_observation"
    )
    return bool(user.is_active and (staff or permitted))


def check_may_view(user: User) -> None:
    if not may_view_statistics(user):
        raise PermissionDenied


def check_may_import(user: User) -> None:
    if not may_import_statistics(user):
        raise PermissionDenied


def suppression_threshold() -> int:
    """Caseload counts below this are withheld everywhere (setting
    ``STATISTICS_SUPPRESSION_THRESHOLD``, default 10)."""
    return int(getattr(settings, "STATISTICS_SUPPRESSION_THRESHOLD", 10))


# ---------------------------------------------------------------- official statistics


def observations(
    user: User,
    *,
    datasets: Sequence[str] | None = None,
    filters: dict[str, Sequence[str]] | None = None,
) -> pl.DataFrame:
    """Stored observations as the core's tidy frame, filtered in the database on dataset,
    citizen and geo (Eurostat and ISO spellings alike: GR finds EL)."""
    check_may_view(user)
    rows = Observation.objects.all()
    if datasets is not None:
        rows = rows.filter(dataset__in=datasets)
    for name, codes in (filters or {}).items():
        rows = rows.filter(**{f"{name}__in": _aliases(codes)})
    return _frame(rows)


def shown_observations(user: User, *, citizen: str, geo: str) -> pl.DataFrame:
    """What the statistics page draws for ``citizen`` in ``geo``: permits of ``citizen``,
    asylum figures of ``citizen`` and the compared citizenships, and published figures."""
    check_may_view(user)
    here = Q(geo__in=_aliases([geo]))
    permits = Q(dataset__in=PERMIT_DATASETS, citizen__in=_aliases([citizen]))
    asylum = Q(dataset__in=ASYLUM_DATASETS, citizen__in=_aliases([citizen, *COMPARED_CITIZENS]))
    published = Q(dataset=PUBLISHED_DATASET)
    return _frame(Observation.objects.filter(here & (permits | asylum | published)))


def country_choices(user: User) -> tuple[list[str], list[str]]:
    """The citizenships and the countries the shown datasets hold, sorted."""
    check_may_view(user)
    shown = Observation.objects.filter(dataset__in=SHOWN_DATASETS)
    citizens = shown.exclude(citizen="").values_list("citizen", flat=True).distinct()
    geos = shown.exclude(geo="").values_list("geo", flat=True).distinct()
    return sorted(set(citizens)), sorted(set(geos))


def import_journal(user: User, limit: int = 20) -> QuerySet[StatisticsImport]:
    check_may_import(user)
    return StatisticsImport.objects.select_related("imported_by")[:limit]


def data_version() -> str:
    """Changes whenever stored observations or stored statuses do (for caching drawings)."""
    stored = Observation.objects.aggregate(count=Count("id"), latest=Max("stored_at"))
    stamp = f"{stored['count']}:{stored['latest']}:{_caseload_version()}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]  # fit for any cache back-end


def _frame(rows: QuerySet[Observation]) -> pl.DataFrame:
    ordered = rows.order_by("dataset", "key", "period").values_list(*OBSERVATION_FIELDS)
    return observations_frame(ordered.iterator(chunk_size=5000))


def _aliases(codes: Iterable[str]) -> list[str]:
    return sorted({alias for code in codes for alias in country_code_aliases(code)})


# ---------------------------------------------------------------- the caseload


def caseload_available() -> bool:
    """Whether stored statuses exist to count (the casework app is installed)."""
    return apps.is_installed(CASEWORK_APP)


def caseload_persons(user: User) -> pl.DataFrame | None:
    """One row a person with a stored status (exact; for :func:`caseload_counts` and the
    report, which suppress). None when there is no casework app to read statuses from."""
    check_may_view(user)
    if not caseload_available():
        return None
    statuses = _person_status().objects.values(*STATUS_FIELDS).order_by("person_id")
    return caseload_persons_frame(statuses.iterator(chunk_size=5000))


def caseload_counts(user: User, *, geo: str = "PL") -> pl.DataFrame | None:
    """The caseload in the shape of the official data, small cells withheld."""
    persons = caseload_persons(user)
    if persons is None or persons.height == 0:
        return None
    # Retrieved: the day the counts were taken from the stored statuses.
    counts = caseload_statistics(persons, geo=geo, retrieved=timezone.localdate())
    return suppress_small_cells(counts, suppression_threshold())


def _caseload_version() -> str:
    if not caseload_available():
        return "-"
    stamp: dict[str, Any] = _person_status().objects.aggregate(
        count=Count("pk"), latest=Max("computed_at")
    )
    return f"{stamp['count']}:{stamp['latest']}"


def _person_status() -> Any:
    # Looked up by name so that this app runs (and its tests pass) without casework.
    return apps.get_model(CASEWORK_LABEL, "PersonStatus")
