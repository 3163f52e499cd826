"""Eligibility: permanent residence, EU long-term residence, a PDPdC, a PDTC.

Each is a disjunction of routes (alternative legal grounds), each a conjunction of named
conditions with the provision they rest on. A condition the recorded facts cannot decide is
unknown, and so is the eligibility if no route holds and none is excluded by a failed condition.
"""

from __future__ import annotations

from legalstay.dossier import TEMPORARY_RESIDENCE_GROUNDS, VISA_GROUNDS
from legalstay.engine.expressions import (
    FAR_FUTURE,
    Node,
    Op,
    add_days,
    add_period,
    any_of_rows,
    as_of,
    asker,
    case,
    cases,
    coalesce,
    days_between,
    family_any,
    field,
    lit,
    max_of,
    max_of_rows,
    min_of,
    min_of_rows,
    param,
    sum_of_rows,
    var,
)
from legalstay.engine.kernels import CoverageSpec, IntervalSource, coverage
from legalstay.engine.rules import Condition, Eligibility, Route, Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import covers, decision_final_on, is_protection
from legalstay.rulebook.stay import bears_stamp

__all__ = ["eligibilities", "qualifying_252a_title_held", "variables"]

PROTECTION_TITLES = ("refugee_status", "subsidiary_protection", "humanitarian_stay")
# Humanitarian stay is protection here as everywhere in this rulebook (PROTECTION_TITLES).
RESIDENCE_OR_PROTECTION = (
    "temporary_residence",
    "permanent_residence",
    "eu_long_term_residence",
    *PROTECTION_TITLES,
)


def _holds(*kinds: str) -> Node:
    return any_of_rows("titles", covers(as_of()) & field("kind").is_in(kinds))


def _granted_final(*kinds: str) -> Node:
    """An application of these kinds granted by a decision final on the date: held from that
    day (its title may not be recorded, flagged `granted_title_not_recorded`, or begin later,
    with the card), unless the title it granted is recorded as ended by then (a permanent
    residence withdrawn since is held no more)."""
    return any_of_rows("applications", _held_by_a_grant(kinds))


def _held_by_a_grant(kinds: tuple[str, ...], on: Node | None = None) -> Node:
    """An application row of these kinds (permanent or EU long-term residence, whose rows
    carry ``residence_title_until``) granted by a decision final by ``on`` (the date), whose
    recorded title, if any, has not ended before it."""
    day = as_of() if on is None else on
    not_ended = coalesce(field("residence_title_until") >= day, lit(True))
    return (
        field("kind").is_in(kinds)
        & (field("outcome") == "granted")
        & coalesce(decision_final_on() <= day, lit(False))
        & not_ended
    )


def _holds_or_on_its_stamp() -> Node:
    """Holding a residence or protection title, for a parent (the reform's children's route):
    on the stamp of a timely application after holding one, not known (whether the proposal
    counts a parent waiting for the next permit as holding one is not reported); on a stamp
    with none held before, no (the parent had held none)."""
    held_before = any_of_rows(
        "titles", field("kind").is_in(RESIDENCE_OR_PROTECTION) & (field("valid_from") <= as_of())
    )
    return cases(
        case("holds", var("holds.residence_or_protection"), lit(True)),
        case("on_its_stamp", var("application.stamp") & held_before, lit(None)),
        otherwise=lit(False),
    )


def _years_back(years: Node) -> Node:
    return add_period(as_of(), lit(0) - years, "year")


def _citizenship_recorded() -> Node:
    """Everyone holds a citizenship unless stateless: no citizenship recorded, with
    statelessness not recorded as a fact, is a citizenship not recorded (unknown), not none."""
    return ~field("citizenships").is_empty() | _fact("stateless").is_true()


def _stateless() -> Node:
    """Stateless as recorded; a person with a citizenship recorded is not (Belarusians stay
    citizens unless deprived of it, legal-rules.md §5.1); unknown when neither is recorded."""
    return cases(
        case("recorded", _fact("stateless").is_not_null(), _fact("stateless")),
        case("holds_a_citizenship", ~field("citizenships").is_empty(), lit(False)),
        otherwise=lit(None),
    )


def _citizenship_answer(answer: Node) -> Node:
    """``answer`` (a question about the person's citizenships) where they are recorded, else
    unknown."""
    return Op("if_else", (var("person.citizenship_recorded"), answer, lit(None)))


