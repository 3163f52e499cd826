"""Named legal facts about one episode row (a document, title, application or stay abroad).

These are row expressions: used inside aggregates over the person's episode tables.
"""

from __future__ import annotations

import datetime as dt

from legalstay.engine.expressions import (
    FAR_FUTURE,
    Node,
    PeriodUnit,
    add_days,
    add_period,
    any_of,
    any_of_rows,
    as_of,
    case,
    cases,
    coalesce,
    field,
    lit,
    max_of_rows,
    min_of,
    min_of_rows,
    outer,
    param,
    period_end,
    value_at_max,
)

__all__ = [
    "abroad_on_the_date",
    "appeal_days",
    "complete_on",
    "covers",
    "decided_after_the_date",
    "decided_by_the_date",
    "decision_final_on",
    "decision_made_by",
    "document_expires",
    "document_held",
    "document_status",
    "document_valid_on",
    "expired_undated",
    "finality_unrecorded",
    "grant_finality_unrecorded",
    "granted_by_this_application",
    "grants_kind",
    "is_protection",
    "issued_by",
    "issued_in_poland",
    "not_yet",
    "not_yet_decided",
    "pending_on",
    "row_variables",
    "title_covered_filing",
    "title_end_at_filing",
    "waiting_for_decision",
]


def covers(day: Node) -> Node:
    """A title (valid_from … valid_to, open when valid_to is unknown) covers ``day``."""
    return (field("valid_from") <= day) & (coalesce(field("valid_to"), FAR_FUTURE) >= day)


def _derived_expiry() -> Node:
    """Expiry from the rule in force on the issue date, for a document recorded without one.

    The document lapses on the day corresponding to its issue day (KPA art. 57 § 3–3a
    arithmetic): a PDPdC issued 10 Mar 2025 is valid until 10 Mar 2026. National documents
    (passports, ID cards) are never derived: their validity is set by another state, so an
    unrecorded expiry stays unknown. Residence cards follow their title (document_expires).
    """
    issued = field("issued")
    kind = field("kind")
    return cases(
        # Polish law gives the validity of Polish documents only: one another state issued (a
        # German Reiseausweis recorded as a travel document for foreigners) keeps its own.
        case("issued_abroad", ~issued_in_poland(), lit(None)),
        case(
            "pdpdc",
            kind == "travel_document_for_foreigners",
            add_period(issued, param("pl.uoc.pdpdc.validity", on=issued), "year"),
        ),
        case(
            "temporary_pdpdc",
            kind == "temporary_travel_document_for_foreigners",
            add_period(issued, param("pl.uoc.pdpdc_temporary.validity", on=issued), "day"),
        ),
        case(
            "refugee_td",
            kind == "refugee_travel_document",
            add_period(
                issued, param("pl.uochr.refugee_travel_document.validity", on=issued), "year"
            ),
        ),
        case(
            "pdtc",
            kind == "identity_document_for_foreigners",
            add_period(issued, param("pl.uoc.pdtc.validity", on=issued), "year"),
        ),
        case(
            "tolerated",
            kind == "tolerated_stay_document",
            add_period(issued, param("pl.uoc.tolerated_stay_document.validity", on=issued), "year"),
        ),
        case(
            "later_tzc",
            field("tzc_later").is_true(),
            _tzc_expiry("pl.uochr.tzc.later_validity", "month"),
        ),
        case("tzc", _is_tzc(), _tzc_expiry("pl.uochr.tzc.first_validity", "day")),
        case("residence_card", kind == "residence_card", field("card_expiry_by_title")),
        otherwise=lit(None),
    )


def issued_in_poland() -> Node:
    """The document was issued by Poland, or its issuer is not recorded (the documents whose
    validity the rulebook derives are Polish ones)."""
    return coalesce(field("issuer") == "PL", lit(True))


def _expiry_standing() -> Node:
    """The expiry recorded, where it stands in the scenario. A reform that changes the
    PDPdC's validity from a day (a counterfactual) issues the PDPdCs of that day on with its
    validity: the expiry recorded on one, given under the law in force, is derived again
    (``pl.uoc.pdpdc.reissued_with_scenario_validity``; never under the law in force)."""
    reissued = (
        (field("kind") == "travel_document_for_foreigners")
        & issued_in_poland()
        & param("pl.uoc.pdpdc.reissued_with_scenario_validity", on=field("issued")).is_true()
    )
    return cases(case("reissued", reissued, lit(None)), otherwise=field("expires"))


