"""Flags: conditions a caseworker must see, each true or false for a person on a date."""

from __future__ import annotations

from legalstay.dossier import TITLE_KINDS
from legalstay.engine.expressions import (
    Node,
    any_of_rows,
    as_of,
    case,
    cases,
    coalesce,
    family_any,
    field,
    lit,
    max_of_rows,
    param,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import (
    PROTECTION_APPLICATIONS,
    abroad_on_the_date,
    covers,
    decision_final_on,
    document_expires,
    document_status,
    document_valid_on,
    finality_unrecorded,
    grant_finality_unrecorded,
    granted_by_this_application,
    is_protection,
    issued_by,
    issued_in_poland,
    manifestly_unfounded_appeal_due,
    not_yet,
    pending_on,
)
from legalstay.rulebook.stay import (
    RESIDENCE_APPLICATIONS,
    a_stay_may_rest_on_it,
    not_examined,
    stamp_application,
)

__all__ = ["FLAGS", "variables"]


def _flag_expressions() -> dict[str, tuple[Node, str | None]]:
    return {
        "irregular_stay": (var("legal_stay.status") == "irregular", ref.NO_BASIS),
        "passport_expired": (
            var("national_passport.expired") & ~var("national_passport.valid"),
            ref.PASSPORT_EXPIRED,
        ),
        "passport_cannot_be_renewed_abroad": (
            var("person.belarusian")
            & param("by.decree278.no_passport_renewal_abroad").is_true()
            & ~var("national_passport.valid"),
            ref.DECREE_278,
        ),
        "no_valid_travel_document": (~var("travel_document.valid"), ref.UOC_TRAVEL_DOCUMENTS),
        "child_without_identity_document": (
            var("person.minor").is_true() & ~var("identity_document.valid"),
            ref.UOC_IDENTITY_DOCUMENTS,
        ),
        "continuity_broken": (~var("continuity.ok"), ref.UOC_CONTINUITY),
        # Without a birth date, whether the person is a child is not known: the children's
        # flags and routes cannot be raised or opened, so the caseworker is asked to record it.
        "birth_date_not_recorded": (field("birth_date").is_null(), ref.BIRTH_DATE_NOT_RECORDED),
        # "Irregular" for a child born here rests on no rule of the research: checked by hand.
        # A child whose country of birth is not recorded may have been born here.
        "child_born_here_stay_not_researched": (
            var("person.minor").is_true()
            & coalesce(var("person.born_in_poland"), lit(True))
            & (var("legal_stay.status") == "irregular")
            # A child whose own title has ended is irregular by the general rule (art. 105).
            & ~any_of_rows("titles", field("valid_from") <= as_of()),
            ref.CHILD_BORN_HERE_STAY,
        ),
        # Not asserted while what could make the delay lawful is not recorded (unrecorded
        # completeness, art. 112a ust. 2: formal_completeness_unknown says so instead).
        "authority_late": (var("application.authority_late"), ref.UOC_TRP_DECISION),
        # Past a due day after 4 Mar 2026: late only if the art. 100d suspension ended then,
        # which the research does not verify (so authority_late is not asserted).
        "authority_late_if_suspension_ended": (
            var("application.authority_late_if_suspension_ended"),
            ref.UOC_TRP_DECISION,
        ),
        "formal_completeness_unknown": (
            (
                (var("legal_stay.basis") == "pending_application")
                & var("application.stamp_completeness_unknown")
            )
            | (_authority_overdue() & var("application.decision_completeness_presumed"))
            # Still on the title: the deadline to file is hidden by an application presumed
            # complete (were it not, no stamp, and the stay ends with the title).
            | var("application.filed_on_presumed_completeness"),
            ref.UOC_STAMP,
        ),
        "decision_finality_inferred": (
            any_of_rows("applications", _finality_inferred()),
            ref.KPA_APPEAL,
        ),
        "new_belarus_passport_not_recognised": (
            var("holds_new_belarus_passport")
            & ~lit("new_belarus_passport").is_in(param("pl.recognised_travel_documents")),
            ref.NEW_BELARUS_PASSPORT,
        ),
        # The art. 252a route is the person's only one, and its window closes before the
        # travel document in hand lapses: the next one cannot be counted on.
        "travel_document_lapses_after_the_252a_window": (
            _renewal_after_the_window(),
            ref.RENEWAL_AFTER_252A_WINDOW,
        ),
        "currently_abroad": (_abroad_today(), ref.CURRENTLY_ABROAD),
        "lost_document_to_replace": (_lost_before_it_lapsed(), ref.UOC_LOST_DOCUMENT),
        # A stay on the stamp is legal, but the stamp gives no right to enter Poland again
        # (legal-rules.md §1.2): abroad on it, the person may not be let back in on it.
        "abroad_on_a_stamp": (
            _abroad_today() & (var("legal_stay.basis") == "pending_application"),
            ref.UOC_STAMP_NO_ENTRY,
        ),
        # Answers the research cannot support: stated as the contract's values, cited as not
        # researched, and flagged so that a caseworker checks by hand.
        "stay_rule_not_researched": (
            (
                (var("legal_stay.basis") == "none")
                & (
                    var("application.stamp_rule_unknown")
                    | var("application.finality_unknown")
                    | var("application.stamp_on_protection_stay_unknown")
                )
            )
            | ((var("legal_stay.basis") == "pending_application") & _stamp_filed_before_the_rule())
            | var("legal_stay.protection_rule_not_researched"),
            ref.STAMP_NOT_RESEARCHED,
        ),
        # Stay reads irregular while a residence application is pending: it gave no stamp here
        # (filed late, incomplete, suspended — or at the end of a chain of stamps deeper than
        # STAMP_CHAIN_DEPTH, which is not followed).
        "pending_application_without_stamp": (
            (var("legal_stay.status") == "irregular") & any_of_rows("applications", _pending()),
            ref.UOC_STAMP,
        ),
        "work_rule_not_researched": (
            var("right_to_work.rule_not_researched"),
            ref.UOCHR_WORK_NOT_RESEARCHED,
        ),
        "right_to_work_on_request": (
            var("right_to_work.status") == "on_request",
            ref.UOCHR_WORK_CERTIFICATE,
        ),
        "granted_title_not_recorded": (_granted_without_title(), ref.GRANTED_TITLE_NOT_RECORDED),
        # Taken as still pending: the record cannot say when its decision became final.
        "decision_dates_not_recorded": (
            any_of_rows(
                "applications",
                (finality_unrecorded() | grant_finality_unrecorded())
                & (field("filed") <= as_of())
                # Only a stay rests on an application's finality: not on a travel document's.
                & a_stay_may_rest_on_it(),
            ),
            ref.DECISION_UNDATED,
        ),
        # The rules are those of foreigners: a Polish citizen's answers do not apply to them.
        "polish_citizen": (field("citizenships").contains("PL"), ref.UOC_FOREIGNER),
        # A child of a Polish parent is Polish by birth: the child's record may lack it.
        "parent_polish_citizen": (
            ~field("citizenships").contains("PL")
            & coalesce(
                family_any("parent", var("flag.polish_citizen"))
                # A parent known only by who they are (no episodes recorded) has no
                # variables, but the link records their citizenships.
                | any_of_rows(
                    "family",
                    (field("relation") == "parent") & field("other_citizenships").contains("PL"),
                ),
                lit(False),
            ),
            ref.CHILD_OF_A_POLISH_PARENT,
        ),
        # The Act does not apply to them: their answers, made under it, are flagged, not given
        # as their law (the Act of 14 Jul 2006 is not in the research).
        "eu_citizen": (
            field("citizenships").contains_any(param("pl.uoc.art2.free_movement_citizenships")),
            ref.UOC_FREE_MOVEMENT,
        ),
        # An irregular stay under the UoC may be legal under the Ukrainian special act.
        "ukrainian_special_act_not_modelled": (
            (var("legal_stay.status") == "irregular")
            & field("citizenships").contains_any(param("pl.specact.ukraine.citizenships")),
            ref.SPECACT_UKRAINE,
        ),
        # Before 1 May 2014 the answers apply rules the research gives only from then.
        "date_before_the_act_on_foreigners": (
            param("pl.uoc.in_force").is_null(),
            ref.UOC_NOT_IN_FORCE,
        ),
        # A visa gives stay as a title: recorded only as a document, it is not read as one.
        "visa_not_recorded_as_title": (
            any_of_rows("documents", (field("kind") == "visa") & document_valid_on(as_of()))
            & ~any_of_rows("titles", (field("kind") == "visa") & covers(as_of())),
            ref.VISA_AS_TITLE,
        ),
        # Filed on paper or in person after MOS became the only way: left unexamined. Raised
        # until filed again (the next application of the kind answers for it: it was raised
        # for ever, beside the permit the refiling gave), and while the stay is irregular (it
        # may be why: a timely paper filing, refiled through MOS too late).
        "application_not_examined": (
            _not_examined_nor_filed_again()
            | (
                (var("legal_stay.status") == "irregular")
                & any_of_rows("applications", _left_unexamined())
            ),
            ref.UOC_MOS_ONLY,
        ),
        # The stay on an appealed protection refusal lasts while the appeal waits, if it was
        # filed in time: after the 5 days, it was not, were the application refused as
        # manifestly unfounded, which the registry does not record (legal-rules.md §1.4).
        "appeal_late_if_manifestly_unfounded": (
            (var("legal_stay.basis") == "pending_protection_application")
            & any_of_rows("applications", _appealed_after_the_five_days()),
            ref.APPEAL_LATE_IF_MANIFESTLY_UNFOUNDED,
        ),
        # Asylum is read by the permanent-residence route only; what it means for the stay is
        # not in the research, so a stay shown as irregular for a person granted asylum must be
        # checked by hand rather than believed.
        "asylum_stay_not_modelled": (
            (var("legal_stay.status") == "irregular") & field("fact_granted_asylum").is_true(),
            ref.ASYLUM_STAY_NOT_MODELLED,
        ),
    }


def _appealed_after_the_five_days() -> Node:
    """A protection refusal appealed by the date, after the 5 days a refusal of a manifestly
    unfounded application leaves, and not final by the date."""
    return (
        is_protection()
        & (field("outcome") == "refused")
        & (field("appeal_filed") <= as_of())
        & (field("appeal_filed") > manifestly_unfounded_appeal_due())
        & not_yet("final")
    )


# Polish documents whose exchange the Act on Foreigners orders within 14 days of its reason.
_EXCHANGED_DOCUMENTS = (
    "residence_card",
    "travel_document_for_foreigners",
    "identity_document_for_foreigners",
    "tolerated_stay_document",
)


def _lost_before_it_lapsed() -> Node:
    """A Polish card, PDPdC, PDTC or tolerated-stay document recorded lost or stolen that
    would still be valid on the date: a new one is to be asked for within 14 days of the loss
    (UoC art. 230 ust. 1), whose day is not recorded, so a flag rather than a deadline."""
    return any_of_rows(
        "documents",
        field("kind").is_in(_EXCHANGED_DOCUMENTS)
        & issued_in_poland()
        & document_status().is_in(("lost", "stolen"))
        & issued_by()
        & coalesce(document_expires() >= as_of(), lit(True))
        # A new one of its kind issued since (by the date): the exchange was made.
        & ~coalesce(field("replaced_on") <= as_of(), lit(False)),
    )


def _renewal_after_the_window() -> Node:
    """A Belarusian whose travel document in hand lapses after the art. 252a window in force
    closes, with no valid passport, holding a title the route asks for and not open to the
    general route (which has no windows)."""
    route = "travel_document_for_foreigners.designated_citizenship"
    on_the_route = (
        var(f"{route}.designated_citizenship")
        & var(f"{route}.no_valid_national_passport_252a")
        & var(f"{route}.holds_qualifying_title_252a")
        & ~coalesce(var("travel_document_for_foreigners.general"), lit(False))
        # A refugee renews the Geneva Convention document, with no window (UOchr art. 89i):
        # a refugee holding a permit the route names is no case for the flag.
        & var(f"{route}.not_a_refugee_252a").is_true()
    )
    lapses = var("deadline.renew_travel_document")
    # No window known in force (after the last one recorded): whether one opens is not
    # verified, so the document in hand may lapse with none open.
    closes_first = coalesce(param("pl.uoc.art252a.filing_deadline") < lapses, lit(True))
    # A route still windowed when the document lapses: a reform lifting the windows by then
    # (pl-amnesty-2025 from 2026) leaves the next document open to apply for at any time.
    windowed = (
        param("pl.uoc.art252a.windowed").is_true()
        & param("pl.uoc.art252a.windowed", on=lapses).is_true()
    )
    window_closes_first = windowed & lapses.is_not_null() & closes_first
    return coalesce(on_the_route & window_closes_first, lit(False))


def _abroad_today() -> Node:
    return any_of_rows("stays_abroad", abroad_on_the_date())


def _authority_overdue() -> Node:
    return var("deadline.authority_decision") < as_of()


# What a granted application gives: its own kind, or for international protection refugee
# status or subsidiary protection (UOchr; legal-rules.md §1.4).


def _stamp_filed_before_the_rule() -> Node:
    """The stamp rests on an application filed before the UoC's stamp rule (1 May 2014):
    the transitional rules are not researched."""
    return any_of_rows(
        "applications",
        stamp_application() & param("pl.uoc.stamp.application_kinds", on=field("filed")).is_null(),
    )


def _granted_without_title() -> Node:
    """A final decision granted a title that the registry does not hold: the status is worked
    out without it (and may show irregular stay), so the caseworker must record the title.
    Granted international protection is refugee status or subsidiary protection."""
    recorded = any_of_rows("titles", granted_by_this_application())
    grants_title = field("kind").is_in((*TITLE_KINDS, *PROTECTION_APPLICATIONS))
    granted = grants_title & (field("outcome") == "granted")
    return any_of_rows("applications", granted & (decision_final_on() <= as_of()) & ~recorded)


def _finality_inferred() -> Node:
    """Not recorded final, yet final by the date: the appeal period lapsed unused, or the
    appeal recorded came after it (episodes._final_effective). Only where a stay may rest on
    the application: a travel document's decision ends no stay, and asking for its final
    day flagged the person for years."""
    inferred = field("final").is_null() & (decision_final_on() <= as_of())
    return inferred & a_stay_may_rest_on_it()


def _not_examined_nor_filed_again() -> Node:
    """An application left unexamined (filed on paper or in person since MOS) is the latest
    of its kind filed by the date: none filed after it answers for it."""
    found: Node = lit(False)
    for kind in RESIDENCE_APPLICATIONS:
        of_kind = field("kind") == kind
        unexamined = max_of_rows("applications", field("filed"), of_kind & _left_unexamined())
        latest = max_of_rows("applications", field("filed"), of_kind & (field("filed") <= as_of()))
        found = found | coalesce(unexamined >= latest, lit(False))
    return found


def _left_unexamined() -> Node:
    return not_examined() & pending_on(as_of())


def _pending() -> Node:
    """A residence application pending on the date that could give a stay: one left
    unexamined (filed on paper since MOS) has its own flag, saying why it gives none."""
    return field("kind").is_in(RESIDENCE_APPLICATIONS) & pending_on(as_of()) & ~not_examined()


def _without_stamp_citation() -> Node:
    """Why a pending application gives no stay: where one was suspended at the applicant's
    request, the exception that says so (art. 108 ust. 2); otherwise the rule it failed."""
    suspended = any_of_rows("applications", _pending() & field("suspended_at_party_request"))
    return cases(
        case("suspended", suspended, lit(ref.UOC_STAMP_SUSPENDED)),
        otherwise=lit(ref.UOC_STAMP),
    )


def _finality_inferred_citation() -> Node:
    """The appeal period the finality was inferred from: the Refugee Board's for a protection
    decision, the KPA's otherwise (as the appeal deadline cites)."""
    protection = any_of_rows(
        "applications", _finality_inferred() & field("kind").is_in(PROTECTION_APPLICATIONS)
    )
    residence = any_of_rows(
        "applications", _finality_inferred() & ~field("kind").is_in(PROTECTION_APPLICATIONS)
    )
    both = f"{ref.KPA_APPEAL}; for the protection decision {ref.UOCHR_APPEAL}"
    return cases(
        case("both", protection & residence, lit(both)),
        case("protection", protection, lit(ref.UOCHR_APPEAL)),
        otherwise=lit(ref.KPA_APPEAL),
    )


FLAGS = tuple(_flag_expressions())


def variables() -> list[Variable]:
    return [
        *(
            Variable(f"flag.{name}", expr.is_true(), reference=citation)
            for name, (expr, citation) in _flag_expressions().items()
        ),
        Variable("flag.decision_finality_inferred.reference", _finality_inferred_citation()),
        Variable("flag.pending_application_without_stamp.reference", _without_stamp_citation()),
    ]