def _person_variables() -> list[Variable]:
    born = field("birth_date")
    majority = add_period(born, param("pl.kc.age_of_majority"), "year")
    return [
        # One not yet born on the date is no minor on it: no child's route, no child's flag
        # (a population assessed back-dated holds persons born later).
        Variable("person.minor", (born <= as_of()) & (as_of() < majority)),
        Variable("person.born_in_poland", field("birth_country") == "PL"),
        Variable("person.has_parent_link", any_of_rows("family", field("relation") == "parent")),
        Variable("person.citizenship_recorded", _citizenship_recorded()),
        Variable("person.stateless", _stateless()),
        Variable("person.belarusian", _citizenship_answer(field("citizenships").contains("BY"))),
        # Decree No. 278 bars only a Belarusian passport: a second citizenship may give one.
        Variable(
            "person.only_belarusian",
            _citizenship_answer(field("citizenships").contains_only("BY")),
        ),
        Variable("holds.protection_or_humanitarian", _holds(*PROTECTION_TITLES)),
        Variable("holds.permanent_residence", _holds("permanent_residence")),
        Variable("holds.long_term_residence", _holds("eu_long_term_residence")),
        # Read for a parent (the child's permanent-residence route): a final grant whose title
        # the registry does not hold yet is held, as it is for the person's own route.
        Variable(
            "holds.permanent_or_long_term",
            _holds("permanent_residence", "eu_long_term_residence")
            | _granted_final("permanent_residence", "eu_long_term_residence"),
        ),
        Variable("holds.residence_or_protection", _holds(*RESIDENCE_OR_PROTECTION)),
        Variable("holds.residence_or_protection_or_its_stamp", _holds_or_on_its_stamp()),
        Variable("holds.refugee_status", _holds("refugee_status")),
        Variable("holds.tolerated_stay", _holds("tolerated_stay")),
        # Read by a child's permanent-residence route (UoC art. 195 ust. 1): this person's
        # earliest title of the kinds it names.
        Variable(
            "child_route.first_title",
            min_of_rows("titles", field("valid_from"), field("kind").is_in(CHILD_ROUTE_TITLES)),
        ),
    ]


def _continuity_variables() -> list[Variable]:
    """Breaks in stay (stays abroad) in the five years before the date (UoC arts. 211–212)."""
    return _continuity("continuity", param("pl.uoc.ltr.residence_years"))


def _continuity(prefix: str, years: Node) -> list[Variable]:
    """Whether stays abroad in the ``years`` before the date break the stay: one break over
    the single maximum, or breaks together over the total maximum."""
    window_start = _years_back(years)
    returned = coalesce(field("returned"), as_of())
    # The day of return is spent in Poland (days abroad are returned - left).
    overlaps = (field("left") <= as_of()) & (returned > window_start) & _a_break()
    back = _back_by_the_date()
    too_long = _longer_than_allowed(field("left"), back)
    abroad_days = days_between(
        cases(case("inside", field("left") >= window_start, field("left")), otherwise=window_start),
        back,
    )
    months = param("pl.uoc.continuity.break_total_max")
    days = var(f"{prefix}.days_abroad")
    # The statute counts the total in months, the breaks come in days. A month has 28 to 31
    # days: up to 28 a month the total is within the limit however the months are counted,
    # over 31 a month it exceeds it however they are counted; in between the answer turns on
    # a counting the research does not settle, so it is unknown and checked by hand.
    total_within = cases(
        case("within_however_counted", days <= months * lit(28), lit(True)),
        case("over_however_counted", days > months * lit(31), lit(False)),
        otherwise=lit(None),
    )
    return [
        Variable(
            f"{prefix}.long_break",
            # The length first: its comparison moves with the date, so an explanation sees the
            # day a stay abroad begun after the date would become too long.
            any_of_rows("stays_abroad", too_long & overlaps),
            reference=ref.UOC_CONTINUITY,
        ),
        Variable(f"{prefix}.days_abroad", sum_of_rows("stays_abroad", abroad_days, overlaps)),
        Variable(f"{prefix}.total_within", total_within, reference=ref.UOC_CONTINUITY),
        Variable(
            f"{prefix}.ok",
            ~var(f"{prefix}.long_break") & var(f"{prefix}.total_within"),
            reference=ref.UOC_CONTINUITY,
        ),
    ]


def _a_break() -> Node:
    """A stay abroad that is a break in stay: any but one whose recorded reason the law
    excuses (UoC arts. 211–212, legal-rules.md §1.3): work abroad for an employer based in
    Poland or accompanying such a worker, a Polish university's internships or classes, a
    special personal situation of up to six months. No reason recorded: a break."""
    reason = field("reason")
    personal = (reason == "special_personal_situation") & (
        add_period(field("left"), param("pl.uoc.continuity.personal_situation_max"), "month")
        >= _back_by_the_date()
    )
    excused = reason.is_in(param("pl.uoc.continuity.excused_break_reasons")) | personal
    return ~coalesce(excused, lit(False))


def _back_by_the_date() -> Node:
    """The day a stay abroad ended as the date knows it: the return recorded if it came by
    the date; the date itself while the person is still abroad (a return recorded for a later
    day has not happened on it)."""
    return cases(
        case("returned", field("returned") <= as_of(), field("returned")),
        otherwise=as_of(),
    )