def _replaced_on() -> Node:
    """For a document recorded lost or stolen, the day a Polish document of its kind was next
    issued (a derived column of ``documents``, looked up for those rows only). One recorded
    without its issue day is taken as replaced by the first such document recorded with one
    (which came first cannot be told; otherwise it would ask for an exchange for ever)."""
    since = coalesce(outer("issued"), lit(_BEFORE_ANY_RECORD))
    later = min_of_rows(
        "documents",
        field("issued"),
        (field("kind") == outer("kind")) & issued_in_poland() & (field("issued") > since),
    )
    lost = document_status().is_in(("lost", "stolen"))
    return cases(case("lost", lost, later), otherwise=lit(None))


_BEFORE_ANY_RECORD = dt.date(1, 1, 1)


def _card_expiry_by_title() -> Node:
    """The expiry of a card recorded without one, from its title (looked up for those cards
    only)."""
    without_expiry = (field("kind") == "residence_card") & field("expires").is_null()
    return cases(
        case("card_without_expiry", without_expiry, _residence_card_expiry()), otherwise=lit(None)
    )


def _is_tzc() -> Node:
    return field("kind") == "temporary_identity_certificate"


def _tzc_expiry(validity: str, unit: PeriodUnit) -> Node:
    issued = field("issued")
    return add_period(issued, param(validity, on=issued), unit)


def _later_tzc() -> Node:
    """A temporary identity certificate issued after another one of the same protection
    procedure: the person's certificate issued earlier, on or after the latest protection
    application filed by this one's issue date (UOchr art. 55a: each subsequent certificate
    is valid 6 months). With no earlier certificate of that procedure recorded, or no
    protection application recorded, it is taken as the first (the shorter validity), so a
    lapse is never reported late."""
    earlier_of_procedure = any_of_rows(
        "documents",
        _is_tzc()
        & (field("issued") < outer("issued"))
        & (field("issued") >= outer("tzc_procedure_filed")),
    )
    return cases(case("tzc", _is_tzc(), earlier_of_procedure), otherwise=lit(None))


def _tzc_procedure_filed() -> Node:
    """For a temporary identity certificate: the day the latest protection application filed
    by its issue date was filed (the procedure the certificate belongs to)."""
    filed_by_issue = is_protection() & (field("filed") <= outer("issued"))
    return cases(
        case("tzc", _is_tzc(), max_of_rows("applications", field("filed"), filed_by_issue)),
        otherwise=lit(None),
    )


def document_expires() -> Node:
    """The document's expiry: as recorded, or derived (a row variable of ``documents``)."""
    return field("expires_effective")


_CARD_VALIDITY = {
    "refugee_status": "pl.uochr.card.refugee_validity",
    "subsidiary_protection": "pl.uochr.card.subsidiary_validity",
    "permanent_residence": "pl.uoc.card.permanent_residence_validity",
    "eu_long_term_residence": "pl.uoc.card.long_term_residence_validity",
    "humanitarian_stay": "pl.uoc.card.humanitarian_validity",
}


def _residence_card_expiry() -> Node:
    """A residence card recorded without its expiry lasts as long as the card of the title in
    force on its issue date: a temporary-residence card until the permit ends, the others a
    fixed number of years from issue (UOchr art. 89i; UoC). Unknown if no title covered the
    issue date."""
    issued = outer("issued")  # the card's issue date: the lookup runs over the person's titles
    by_title = cases(
        case("temporary", field("kind") == "temporary_residence", field("valid_to")),
        *(
            case(kind, field("kind") == kind, add_period(issued, param(name, on=issued), "year"))
            for kind, name in _CARD_VALIDITY.items()
        ),
        otherwise=lit(None),
    )
    title_then = (field("valid_from") <= issued) & (
        coalesce(field("valid_to"), FAR_FUTURE) >= issued
    )
    return value_at_max("titles", by_title, field("valid_from"), title_then)


def document_valid_on(day: Node) -> Node:
    """Not lost, stolen, withdrawn or surrendered; issued by ``day``; not expired on ``day``.

    An unknown expiry that cannot be derived counts as not valid (unknown), never as valid.
    """
    return cases(
        case("recorded_expired_undated", expired_undated(), lit(False)),
        otherwise=document_held() & issued_by(day) & (document_expires() >= day),
    )


