"""The scan: every person's stored status recomputed on a date, in batches of households.

Each batch is one transaction: lock the persons, read their facts as population tables,
evaluate both scenarios in one Polars plan, and store only what changed (a new fingerprint,
new alert conditions, a deadline that moved from ahead to behind). Running it twice on the same
date changes nothing and raises no alert the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from legalstay.rulebook import load_rulebook
from legalstay.web.bulk import insert_rows, vacuum_analyze
from legalstay.web.casework.assessment import SCENARIOS, derived_from_row, fingerprint_outputs
from legalstay.web.casework.conditions import LeadDays
from legalstay.web.casework.models import Alert, PersonStatus, ScanRun
from legalstay.web.casework.population import among, household_batches, population_tables
from legalstay.web.casework.procedures import procedure_deadlines, steps_of
from legalstay.web.casework.services import (
    RecomputeResult,
    StatusPlan,
    do_forget_unassessed,
    lead_days_lookup,
    lock_persons,
    plan_status,
    previous_statuses,
    sync_alerts,
)
from legalstay.web.registry.models import Person

__all__ = ["run_scan", "scan_batch"]

DEFAULT_BATCH_SIZE = 5000


def run_scan(
    as_of: dt.date,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], object] = lambda count: None,
) -> ScanRun:
    """Scans everyone; returns the run's record (how many persons, how many changed)."""
    run = ScanRun.objects.create(as_of=as_of, started_at=timezone.now())
    lead_days = lead_days_lookup()
    for batch in household_batches(batch_size):
        result = scan_batch(batch, as_of, lead_days)
        run.persons += result.persons
        run.changed += result.changed
        run.alerts_raised += result.raised
        run.alerts_resolved += result.resolved
        progress(len(batch))
    run.finished_at = timezone.now()
    run.save()
    return run


# A scan replaces each changed status row (DELETE and COPY) and after a rulebook change that is
# every row. PostgreSQL's autovacuum reclaims dead rows and refreshes the planner's statistics
# in time — or never where it is turned off: on such a server three full rewrites left 1.4M dead
# rows and made worklist pages four times slower. A scan that rewrote this share of the
# statuses vacuums its tables itself.
VACUUM_AFTER_SHARE = 0.2


def tidy_after_scan(run: ScanRun) -> bool:
    """VACUUM (ANALYZE) the status and alert tables after a scan that rewrote many statuses
    (PostgreSQL, outside a transaction); returns whether it did."""
    if not run.changed or run.changed < VACUUM_AFTER_SHARE * run.persons:
        return False
    return vacuum_analyze(PersonStatus, Alert)


@transaction.atomic
def scan_batch(person_ids: Sequence[int], as_of: dt.date, lead_days: LeadDays) -> RecomputeResult:
    locked = lock_persons(person_ids)
    result = RecomputeResult(persons=len(locked))
    if not locked:
        return result
    # The registry checked the rows on entry, by its own rules (the person page judges them
    # as stored): a row the population's input checks would refuse (events recorded out of
    # order) must not stop everyone's scan.
    tables = population_tables(locked)
    frame = (
        load_rulebook()
        .assess_population(tables, as_of, SCENARIOS, fingerprint_outputs(), check_input=False)
        .collect()
    )
    assessed = set(do_forget_unassessed(locked, timezone.now()))
    uids = dict(Person.objects.filter(among("pk", locked)).values_list("pk", "uid"))
    previous = previous_statuses(locked)
    steps = steps_of(locked)
    plans: list[StatusPlan] = []
    kept: list[int] = []  # persons whose engine outputs did not change: keep the assessment
    for row in frame.iter_rows(named=True):
        person_id = row["person_id"]
        if person_id not in assessed:  # a relative known only by who they are
            continue
        before = previous.get(person_id)
        derived = derived_from_row(row, str(uids[person_id]), as_of, eligibility=before is None)
        if before is not None and before["fingerprint"] != derived.fingerprint:
            derived = derived_from_row(row, str(uids[person_id]), as_of)
        procedures = procedure_deadlines(steps.get(person_id, []), as_of)
        plan = plan_status(before, derived, procedures, lead_days)
        if plan is None:
            continue
        plans.append(plan)
        if before is not None and before["fingerprint"] == derived.fingerprint:
            kept.append(person_id)
    _keep_assessments(plans, kept)
    result.changed = len(plans)
    result.raised, result.resolved = _write(plans, locked, as_of)
    return result


def _keep_assessments(plans: list[StatusPlan], kept: list[int]) -> None:
    """The stored assessment (perhaps explained) stays when the engine said the same."""
    if not kept:
        return
    stored = {
        person_id: (assessment, differences)
        for person_id, assessment, differences in PersonStatus.objects.filter(
            person_id__in=kept
        ).values_list("person_id", "assessment", "reform_differences")
    }
    for plan in plans:
        if plan.person_id in stored:
            plan.columns["assessment"], plan.columns["reform_differences"] = stored[plan.person_id]


def _write(plans: list[StatusPlan], person_ids: Sequence[int], as_of: dt.date) -> tuple[int, int]:
    """Stores the changed statuses; returns how many alerts were raised and resolved."""
    now = timezone.now()
    changed = [plan.person_id for plan in plans]
    # Replacing a row is one DELETE and one COPY per batch (nothing refers to it): on
    # PostgreSQL, COPY is several times faster than INSERT with these JSON columns.
    PersonStatus.objects.filter(person_id__in=changed).delete()
    insert_rows(
        PersonStatus,
        [{"person_id": plan.person_id, **plan.columns, "computed_at": now} for plan in plans],
    )
    # The others hold as they are on this date too. Only this batch's own persons, by list:
    # a range (``among``) may reach persons of later batches, and were the scan to stop before
    # those (a crash, a database error), their old statuses would read as true on this date
    # although nothing checked them, and their alerts would not be raised. One UPDATE; none
    # when every status changed (a first scan).
    unchanged = sorted(set(person_ids).difference(changed))
    if unchanged:
        PersonStatus.objects.filter(person_id__in=unchanged, as_of__lt=as_of).update(as_of=as_of)
    return sync_alerts(plans, as_of, now)