def _longer_than_allowed(left: Node, back: Node) -> Node:
    """A break over the single maximum (6 months, UoC arts. 211–212)."""
    return add_period(left, param("pl.uoc.continuity.break_single_max"), "month") < back


def _study_variables() -> list[Variable]:
    """UoC art. 212 ust. 2: EU long-term residence is not for a stay whose purpose is study
    (study time before counts half, art. 212 ust. 1). Held only on study titles today: the
    stay is for studies; another title held beside one gives the stay another purpose."""
    permit_or_visa = field("kind").is_in(("temporary_residence", "visa"))
    study = permit_or_visa & (field("ground") == "study")
    ground_unknown = _ground_not_recorded()
    today = covers(as_of())
    other_purpose = any_of_rows("titles", today & ~study & ~ground_unknown)
    return [
        Variable(
            "ltr.staying_for_studies",
            cases(
                case("another_purpose", other_purpose, lit(False)),
                # A permit or visa held without its ground may be for studies, or, beside a
                # study permit, may give the stay another purpose.
                case(
                    "ground_not_recorded", any_of_rows("titles", today & ground_unknown), lit(None)
                ),
                case("for_studies", any_of_rows("titles", today & study), lit(True)),
                otherwise=lit(False),
            ),
            reference=ref.UOC_LTR_NOT_FOR_STUDIES,
        )
    ]


def _five_years_counted() -> Node:
    """The five years reached even were the permits held without their ground for studies
    (half); reached only if they were not: unknown."""
    counted, required = var("ltr.counted_days"), var("ltr.required_days")
    at_worst = var("ltr.counted_days_at_worst")
    return cases(
        case("reached_whatever_the_grounds", at_worst >= required, lit(True)),
        case("reached_if_not_for_studies", counted >= required, lit(None)),
        otherwise=lit(False),
    )


def _ground_not_recorded() -> Node:
    """A permit or visa recorded without its ground, or with one the rulebook does not know (a
    dossier's "studies", a typo): whether its time counts half (study, vocational training) is
    not known (a row expression of ``titles``). Read as a known ground other than study, a
    misspelt study permit would count in full."""
    permit = (field("kind") == "temporary_residence") & _not_one_of(TEMPORARY_RESIDENCE_GROUNDS)
    visa = (field("kind") == "visa") & _not_one_of(VISA_GROUNDS)
    return permit | visa


def _not_one_of(grounds: tuple[str, ...]) -> Node:
    """The title's ground is not recorded, or is not among ``grounds``."""
    return ~coalesce(field("ground").is_in(grounds), lit(False))


def _restart_variables() -> list[Variable]:
    """A break over the single maximum interrupts the stay: time before it no longer counts
    towards the five years, however far back it lies (UoC arts. 211–212). Counted time may
    reach ten years back (half-counted study), so breaks are looked for as far."""
    lookback = _years_back(param("pl.uoc.ltr.residence_years") * 2)
    returned = coalesce(field("returned"), as_of())
    back = _back_by_the_date()
    too_long = _longer_than_allowed(field("left"), back)
    interrupting = too_long & (field("left") <= as_of()) & (returned > lookback) & _a_break()
    return [
        Variable(
            "continuity.restarted_on",
            max_of_rows("stays_abroad", back, interrupting),
            reference=ref.UOC_CONTINUITY,
        ),
        Variable("ltr.count_from", max_of(lookback, var("continuity.restarted_on"))),
    ]


def _weight_of_title() -> Node:
    """UoC art. 212 ust. 1 pkt 3: study or vocational-training time counts half."""
    half = (
        (field("kind") == "temporary_residence")
        & field("ground").is_in(param("pl.uoc.ltr.half_counted_grounds"))
    ) | ((field("kind") == "visa") & (field("ground") == "study"))
    return cases(case("half", half, lit(0.5)), otherwise=lit(1.0))


def _weight_of_asylum_procedure() -> Node:
    """UoC art. 212 ust. 1 pkt 2: the asylum procedure counts in full if it lasted more than
    18 months, otherwise half."""
    # As of the date: a decision final after it has not ended the procedure on it.
    ended = min_of(coalesce(decision_final_on(), as_of()), as_of())
    long = add_period(field("filed"), param("pl.uoc.ltr.asylum_full_after"), "month") < ended
    return cases(case("full", long, lit(1.0)), otherwise=lit(0.5))


def _on_the_stamp_from() -> Node:
    """The first day the stay rests on the stamp: the day after the title the application
    was filed on ended. Until then the person stays on that title, and its days count as the
    title's (study time half, UoC art. 212 ust. 1), not in full as a stamp's."""
    return coalesce(add_days(field("filed_title_end"), 1), field("filed"))