def document_held() -> Node:
    """Held by the person: recorded valid, or recorded expired (held, its validity over, on
    the day its expiry gives, or, with none recorded or derivable, on every date)."""
    return document_status().is_in(("valid", "expired"))


def expired_undated() -> Node:
    """Recorded expired, with no expiry recorded or derivable: expired on every date (when
    is not recorded, as for a document recorded lost)."""
    return (document_status() == "expired") & document_expires().is_null()


def issued_by(day: Node | None = None) -> Node:
    """The document was issued by ``day`` (the evaluation date), or its issue is not recorded:
    one issued after the date does not exist on it."""
    on = as_of() if day is None else day
    return field("issued").is_null() | (field("issued") <= on)


def abroad_on_the_date() -> Node:
    """A stay abroad the person is on at the date: left by then, not back by then."""
    return (field("left") <= as_of()) & not_yet("returned")


def document_status() -> Node:
    """The document's status; one recorded without a status is held, as a dossier's
    ``status`` defaults to ``valid`` (so both back-ends read a population file alike)."""
    return coalesce(field("status"), lit("valid"))


def decision_final_on() -> Node:
    """The day the application's decision became final (a row variable of ``applications``)."""
    return field("final_effective")


def not_yet(name: str, day: Node | None = None) -> Node:
    """The dated fact ``name`` (a decision issued, delivered, an appeal filed …) had not
    happened by ``day`` (the evaluation date): not recorded, or recorded on a later day.

    Everything is judged as of the date: a decision issued after it does not exist on it.
    """
    on = as_of() if day is None else day
    return field(name).is_null() | (field(name) > on)


def complete_on(day: Node | None = None) -> Node:
    """Whether the application was formally complete on ``day`` (the evaluation date): false
    when recorded incomplete; unknown when not recorded, or when its defects were recorded
    cured only after ``day`` (whether they would be cured in time was not known on it); true
    when recorded complete (by ``day``).

    UoC art. 108 ust. 1 and art. 112a ust. 2 read completeness; a cure in time makes the
    stay legal from filing (art. 108), so a cure recorded after ``day`` leaves ``day``
    unknown, never irregular.
    """
    on = as_of() if day is None else day
    return cases(
        case("recorded_incomplete", field("formally_complete") == False, lit(False)),  # noqa: E712
        case("cured_later", field("completed_on") > on, lit(None)),
        case("cured", field("completed_on") <= on, lit(True)),
        otherwise=field("formally_complete"),
    )


def row_variables() -> list[tuple[str, str, Node]]:
    """(table, column, expression) of the derived episode columns, computed once per row."""
    return [
        ("documents", "tzc_procedure_filed", _tzc_procedure_filed()),
        ("documents", "tzc_later", _later_tzc()),
        ("documents", "card_expiry_by_title", _card_expiry_by_title()),
        ("documents", "expires_standing", _expiry_standing()),
        ("documents", "replaced_on", _replaced_on()),
        ("documents", "expires_effective", coalesce(field("expires_standing"), _derived_expiry())),
        ("applications", "next_filed_same_kind", _next_filed_same_kind()),
        ("applications", "residence_title_until", _residence_title_until()),
        ("applications", "granted_title_from", _granted_title_from()),
        ("applications", "final_effective", _final_effective()),
    ]


def _next_filed_same_kind() -> Node:
    """The filing day of the person's next application of the same kind (any protection
    application for a protection one): a title this application granted began before it."""
    same_kind = (field("kind") == outer("kind")) | (
        is_protection() & outer("kind").is_in(PROTECTION_APPLICATIONS)
    )
    later = min_of_rows(
        "applications", field("filed"), same_kind & (field("filed") > outer("filed"))
    )
    # Read only for a grant not recorded final (its permit looked for): the others, most
    # rows, need no lookup.
    unsettled = (field("outcome") == "granted") & field("final").is_null()
    return cases(case("grant_not_recorded_final", unsettled, later), otherwise=lit(None))


def _residence_title_until() -> Node:
    """For a grant of permanent or EU long-term residence, the last day of the title it
    granted where that title is recorded (FAR_FUTURE for one with no end): a parent's grant
    is read for a child's route, where a nested lookup cannot go. None for other rows, and
    for a grant whose title is not recorded."""
    grant = (field("outcome") == "granted") & field("kind").is_in(
        ("permanent_residence", "eu_long_term_residence")
    )
    until = max_of_rows(
        "titles", coalesce(field("valid_to"), FAR_FUTURE), granted_by_this_application()
    )
    return cases(case("residence_grant", grant, until), otherwise=lit(None))


