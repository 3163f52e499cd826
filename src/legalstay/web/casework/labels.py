"""Words for the engine's codes, through Django's translations.

The rulebook speaks in codes (``pending_application``, ``no_valid_travel_document``); a
caseworker reads these labels. A code without a label is shown as itself with underscores
turned to spaces, so a rule added to the rulebook shows up before it has a translation.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

from legalstay.web.registry.models import DocumentKind, TitleKind

BASES: dict[str, Promise] = {
    **{kind.value: kind.label for kind in TitleKind},
    "pending_application": _("pending application (art. 108)"),
    "pending_protection_application": _("pending application for international protection"),
    "none": _("no legal basis"),
}

STAY_STATUSES: dict[str, Promise] = {"legal": _("legal"), "irregular": _("irregular")}

WORK: dict[str, Promise] = {
    "yes": _("yes"),
    "no": _("no"),
    "on_request": _("on request (certificate from the Head of the Office for Foreigners)"),
}

DOCUMENTS: dict[str, Promise] = {kind.value: kind.label for kind in DocumentKind}

FLAGS: dict[str, Promise] = {
    "irregular_stay": _("irregular stay"),
    "passport_expired": _("passport expired"),
    "passport_cannot_be_renewed_abroad": _("passport cannot be renewed abroad (Decree 278)"),
    "no_valid_travel_document": _("no valid travel document"),
    "child_without_identity_document": _("child without an identity document"),
    "continuity_broken": _("continuity of stay broken"),
    "child_born_here_stay_not_researched": _(
        "child born in Poland (or whose country of birth is not recorded) without a title: the "
        "rule for their stay is not researched; check by hand"
    ),
    "birth_date_not_recorded": _(
        "birth date not recorded: whether this is a child is not known, so the children's "
        "routes read not known and their flags are not raised; record it"
    ),
    "authority_late": _("authority late"),
    "authority_late_if_suspension_ended": _(
        "authority late if the suspension of deadlines ended on 4 Mar 2026 (not verified)"
    ),
    "formal_completeness_unknown": _("formal completeness of the application not recorded"),
    "decision_finality_inferred": _("decision final by lapse of the appeal period (inferred)"),
    "new_belarus_passport_not_recognised": _("“new Belarusian passport” not recognised"),
    "currently_abroad": _("currently abroad"),
    "lost_document_to_replace": _(
        "a document was lost or stolen: ask for a new one within 14 days of the loss"
    ),
    "abroad_on_a_stamp": _(
        "abroad while the stay rests on a stamp, which gives no right to re-enter"
    ),
    "right_to_work_on_request": _("right to work only on request"),
    "granted_title_not_recorded": _("a granted permit is not recorded yet"),
    "decision_dates_not_recorded": _(
        "a decision is recorded without its delivery or finality: record when it was issued, "
        "delivered and final"
    ),
    "appeal_late_if_manifestly_unfounded": _(
        "protection appeal filed after 5 days: late if the application was refused as "
        "manifestly unfounded, and the stay then ended; check the decision"
    ),
    "asylum_stay_not_modelled": _(
        "granted asylum: its effect on the stay is not worked out here; check the stay by hand"
    ),
    "stay_rule_not_researched": _(
        "the rule deciding this stay is not researched for this case (see the provision "
        "cited); check the stay by hand"
    ),
    "travel_document_lapses_after_the_252a_window": _(
        "the travel document lapses after the art. 252a application window closes; whether a "
        "later window will open is not verified"
    ),
    "pending_application_without_stamp": _(
        "an application is pending but gives no legal stay here; check that it was filed in "
        "time and complete, and not suspended at the applicant's request"
    ),
    "polish_citizen": _(
        "recorded as a Polish citizen: the rules for foreigners do not apply; check the record"
    ),
    "parent_polish_citizen": _(
        "a parent is recorded as a Polish citizen: the child may be Polish by birth; check"
    ),
    "application_not_examined": _(
        "an application was filed on paper or in person after 26 Apr 2026: it is not examined"
    ),
    "work_rule_not_researched": _(
        "the right to work on this date is not researched; check by hand"
    ),
    "eu_citizen": _(
        "recorded as a citizen of the EU, the EEA or Switzerland: the rules for foreigners do "
        "not apply; check by hand"
    ),
    "ukrainian_special_act_not_modelled": _(
        "Ukrainian citizen: the stay may be legal under the special act, which is not worked "
        "out here; check by hand"
    ),
    "date_before_the_act_on_foreigners": _(
        "the date is before 1 May 2014: the earlier law is not researched; check by hand"
    ),
    "visa_not_recorded_as_title": _(
        "a visa is recorded as a document only: record it as a title for the stay to count"
    ),
}

DEADLINES: dict[str, Promise] = {
    "file_temporary_residence": _("apply for temporary residence (last day of legal stay)"),
    "residence_card_exchange": _("apply to exchange the residence card"),
    "appeal": _("appeal against the decision"),
    "appeal_if_manifestly_unfounded": _(
        "appeal, if the decision refused the application as manifestly unfounded (5 days)"
    ),
    "renew_travel_document": _("travel document expires: apply for a new one"),
    "apply_for_travel_document": _(
        "apply for a travel document for foreigners within the art. 252a window"
    ),
    "authority_decision": _("the authority must decide"),
    "leave_poland": _("leave Poland"),
    "complete_documents": _("complete the documents (summons)"),
    "fingerprint_appointment": _("fingerprint appointment"),
}

ELIGIBILITIES: dict[str, Promise] = {
    "permanent_residence": _("permanent residence permit"),
    "eu_long_term_residence": _("EU long-term resident's permit"),
    "travel_document_for_foreigners": _("Polish travel document for foreigners (PDPdC)"),
    "identity_document_for_foreigners": _("Polish identity document for foreigners (PDTC)"),
}

ROUTES: dict[str, Promise] = {
    "protection_5_years": _("five years on protection"),
    "child_of_resident": _("child of a permanent or EU long-term resident"),
    "karta_polaka": _("Karta Polaka"),
    "polish_origin": _("Polish origin"),
    "spouse_of_polish_citizen": _("spouse of a Polish citizen"),
    "tolerated_10_years": _("ten years of tolerated stay"),
    "asylum": _("granted asylum"),
    "five_years_legal_stay": _("five years of legal stay"),
    "general": _("general route (art. 252)"),
    "designated_citizenship": _("designated citizenship (art. 252a)"),
    "minor_without_parental_care": _("minor without parental care"),
    "trafficking_victim": _("presumed victim of trafficking"),
    "stateless": _("stateless person"),
    "child_born_in_poland": _("child born in Poland (reform)"),
}

CONDITIONS: dict[str, Promise] = {
    "not_already_permanent_resident": _("does not already hold permanent residence"),
    "holds_protection_or_humanitarian_stay": _("holds protection or humanitarian stay"),
    "five_years_on_protection": _("five years on protection"),
    "stay_uninterrupted": _("stay uninterrupted (breaks ≤ 6 months each, ≤ 10 months in total)"),
    "minor": _("is a minor"),
    "born_to_a_resident_parent": _("born to a parent with permanent or EU long-term residence"),
    "holds_karta_polaka": _("holds the Karta Polaka"),
    "polish_origin": _("of Polish origin"),
    "two_years_on_marriage_permit_or_protection": _(
        "two years on a permit for the marriage or on protection"
    ),
    "married_to_a_polish_citizen_3_years": _("married to a Polish citizen for three years"),
    "stay_uninterrupted_two_years": _(
        "stay uninterrupted over the two years (breaks ≤ 6 months each, ≤ 10 months in total)"
    ),
    "holds_tolerated_stay": _("holds tolerated stay"),
    "ten_years_on_tolerated_stay": _("ten years on tolerated stay"),
    "granted_asylum": _("granted asylum in Poland"),
    "not_already_long_term_resident": _("does not already hold EU long-term residence"),
    "staying_legally": _("stays legally"),
    "not_staying_for_studies": _("does not stay for studies"),
    "not_on_an_excluded_basis": _(
        "does not stay on a basis the EU Directive leaves out (protection pending, "
        "humanitarian or tolerated stay)"
    ),
    "five_years_counted": _("five years of counted legal stay"),
    "stable_income_3_years": _("stable income over the last 3 years"),
    "health_insurance": _("health insurance"),
    "housing_and_registration": _("right to housing and registered stay"),
    "polish_language": _("knows Polish at the level required"),
    "no_valid_national_passport": _("holds no valid national passport"),
    "passport_lost_or_expired": _("the national passport was lost or has expired"),
    "cannot_obtain_a_passport": _("cannot obtain a passport"),
    "holds_qualifying_title": _("holds a qualifying residence title"),
    "not_a_refugee": _("is not a refugee"),
    "not_a_refugee_252a": _(
        "is not a refugee (whether a refugee may use this route is not researched)"
    ),
    "designated_citizenship": _("citizenship designated by the regulation"),
    "no_valid_national_passport_252a": _("holds no valid national passport (art. 252a)"),
    "holds_qualifying_title_252a": _("holds a qualifying residence title (art. 252a)"),
    "within_application_window": _("the application window is open"),
    "born_in_poland": _("born in Poland"),
    "without_parental_care": _("without parental care"),
    "presumed_trafficking_victim": _("presumed victim of trafficking"),
    "stateless": _("stateless"),
    "parent_holds_residence_or_protection": _("a parent holds residence or protection"),
    "no_identity_document_but_a_pdtc": _("holds no valid identity document but a PDTC"),
}

CONFIDENCE: dict[str, Promise] = {
    "high": _("high confidence"),
    "medium": _("medium confidence"),
    "low": _("low confidence"),
    "not_verified": _("not verified"),
}

UNITS = ("day", "month", "year")


def amount(value: int | float, unit: str) -> str:
    """A parameter's number with its unit, in the plural form the number takes ("2 lata",
    "18 lat"); a fraction takes the form of many."""
    count = int(value) if float(value).is_integer() else 5
    if unit == "day":
        words = npgettext("unit", "%(count)s day", "%(count)s days", count)
    elif unit == "month":
        words = npgettext("unit", "%(count)s month", "%(count)s months", count)
    elif unit == "year":
        words = npgettext("unit", "%(count)s year", "%(count)s years", count)
    else:
        raise ValueError(f"unit {unit!r} is not one of {UNITS}")
    return words % {"count": value}


# Grounds of permits and visas, as parameter lists name them (codes of legalstay.dossier).
GROUNDS: dict[str, Promise] = {
    "work": pgettext_lazy("ground", "work"),
    "seasonal_work": _("seasonal work"),
    "blue_card": _("EU Blue Card"),
    "business": _("business activity"),
    "study": pgettext_lazy("ground", "studies"),
    "vocational_training": _("vocational training"),
    "research": _("scientific research"),
    "family": _("family reasons"),
    "humanitarian_visa_belarus": _("humanitarian visa (Belarus)"),
    "spouse_of_polish_citizen": _("marriage to a Polish citizen"),
    "polish_origin": _("Polish origin"),
    "tourism": _("tourism"),
}


def label(table: dict[str, Promise], code: str | None) -> str:
    if not code:
        return "—"
    found = table.get(code)
    return str(found) if found is not None else code.replace("_", " ")


def any_label(code: str | None) -> str:
    """A code that may be a document kind, a title kind, a basis or a permit's ground."""
    for table in (DOCUMENTS, BASES, GROUNDS):
        if code in table:
            return label(table, code)
    return label({}, code)