# Stay on a timely, formally complete residence application until its decision is final
# (UoC arts. 108, 206), filed on a title or on an earlier stamp, as legal stay reads it.
_STAMPED = IntervalSource(
    "applications", bears_stamp(), _on_the_stamp_from(), decision_final_on(), lit(1.0)
)
_ASYLUM_PROCEDURE = IntervalSource(
    "applications",
    is_protection(),
    field("filed"),
    decision_final_on(),
    _weight_of_asylum_procedure(),
)
_LONG_TERM = CoverageSpec(
    "long_term_residence",
    (
        IntervalSource(
            "titles", lit(True), field("valid_from"), field("valid_to"), _weight_of_title()
        ),
        _STAMPED,
        _ASYLUM_PROCEDURE,
    ),
)
# The same, a permit or visa recorded without its ground counted half (as if for studies):
# only the rows of persons who hold one, so the count, dear, is made for them alone.
_HOLDS_ONE = var("ltr.ground_not_recorded_held")
_LONG_TERM_AT_WORST = CoverageSpec(
    "long_term_residence_at_worst",
    (
        IntervalSource(
            "titles",
            _HOLDS_ONE,
            field("valid_from"),
            field("valid_to"),
            cases(
                case("ground_not_recorded", _ground_not_recorded(), lit(0.5)),
                otherwise=_weight_of_title(),
            ),
        ),
        *(
            IntervalSource(
                source.table, _HOLDS_ONE & source.where, source.start, source.end, source.weight
            )
            for source in (_STAMPED, _ASYLUM_PROCEDURE)
        ),
    ),
)
# UoC art. 195 ust. 1: a child born while the parent held one of these (or after the grant).
CHILD_ROUTE_TITLES = (
    "temporary_residence",
    "permanent_residence",
    "eu_long_term_residence",
    "humanitarian_stay",
    "tolerated_stay",
    "refugee_status",
    "subsidiary_protection",
)


def _titles_of(kinds: tuple[str, ...]) -> IntervalSource:
    """The person's titles of these kinds, each day counting in full."""
    where = field("kind").is_in(kinds)
    return IntervalSource("titles", where, field("valid_from"), field("valid_to"), lit(1.0))


_PROTECTION = CoverageSpec("protection", (_titles_of(PROTECTION_TITLES),))
_TOLERATED = CoverageSpec("tolerated_stay", (_titles_of(("tolerated_stay",)),))


# A permit recorded with a ground that names something else (work, study, …) is not the
# marriage permit; one recorded with no ground, "family", "other" or a ground the rulebook does
# not know may be, so it leaves the two years unknown rather than unmet.
_NOT_MARRIAGE_GROUNDS = tuple(
    ground
    for ground in TEMPORARY_RESIDENCE_GROUNDS
    if ground not in {"spouse_of_polish_citizen", "family", "other"}
)


def _of_a_parent(value: Node) -> Node:
    """``value`` holds for a parent: false only where the parents recorded are known not to;
    for a minor with no parent recorded at all, unknown (a child's dossier may simply not link
    them, and whether a parent held the title is then not recorded). An adult's routes for
    children are closed by age: no parent recorded is "no" there, not one more unknown."""
    recorded = coalesce(family_any("parent", lit(True)), lit(True))  # an id link is one
    a_minor = coalesce(var("person.minor"), lit(True))
    return cases(
        case("no_parent_recorded", ~recorded & a_minor, lit(None)),
        otherwise=family_any("parent", value),
    )


def _spouse_stay(name: str, *, definite: bool) -> CoverageSpec:
    """Stay on a permit granted for the marriage (``definite``: recorded with that ground; else
    also a permit whose ground does not rule it out) or on protection. Not definite, also the
    stay on the stamp of a temporary-residence application (its ground is not recorded, and
    whether a stamp between two marriage permits counts as stay on one is not researched), or
    of a permanent-residence one (art. 206: whether the two years must run up to the date,
    or up to the filing, is not researched)."""
    trp = field("kind") == "temporary_residence"
    if definite:
        marriage = trp & (field("ground") == "spouse_of_polish_citizen")
    else:
        marriage = trp & ~coalesce(field("ground").is_in(_NOT_MARRIAGE_GROUNDS), lit(False))
    where = marriage | field("kind").is_in(PROTECTION_TITLES)
    source = IntervalSource("titles", where, field("valid_from"), field("valid_to"), lit(1.0))
    if definite:
        return CoverageSpec(name, (source,))
    stamped = IntervalSource(
        "applications",
        bears_stamp() & (trp | (field("kind") == "permanent_residence")),
        _on_the_stamp_from(),
        decision_final_on(),
        lit(1.0),
    )
    return CoverageSpec(name, (source, stamped))


_SPOUSE_STAY = _spouse_stay("spouse_stay", definite=True)
_SPOUSE_STAY_POSSIBLE = _spouse_stay("spouse_stay_possible", definite=False)