def grants_kind(application_kind: Node, title_kind: Node) -> Node:
    """An application of ``application_kind`` grants titles of ``title_kind``: its own kind,
    or refugee status or subsidiary protection for an application for protection."""
    return (title_kind == application_kind) | (
        application_kind.is_in(PROTECTION_APPLICATIONS)
        & title_kind.is_in(("refugee_status", "subsidiary_protection"))
    )


def granted_by_this_application() -> Node:
    """A title row (in an aggregate over titles from an application's row) that the outer
    application may have granted: of the kind it grants, beginning on or after its filing and
    before the next application of its kind was filed (whose own permit a later title may be)."""
    before_the_next = field("valid_from") < coalesce(outer("next_filed_same_kind"), FAR_FUTURE)
    return (
        grants_kind(outer("kind"), field("kind"))
        & (field("valid_from") >= outer("filed"))
        & before_the_next
    )


def _granted_title_from() -> Node:
    """For a grant whose finality the record cannot give (neither recorded final nor
    delivered): the first day of the title it granted, if recorded. The person stays on that
    title from then, so the application bears no stamp past it (a grant never delivered kept a
    stamp alive for ever, hiding the end of stay)."""
    unknown_finality = (
        (field("outcome") == "granted") & field("final").is_null() & field("delivered").is_null()
    )
    title_after_filing = min_of_rows("titles", field("valid_from"), granted_by_this_application())
    return cases(
        case("grant_of_unknown_finality", unknown_finality, title_after_filing),
        otherwise=lit(None),
    )


def _final_effective() -> Node:
    """The day an application's decision became final: as recorded, or — for a delivered
    decision with no appeal filed by the evaluation date — the day after the appeal period
    ends (the decision becomes final when the time to appeal lapses unused).

    An appeal recorded as filed after the evaluation date did not exist on it (nor does a
    recorded ``final`` after it make the decision final before that day: ``pending_on``).
    """
    lapse = period_end(field("delivered"), appeal_days(), "day")
    # An appeal filed after the period lapsed does not undo finality (KPA art. 129 § 2; only a
    # restored time limit would, art. 58, which a dossier does not record).
    unappealed = not_yet("appeal_filed") | (field("appeal_filed") > lapse)
    inferred = cases(
        case("no_timely_appeal", field("delivered").is_not_null() & unappealed, lapse),
        otherwise=lit(None),
    )
    # A day recorded final is the authority's, and stands (even one later than the lapse of
    # the time to appeal: a delivery by notice, a time limit restored, are not recorded).
    # A finality inferred from delivery stands even where the record starts the title the grant
    # gave days later (the days between read as a gap, flagged decision_finality_inferred):
    # taking that title's start instead would reach a later application's permit where the
    # grant's own is not recorded, and keep a stamp alive for years.
    return coalesce(field("final"), add_days(inferred, 1), field("granted_title_from"))


# An application for international protection (UOchr art. 25) asks for refugee status and,
# failing it, subsidiary protection: one recorded under either title's kind is that same
# application (the registry offers those kinds too).
PROTECTION_APPLICATIONS = ("international_protection", "refugee_status", "subsidiary_protection")


def is_protection() -> Node:
    """An application for international protection (UOchr), not a residence application."""
    return field("kind").is_in(PROTECTION_APPLICATIONS)


def appeal_days() -> Node:
    """Days to appeal from delivery: to the Refugee Board for protection, else KPA art. 129."""
    # The period in force when the decision was delivered (its version then is what ran).
    delivered = field("delivered")
    return cases(
        case("protection", is_protection(), param("pl.uochr.appeal", on=delivered)),
        otherwise=param("pl.kpa.appeal", on=delivered),
    )


def manifestly_unfounded_appeal_due() -> Node:
    """The last of the Refugee Board's 5 days from delivery that apply where the application
    was refused as manifestly unfounded (legal-rules.md §1.4, medium; the ground is not
    recorded), moved off a day off as any period (KPA art. 57 § 4)."""
    delivered = field("delivered")
    return period_end(delivered, param("pl.uochr.appeal_manifestly_unfounded", on=delivered), "day")


def waiting_for_decision() -> Node:
    """Pending on the date with no first-instance decision issued by it (unknown when a
    decision is recorded whose issue day is not, nor any later day that would place it)."""
    return pending_on(as_of()) & not_yet_decided()


