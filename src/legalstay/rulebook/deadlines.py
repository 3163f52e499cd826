"""Deadlines: what a person must file, or an authority must decide, by when.

Each deadline is a date (unknown when it does not apply). Periods follow KPA art. 57 (a period
ending on a Saturday or a statutory day off ends on the next working day, Saturdays from
1 Jun 2017). Dates that the law fixes directly — "by the last day of legal stay", "30 days
before the card expires" — are not periods and are never moved: moving them could only make
a person late.
"""

from __future__ import annotations

from legalstay.engine.expressions import (
    Node,
    PeriodUnit,
    add_days,
    add_period,
    any_of_rows,
    as_of,
    case,
    cases,
    days_between,
    field,
    lit,
    max_of_rows,
    param,
    period_end,
    value_at_max,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import decision_final_on, document_expires, pending_on

__all__ = ["DEADLINE_REFERENCES", "variables"]

RESIDENCE_APPLICATIONS = ("temporary_residence", "permanent_residence", "eu_long_term_residence")

DEADLINE_REFERENCES = {
    "file_temporary_residence": ref.UOC_FILE_TRP,
    "residence_card_exchange": ref.UOC_CARD_EXCHANGE,
    "appeal": ref.KPA_APPEAL,
    "renew_travel_document": ref.UOC_PDPDC_RENEWAL,
    "authority_decision": ref.UOC_TRP_DECISION,
    "leave_poland": ref.UOC_LEAVE,
}


def _file_temporary_residence() -> Node:
    """UoC art. 105 ust. 1: a new application by the last day of legal stay on a temporary
    title, unless one is pending or a later title is already granted."""
    pending = any_of_rows(
        "applications", field("kind").is_in(RESIDENCE_APPLICATIONS) & pending_on(as_of())
    )
    later_title = any_of_rows("titles", field("valid_from") > var("legal_stay.until"))
    applies = (
        var("legal_stay.basis").is_in(("temporary_residence", "visa")) & ~pending & ~later_title
    )
    return cases(case("applies", applies, var("legal_stay.until")), otherwise=lit(None))


def _residence_card_exchange() -> Node:
    """UoC art. 230 ust. 2: for an indefinite title, the next card ≥ 30 days before expiry."""
    card = (field("kind") == "residence_card") & (field("status") == "valid")
    latest = max_of_rows("documents", document_expires(), card)
    due = add_days(latest, lit(0) - param("pl.uoc.card_exchange_lead"))
    return cases(case("indefinite_title", var("title.indefinite_today"), due), otherwise=lit(None))


def _appeal_days() -> Node:
    return cases(
        case("protection", field("kind") == "international_protection", param("pl.uochr.appeal")),
        otherwise=param("pl.kpa.appeal"),
    )


def _appeal() -> Node:
    """KPA art. 129 § 2: 14 days from delivery of a refusal or discontinuance, while no appeal
    is recorded and the decision is not recorded as final. Shown even once passed: a missed
    appeal may still be restored (KPA art. 58, 7 days from the cause ceasing)."""
    open_refusal = (
        field("outcome").is_in(("refused", "discontinued"))
        & field("delivered").is_not_null()
        & (field("delivered") <= as_of())
        & field("final").is_null()
        & field("appeal_filed").is_null()
    )
    due = period_end(field("delivered"), _appeal_days(), "day")
    return value_at_max("applications", due, field("delivered"), open_refusal)


def _renew_travel_document() -> Node:
    renewable = field("kind").is_in(("travel_document_for_foreigners", "refugee_travel_document"))
    return max_of_rows("documents", document_expires(), renewable & (field("status") == "valid"))


def _suspended(start: Node, amount: Node, unit: PeriodUnit) -> Node:
    """A statutory decision period for a voivode's residence case, with the time the period did
    not run (art. 100d of the Act of 12 Mar 2022) added: a period starting in the suspension
    runs from its end; one running into it resumes after it with the days it had left."""
    suspended_from = param("pl.specact.art100d.suspended_from")
    suspended_until = param("pl.specact.art100d.suspended_until")
    raw_end = add_period(start, amount, unit)
    remaining = days_between(start, raw_end) - days_between(start, suspended_from) + 1
    return cases(
        case(
            "started_during",
            (start >= suspended_from) & (start <= suspended_until),
            period_end(suspended_until, amount, unit),
        ),
        case(
            "ran_into",
            (start < suspended_from) & (raw_end >= suspended_from),
            period_end(suspended_until, remaining, "day"),
        ),
        otherwise=period_end(start, amount, unit),
    )


def _decision_due_row() -> Node:
    start = cases(
        case("completed", field("completed_on").is_not_null(), field("completed_on")),
        otherwise=field("filed"),
    )
    trp_days = param("pl.uoc.trp.decision_deadline", on=start)
    return cases(
        case(
            "trp",
            (field("kind") == "temporary_residence") & trp_days.is_not_null(),
            _suspended(start, trp_days, "day"),
        ),
        case(
            "trp_before_2022",
            field("kind") == "temporary_residence",
            _suspended(start, param("pl.kpa.decision_time", on=start), "month"),
        ),
        case(
            "pr_ltr",
            field("kind").is_in(("permanent_residence", "eu_long_term_residence")),
            _suspended(start, param("pl.uoc.pr.decision_deadline", on=start), "month"),
        ),
        case(
            "protection",
            field("kind") == "international_protection",
            period_end(field("filed"), param("pl.uochr.decision_time", on=field("filed")), "month"),
        ),
        otherwise=lit(None),
    )


def _authority_decision() -> Node:
    waiting = pending_on(as_of()) & field("issued").is_null()
    return value_at_max("applications", _decision_due_row(), field("filed"), waiting)


def _leave_poland() -> Node:
    refused_final = (field("outcome") == "refused") & (decision_final_on() <= as_of())
    final = value_at_max("applications", decision_final_on(), field("filed"), refused_final)
    due = add_period(final, param("pl.uoc.leave_after_refusal"), "day")
    return cases(
        case("irregular", var("legal_stay.status") == "irregular", due), otherwise=lit(None)
    )


def _protection_extendable() -> Node:
    """A protection case past its six months but within the 15 the Head of the Office may
    extend it to (UOchr art. 34 ust. 2): late only once the longest extension has passed,
    because an extension is not recorded."""
    waiting = (
        (field("kind") == "international_protection")
        & pending_on(as_of())
        & field("issued").is_null()
    )
    latest = period_end(
        field("filed"), param("pl.uochr.decision_time_max", on=field("filed")), "month"
    )
    return any_of_rows("applications", waiting & (latest >= as_of()))


def variables() -> list[Variable]:
    extendable = Variable(
        "application.protection_extendable", _protection_extendable(), reference=ref.UOCHR_DECISION
    )
    builders = {
        "file_temporary_residence": _file_temporary_residence,
        "residence_card_exchange": _residence_card_exchange,
        "appeal": _appeal,
        "renew_travel_document": _renew_travel_document,
        "authority_decision": _authority_decision,
        "leave_poland": _leave_poland,
    }
    return [extendable] + [
        Variable(f"deadline.{kind}", build(), reference=DEADLINE_REFERENCES[kind])
        for kind, build in builders.items()
    ]