def _spouse_variables() -> list[Variable]:
    """UoC art. 195 ust. 1: three years married to a Polish citizen, and two years of stay on a
    permit granted for the marriage or on protection."""
    stay_years = param("pl.uoc.pr.spouse_stay_years")
    window = _years_back(stay_years)
    since = _fact("married_to_polish_citizen_since")
    three_years = add_period(since, param("pl.uoc.pr.spouse_marriage_years"), "year") <= as_of()
    return [
        # Recorded as not married: false; otherwise from the date (unknown without one).
        Variable(
            "pr.married_long_enough",
            cases(
                case(
                    "not_married",
                    (~_fact("married_to_polish_citizen")).is_true(),
                    lit(False),
                ),
                otherwise=three_years,
            ),
        ),
        Variable("pr.required_spouse_days", days_between(window, as_of()) + 1),
        Variable(
            "pr.spouse_qualifying_days",
            coalesce(coverage(_SPOUSE_STAY, "weighted_days", window), lit(0.0)),
        ),
        Variable(
            "pr.spouse_possible_days",
            coalesce(coverage(_SPOUSE_STAY_POSSIBLE, "weighted_days", window), lit(0.0)),
        ),
        Variable(
            "pr.two_years_on_marriage_permit_or_protection",
            cases(
                case(
                    "recorded",
                    var("pr.spouse_qualifying_days") >= var("pr.required_spouse_days"),
                    lit(True),
                ),
                case(
                    "ground_not_recorded",
                    var("pr.spouse_possible_days") >= var("pr.required_spouse_days"),
                    lit(None),
                ),
                otherwise=lit(False),
            ),
        ),
        # Breaks count within the two years the route asks for, not the five of arts. 211–212.
        *_continuity("pr.spouse_continuity", stay_years),
    ]


def _residence_variables() -> list[Variable]:
    years = param("pl.uoc.ltr.residence_years")
    protection_years = param("pl.uoc.pr.protection_years")
    tolerated_years = param("pl.uoc.pr.tolerated_years")
    return [
        Variable("ltr.required_days", days_between(_years_back(years), as_of()) + 1),
        Variable(
            "ltr.counted_days",
            coalesce(coverage(_LONG_TERM, "weighted_days", var("ltr.count_from")), lit(0.0)),
        ),
        # The same count were the permits held without their ground for studies (half):
        # worked out only for those who hold one (a few), as the count itself is dear.
        Variable("ltr.ground_not_recorded_held", any_of_rows("titles", _ground_not_recorded())),
        Variable(
            "ltr.counted_days_at_worst",
            cases(
                case(
                    "ground_not_recorded",
                    var("ltr.ground_not_recorded_held"),
                    coalesce(
                        coverage(_LONG_TERM_AT_WORST, "weighted_days", var("ltr.count_from")),
                        lit(0.0),
                    ),
                ),
                otherwise=var("ltr.counted_days"),
            ),
        ),
        Variable("pr.required_days", days_between(_years_back(protection_years), as_of()) + 1),
        Variable(
            "pr.protection_days",
            coalesce(
                coverage(_PROTECTION, "weighted_days", _years_back(protection_years)), lit(0.0)
            ),
        ),
        Variable(
            "pr.required_tolerated_days", days_between(_years_back(tolerated_years), as_of()) + 1
        ),
        Variable(
            "pr.tolerated_days",
            coalesce(coverage(_TOLERATED, "weighted_days", _years_back(tolerated_years)), lit(0.0)),
        ),
    ]


def variables() -> list[Variable]:
    return [
        *_person_variables(),
        *_continuity_variables(),
        *_restart_variables(),
        *_study_variables(),
        *_residence_variables(),
        *_spouse_variables(),
    ]


# ---------------------------------------------------------------- eligibilities


def _ltr_income() -> Node:
    """Three years of stable income; a Blue Card holder needs two (art. 211 ust. 1), which the
    dossier does not record: without the three, not known."""
    blue_card = any_of_rows(
        "titles",
        covers(as_of())
        & (field("kind") == "temporary_residence")
        & (field("ground") == "blue_card"),
    )
    three_years = _fact("stable_income_3_years")
    return cases(
        case("blue_card_two_years", blue_card & (three_years == False), lit(None)),  # noqa: E712
        otherwise=three_years,
    )


def _fact(name: str) -> Node:
    return field(f"fact_{name}")


def _not_permanent() -> Condition:
    """Holding no permanent residence: neither a title covering the date nor a final grant
    whose title has not ended (not recorded yet, flagged `granted_title_not_recorded`, or
    recorded from a later day)."""
    return Condition(
        "not_already_permanent_resident",
        ~(var("holds.permanent_residence") | _granted_final("permanent_residence")),
        ref.UOC_PR_GROUNDS,
    )