# A decision is issued before it is delivered, appealed or final: any of these days by the
# date shows it was issued by then, though its own day is not recorded.
_DECISION_DAYS = ("issued", "delivered", "appeal_filed", "final")


def not_yet_decided() -> Node:
    """No first-instance decision issued by the date: false when one of the decision's days
    is recorded by then; true when none is recorded and no outcome either, or when the issue
    day recorded is later; unknown for a decision recorded (its outcome, or a later day)
    without the day it was issued."""
    recorded = field("outcome").is_not_null() | _a_decision_day_recorded()
    return cases(
        case("decision_day_by_the_date", decided_by_the_date(), lit(False)),
        case("issued_later", field("issued").is_not_null(), lit(True)),
        case("no_decision_recorded", ~recorded, lit(True)),
        otherwise=lit(None),
        label="decision_day_not_recorded",
    )


def _a_decision_day_recorded() -> Node:
    return any_of(*(field(day).is_not_null() for day in _DECISION_DAYS))


def decision_made_by() -> Node:
    """The day the decision was made by: its issue day, or, that not recorded, the first
    later day recorded (delivered, appealed, final)."""
    later = (field(day) for day in _DECISION_DAYS if day != "issued")
    return coalesce(field("issued"), min_of(*later))


def decided_by_the_date() -> Node:
    """One of the decision's days (issued, delivered, appealed, final) is recorded by the
    date: it was made by then, its own issue day recorded or not."""
    return any_of(*(~not_yet(day) for day in _DECISION_DAYS))


def decided_after_the_date() -> Node:
    """The decision's days recorded all fall after the date (its issue day, or, that not
    recorded, its delivery or finality): it may have been made after it. A decision recorded
    with no day at all is taken as made by the date it is recorded for."""
    return _a_decision_day_recorded() & ~decided_by_the_date()


def _finality_unknowable() -> Node:
    """A decision made by the date (or with no day recorded at all), neither delivered nor
    final by it: when it became, or becomes, final cannot be told on the date. A delivery or
    finality recorded after the date did not exist on it (a back-dated assessment answers as
    the record then stood)."""
    return not_yet("delivered") & not_yet("final") & ~coalesce(decided_after_the_date(), lit(False))


def finality_unrecorded() -> Node:
    """A refusal or discontinuance whose finality cannot be told: the stay on the application
    is taken as lasting, flagged, and it hides no deadline to file."""
    not_granted = coalesce(field("outcome").is_in(("refused", "discontinued")), lit(False))
    return not_granted & _finality_unknowable()


def grant_finality_unrecorded() -> Node:
    """A grant whose finality cannot be told and whose permit is not recorded (a permit
    recorded ends the stay on the application as it begins, ``granted_title_from``)."""
    granted = field("outcome") == "granted"
    return granted & field("granted_title_from").is_null() & _finality_unknowable()


def pending_on(day: Node) -> Node:
    """An application filed by ``day`` whose decision is not final before ``day``.

    Stay on a pending application lasts *until* the decision becomes final: the day it becomes
    final is the last day covered. Unknown when the decision was delivered, no appeal filed,
    and the appeal period's end cannot be known (it lies outside the years the calendar knows
    the days off of): such a decision is neither pending nor final, so it neither keeps a stay
    legal nor hides the deadline to file a new application.
    """
    lapse_unknown = (
        field("final").is_null()
        & ~not_yet("delivered")  # delivered by the date: before it, the decision is pending
        & not_yet("appeal_filed")
        & decision_final_on().is_null()
    )
    not_final = cases(
        case("lapse_unknown", lapse_unknown, lit(None)),
        otherwise=coalesce(decision_final_on(), FAR_FUTURE) >= day,
    )
    return (field("filed") <= day) & not_final


def title_covered_filing() -> Node:
    """The application was filed on a day covered by a title (filed by the last day of legal
    stay): a title of the same person covers the application's filing date."""
    return field("filed_title_end").is_not_null()


def title_end_at_filing() -> Node:
    """The last day of the titles that covered the application's filing day (FAR_FUTURE for
    one without an end); none where no title covered it. Until then the person stayed on the
    title, not on the stamp (a derived column of ``applications``)."""
    covering = (field("valid_from") <= outer("filed")) & (
        coalesce(field("valid_to"), FAR_FUTURE) >= outer("filed")
    )
    return max_of_rows("titles", coalesce(field("valid_to"), FAR_FUTURE), covering)