def permanent_residence() -> Eligibility:
    # Born after the grant or while the parent held a temporary-residence permit, humanitarian
    # or tolerated stay or protection (UoC art. 195 ust. 1): a parent's title of those kinds
    # that covers the child's birth day (a permanent or long-term one granted by then covers it
    # too). Born while the parent stayed on the stamp of a timely application, having held such
    # a title before (not necessarily the one the application was filed on: the kind of that
    # one is not looked up), it is left to be checked: whether a stay on a stamp counts as
    # holding the permit is not in the research. A stamp with no such title before it is not
    # one (the parent had held none); neither is a day the parent held no title and no stamp.
    birth = asker("birth_date")
    title_on_the_birth_day = any_of_rows(
        "titles", field("kind").is_in(CHILD_ROUTE_TITLES) & covers(birth)
    )
    stamp_on_the_birth_day = any_of_rows(
        "applications",
        bears_stamp()
        & (_on_the_stamp_from() <= birth)
        & (coalesce(decision_final_on(), FAR_FUTURE) >= birth),
    )
    # Born after a grant (final by the birth day, its title not ended by then), whatever
    # the titles recorded say of that day (one may begin later, with the card).
    grant_before_the_birth = any_of_rows(
        "applications",
        _held_by_a_grant(("permanent_residence", "eu_long_term_residence"), on=birth),
    )
    held_at_birth = cases(
        case("birth_date_not_recorded", birth.is_null(), lit(None)),
        case("title_on_the_birth_day", title_on_the_birth_day, lit(True)),
        case("born_after_a_grant", grant_before_the_birth, lit(True)),
        case(
            "stamp_after_a_title_on_the_birth_day",
            stamp_on_the_birth_day & (var("child_route.first_title") < birth),
            lit(None),
        ),
        otherwise=lit(False),
    )
    parent_at_birth = _of_a_parent(var("holds.permanent_or_long_term") & held_at_birth)
    return Eligibility(
        "permanent_residence",
        (
            Route(
                "protection_5_years",
                (
                    _not_permanent(),
                    Condition(
                        "holds_protection_or_humanitarian_stay",
                        var("holds.protection_or_humanitarian"),
                        ref.UOC_PR_PERIOD_TO_DATE,
                    ),
                    Condition(
                        "five_years_on_protection",
                        var("pr.protection_days") >= var("pr.required_days"),
                        ref.UOC_PR_PERIOD_TO_DATE,
                    ),
                    Condition(
                        "stay_uninterrupted", var("continuity.ok"), ref.UOC_PR_PROTECTION_CONTINUITY
                    ),
                ),
                ref.UOC_PR_GROUNDS,
                "5 years on refugee status, subsidiary protection or humanitarian stay",
            ),
            Route(
                "child_of_resident",
                (
                    _not_permanent(),
                    Condition("minor", var("person.minor"), ref.UOC_PR_CHILD_MINOR),
                    Condition(
                        "born_to_a_resident_parent",
                        parent_at_birth,
                        ref.UOC_PR_CHILD_BORN_DURING,
                    ),
                ),
                ref.UOC_PR_GROUNDS,
                "minor child of a permanent or EU long-term resident",
            ),
            Route(
                "karta_polaka",
                (
                    _not_permanent(),
                    Condition("holds_karta_polaka", _fact("karta_polaka"), ref.UOC_PR_GROUNDS),
                ),
                ref.UOC_PR_GROUNDS,
                "holder of the Karta Polaka",
            ),
            Route(
                "polish_origin",
                (
                    _not_permanent(),
                    Condition("polish_origin", _fact("polish_origin"), ref.UOC_PR_GROUNDS),
                ),
                ref.UOC_PR_GROUNDS,
                "Polish origin",
            ),
            Route(
                "spouse_of_polish_citizen",
                (
                    _not_permanent(),
                    Condition(
                        "two_years_on_marriage_permit_or_protection",
                        var("pr.two_years_on_marriage_permit_or_protection"),
                        ref.UOC_PR_PERIOD_TO_DATE,
                    ),
                    Condition(
                        "stay_uninterrupted_two_years",
                        var("pr.spouse_continuity.ok"),
                        ref.UOC_PR_CONTINUITY,
                    ),
                    Condition(
                        "married_to_a_polish_citizen_3_years",
                        var("pr.married_long_enough"),
                        ref.UOC_PR_GROUNDS,
                    ),
                ),
                ref.UOC_PR_GROUNDS,
                "spouse of a Polish citizen",
            ),
            Route(
                "asylum",
                (
                    _not_permanent(),
                    # Asylum is no title kind of the dossier: the registry records it as a fact.
                    Condition("granted_asylum", _fact("granted_asylum"), ref.UOC_PR_GROUNDS),
                ),
                ref.UOC_PR_GROUNDS,
                "granted asylum in Poland",
            ),
            Route(
                "tolerated_10_years",
                (
                    _not_permanent(),
                    Condition(
                        "holds_tolerated_stay",
                        var("holds.tolerated_stay"),
                        ref.UOC_PR_PERIOD_TO_DATE,
                    ),
                    Condition(
                        "ten_years_on_tolerated_stay",
                        var("pr.tolerated_days") >= var("pr.required_tolerated_days"),
                        ref.UOC_PR_PERIOD_TO_DATE,
                    ),
                ),
                ref.UOC_PR_GROUNDS,
                "10 years of tolerated stay",
            ),
        ),
        ref.UOC_PR_GROUNDS,
        "Permanent residence",
    )


def eu_long_term_residence() -> Eligibility:
    return Eligibility(
        "eu_long_term_residence",
        (
            Route(
                "five_years_legal_stay",
                (
                    Condition(
                        "not_already_long_term_resident",
                        ~var("holds.long_term_residence"),
                        ref.UOC_LTR,
                    ),
                    Condition("staying_legally", var("legal_stay.status") == "legal", ref.UOC_LTR),
                    # Not in the research: a basis the Directive leaves out reads "not known".
                    Condition(
                        "not_on_an_excluded_basis",
                        cases(
                            case(
                                "excluded_basis",
                                var("legal_stay.basis").is_in(
                                    param("pl.uoc.ltr.excluded_stay_bases")
                                ),
                                lit(None),
                            ),
                            # The Directive leaves out a person awaiting a protection
                            # decision, whatever the stay rests on (a permit held beside).
                            case(
                                "awaiting_protection",
                                var("application.protection_pending"),
                                lit(None),
                            ),
                            otherwise=lit(True),
                        ),
                        ref.LTR_EXCLUDED_BASES,
                    ),
                    Condition(
                        "not_staying_for_studies",
                        ~var("ltr.staying_for_studies"),
                        ref.UOC_LTR_NOT_FOR_STUDIES,
                    ),
                    Condition("five_years_counted", _five_years_counted(), ref.UOC_LTR),
                    Condition("stay_uninterrupted", var("continuity.ok"), ref.UOC_CONTINUITY),
                    Condition("stable_income_3_years", _ltr_income(), ref.UOC_LTR_INCOME),
                    Condition(
                        "health_insurance", _fact("health_insurance"), ref.UOC_LTR_HEALTH_INSURANCE
                    ),
                    Condition(
                        "housing_and_registration",
                        _fact("housing_and_registration"),
                        ref.UOC_LTR_HOUSING,
                    ),
                    Condition(
                        "polish_language",
                        cases(
                            case(
                                "required",
                                param("pl.uoc.ltr.polish_language_required").is_true(),
                                _fact("polish_language"),
                            ),
                            otherwise=lit(True),
                        ),
                        ref.UOC_LTR_LANGUAGE,
                    ),
                ),
                ref.UOC_LTR,
                "five years of legal, uninterrupted stay",
            ),
        ),
        ref.UOC_LTR,
        "EU long-term residence",
    )


def travel_document_for_foreigners() -> Eligibility:
    qualifying = any_of_rows(
        "titles",
        covers(as_of())
        & (
            field("kind").is_in(param("pl.uoc.art252.qualifying_titles"))
            | (
                (field("kind") == "temporary_residence")
                & (field("ground") == "humanitarian_visa_belarus")
                & param("pl.uoc.art252.humanitarian_visa_trp_qualifies").is_true()
            )
        ),
    )
    # A caseworker's answer decides before the inference from Decree No. 278: a Belarusian who
    # can still get a passport (legal-rules.md §3: applications already pending were served)
    # is recorded so.
    cannot_obtain = cases(
        case(
            "as_recorded",
            _fact("cannot_obtain_passport").is_not_null(),
            _fact("cannot_obtain_passport"),
            reference=ref.UOC_PDPDC_CANNOT_OBTAIN,
        ),
        case(
            "decree_278",
            var("person.only_belarusian").is_true()
            & param("by.decree278.no_passport_renewal_abroad").is_true(),
            lit(True),
            reference=ref.UOC_PDPDC_CANNOT_OBTAIN,
        ),
        otherwise=_fact("cannot_obtain_passport"),
    )
    no_passport = Condition(
        "no_valid_national_passport", ~var("national_passport.valid"), ref.UOC_PDPDC_GENERAL
    )
    lost_or_expired = Condition(
        "passport_lost_or_expired", var("national_passport.lost_or_expired"), ref.UOC_PDPDC_GENERAL
    )
    windowed = param("pl.uoc.art252a.windowed").is_true()
    return Eligibility(
        "travel_document_for_foreigners",
        (
            Route(
                "general",
                (
                    no_passport,
                    lost_or_expired,
                    Condition(
                        "cannot_obtain_a_passport", cannot_obtain, ref.UOC_PDPDC_CANNOT_OBTAIN
                    ),
                    Condition("holds_qualifying_title", qualifying, ref.UOC_PDPDC_GENERAL),
                    Condition("not_a_refugee", ~var("holds.refugee_status"), ref.UOC_PDPDC_GENERAL),
                ),
                ref.UOC_PDPDC_GENERAL,
                "general route",
            ),
            Route(
                "designated_citizenship",
                (
                    Condition(
                        "designated_citizenship",
                        _citizenship_answer(
                            field("citizenships").contains_any(param("pl.uoc.art252a.citizenships"))
                        ),
                        ref.UOC_PDPDC_252A,
                    ),
                    Condition(
                        "no_valid_national_passport_252a",
                        ~var("national_passport.valid"),
                        ref.UOC_PDPDC_252A,
                    ),
                    Condition("holds_qualifying_title_252a", _holds_252a(), ref.UOC_PDPDC_252A),
                    Condition(
                        "not_a_refugee_252a", _not_a_refugee_252a(), ref.UOC_PDPDC_252A_REFUGEE
                    ),
                    Condition(
                        "within_application_window",
                        ~windowed | (as_of() <= param("pl.uoc.art252a.filing_deadline")),
                        ref.UOC_PDPDC_252A,
                    ),
                ),
                ref.UOC_PDPDC_252A,
                "art. 252a route for designated citizenships",
                in_force=param("pl.uoc.art252a.citizenships").is_not_null(),
            ),
        ),
        ref.UOC_PDPDC_GENERAL,
        "Polish travel document for foreigners (PDPdC)",
    )


def _not_a_refugee_252a() -> Node:
    """A refugee gets the Geneva Convention document, not a PDPdC (art. 252); whether the
    art. 252a route is closed to a refugee who also holds permanent or long-term residence
    the research does not say: unknown, not open."""
    return Op("if_else", (var("holds.refugee_status").is_true(), lit(None), lit(True)))


def _holds_252a() -> Node:
    return any_of_rows("titles", qualifying_252a_title_held())


def qualifying_252a_title_held() -> Node:
    """A title (row of ``titles``) the art. 252a route asks for, held on the date."""
    return covers(as_of()) & field("kind").is_in(param("pl.uoc.art252a.qualifying_titles"))


def identity_document_for_foreigners() -> Eligibility:
    minor = Condition("minor", var("person.minor"), ref.UOC_PDTC)
    born_here = Condition("born_in_poland", var("person.born_in_poland"), ref.UOC_PDTC)
    # A child with a parent in the registry is taken to be in parental care unless recorded
    # otherwise: children living with their parents fall in no PDTC category.
    without_care = coalesce(
        _fact("without_parental_care"),
        cases(
            case("parent_recorded", var("person.has_parent_link"), lit(False)), otherwise=lit(None)
        ),
    )
    return Eligibility(
        "identity_document_for_foreigners",
        (
            Route(
                "minor_without_parental_care",
                (
                    minor,
                    born_here,
                    Condition("without_parental_care", without_care, ref.UOC_PDTC_WITHOUT_CARE),
                ),
                ref.UOC_PDTC,
                "minor born in Poland without parental care",
            ),
            Route(
                "trafficking_victim",
                (
                    Condition(
                        "presumed_trafficking_victim",
                        coalesce(_fact("trafficking_victim"), lit(False)),
                        ref.UOC_PDTC_TRAFFICKING,
                    ),
                ),
                ref.UOC_PDTC,
                "presumed victim of trafficking (art. 170 certificate)",
            ),
            Route(
                "stateless",
                (Condition("stateless", var("person.stateless"), ref.UOC_PDTC_STATELESS),),
                ref.UOC_PDTC,
                "stateless person, where Poland's interest supports it",
            ),
            Route(
                "child_born_in_poland",
                (
                    minor,
                    born_here,
                    Condition(
                        "parent_holds_residence_or_protection",
                        _of_a_parent(var("holds.residence_or_protection_or_its_stamp")),
                        ref.AMNESTY_CHILDREN,
                    ),
                    Condition(
                        "no_identity_document_but_a_pdtc",
                        ~var("identity_document.valid_other_than_pdtc"),
                        ref.AMNESTY_CHILDREN,
                    ),
                ),
                ref.AMNESTY_CHILDREN,
                "child born in Poland to a protection or residence-permit holder",
                in_force=param("pl.pdtc.children_born_in_poland_route").is_true(),
            ),
        ),
        ref.UOC_PDTC,
        "Polish identity document for foreigners (PDTC)",
    )


def eligibilities() -> list[Eligibility]:
    return [
        permanent_residence(),
        eu_long_term_residence(),
        travel_document_for_foreigners(),
        identity_document_for_foreigners(),
    ]
