"""The dossier format: what the registry, the CLI and the engine exchange."""

import datetime as dt

import pytest

from legalstay.dossier import YES_NO_FACTS, DossierError, dossier_from_dict, dossier_to_dict
from legalstay.engine.population import PERSON_FACTS

ALES = {
    "person": {"id": "ales", "citizenships": ["BY"], "birth_date": "1988-03-14", "sex": "M"},
    "family": [{"relation": "child", "person": {"id": "maryia", "birth_date": "2024-02-01"}}],
    "documents": [
        {
            "kind": "national_passport",
            "issuer": "BY",
            "number": "MP1234567",
            "issued": "2015-05-05",
            "expires": "2025-05-04",
            "status": "valid",
        },
    ],
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "186_1_9",
            "valid_from": "2023-01-10",
            "valid_to": "2026-01-09",
        }
    ],
    "applications": [
        {
            "kind": "temporary_residence",
            "filed": "2026-01-09",
            "formally_complete": True,
            "decision": None,
        }
    ],
    "stays_abroad": [{"left": "2024-07-01", "returned": "2024-07-20"}],
    "notes_from_caseworker": {"kept": True},
}


def test_a_round_trip_loses_nothing():
    dossier = dossier_from_dict(ALES)
    assert dossier_from_dict(dossier_to_dict(dossier)) == dossier
    assert dossier_to_dict(dossier)["notes_from_caseworker"] == {"kept": True}


def test_it_names_the_field_of_an_unknown_document_kind():
    bad = {**ALES, "documents": [{"kind": "driving_licence"}]}
    with pytest.raises(DossierError) as error:
        dossier_from_dict(bad)
    assert error.value.field == "documents[0].kind"


def test_it_refuses_an_expiry_before_the_issue_date():
    bad = {
        **ALES,
        "documents": [
            {"kind": "national_passport", "issued": "2020-01-02", "expires": "2020-01-01"}
        ],
    }
    with pytest.raises(DossierError, match=r"documents\[0\]\.expires"):
        dossier_from_dict(bad)


def test_it_refuses_an_unknown_citizenship():
    with pytest.raises(DossierError, match=r"person\.citizenships\[0\]"):
        dossier_from_dict({"person": {"id": "x", "citizenships": ["XQ"]}})


def test_it_accepts_an_alpha3_citizenship_as_alpha2():
    dossier = dossier_from_dict({"person": {"id": "x", "citizenships": ["BLR"]}})
    assert dossier.person.citizenships == ("BY",)


@pytest.mark.parametrize(
    ("written", "read"), [("POL", "PL"), ("pl", "PL"), ("D", "DE"), ("xxa", "XXA")]
)
def test_it_reads_an_issuer_as_the_state_it_names(written, read):
    document = {"kind": "travel_document_for_foreigners", "issuer": written, "issued": "2026-06-01"}
    dossier = dossier_from_dict({"person": {"id": "x"}, "documents": [document]})
    assert dossier.documents[0].issuer == read


def test_a_pdpdc_issued_by_pol_is_polish_and_valid_its_year():
    # Ihar's PDPdC was typed from its MRZ, issuer POL: it is Poland's, valid one year.
    from legalstay.rulebook import load_rulebook

    dossier = dossier_from_dict(
        {
            "person": {"id": "ihar", "citizenships": ["BY"], "birth_date": "1990-01-01"},
            "titles": [{"kind": "subsidiary_protection", "valid_from": "2025-01-15"}],
            "documents": [
                {"kind": "travel_document_for_foreigners", "issuer": "POL", "issued": "2026-06-01"}
            ],
        }
    )
    answer = load_rulebook().assess(dossier, dt.date(2026, 11, 27))
    assert answer["travel_document"] == {
        "valid": True,
        "kind": "travel_document_for_foreigners",
        "until": "2027-06-01",
    }


def test_it_refuses_a_stateless_person_recorded_with_a_citizenship():
    person = {"id": "x", "citizenships": ["BY"], "facts": {"stateless": True}}
    with pytest.raises(DossierError, match=r"person\.facts\.stateless: is true, but"):
        dossier_from_dict({"person": person})


def test_it_names_a_marriage_date_that_is_not_a_date():
    person = {"id": "alena", "facts": {"married_to_polish_citizen_since": "March 2023"}}
    with pytest.raises(DossierError, match=r"person\.facts\.married_to_polish_citizen_since"):
        dossier_from_dict({"person": person})


def test_it_refuses_facts_that_are_not_an_object():
    with pytest.raises(DossierError, match=r"person\.facts: must be a JSON object"):
        dossier_from_dict({"person": {"id": "alena", "facts": ["karta_polaka"]}})


def test_a_dated_fact_survives_the_round_trip():
    person = {"id": "alena", "facts": {"married_to_polish_citizen_since": "2023-03-01"}}
    assert dossier_to_dict(dossier_from_dict({"person": person}))["person"]["facts"] == {
        "married_to_polish_citizen_since": "2023-03-01"
    }


def test_it_refuses_a_marriage_date_for_a_person_recorded_as_not_married():
    facts = {"married_to_polish_citizen": False, "married_to_polish_citizen_since": "2023-03-01"}
    with pytest.raises(DossierError, match=r"married_to_polish_citizen_since: is given, but"):
        dossier_from_dict({"person": {"id": "alena", "facts": facts}})


# ---------------------------------------------------------------- dates written YYYY-MM-DD


def passport_issued(day: str) -> dict:
    return {**ALES, "documents": [{"kind": "national_passport", "issued": day}]}


@pytest.mark.parametrize(
    "written", ["20200201", "2030-W05-6", "2020-2-1", "2020-02-01T00:00", "２０２０-０２-０１"]
)
def test_it_refuses_a_date_written_in_another_form_than_yyyy_mm_dd(written):
    """Python's date.fromisoformat reads the basic and week forms of ISO 8601 too."""
    with pytest.raises(DossierError) as error:
        dossier_from_dict(passport_issued(written))
    assert str(error.value) == (
        f"documents[0].issued: {written!r} is not a date written YYYY-MM-DD"
    )


def test_it_refuses_a_day_the_month_does_not_have():
    with pytest.raises(DossierError, match=r"'2026-04-31' is not a day of the calendar"):
        dossier_from_dict(passport_issued("2026-04-31"))


def test_it_accepts_the_first_and_last_days_python_knows_and_the_last_as_an_open_end():
    dossier = dossier_from_dict(
        {
            **ALES,
            "documents": [
                {"kind": "national_passport", "issued": "0001-01-01", "expires": "9999-12-31"}
            ],
            "titles": [
                {"kind": "tolerated_stay", "valid_from": "2020-01-01", "valid_to": "9999-12-31"}
            ],
        }
    )
    assert dossier.documents[0].issued == dt.date.min
    assert dossier.titles[0].valid_to == dt.date.max


# ---------------------------------------------------------------- extensions the engine reads


def ales_applying(**changes) -> dict:
    """Ales's application of 9 Jan 2026, refused on 10 Apr 2026, delivered on 17 Apr 2026."""
    decision = {"outcome": "refused", "issued": "2026-04-10", "delivered": "2026-04-17"}
    decision |= changes.pop("decision", {})
    application = {"kind": "temporary_residence", "filed": "2026-01-09", "decision": decision}
    return {**ALES, "applications": [application | changes]}


def refusal(dossier: dict) -> str:
    with pytest.raises(DossierError) as error:
        dossier_from_dict(dossier)
    return str(error.value)


def test_it_refuses_an_appeal_date_that_is_not_a_date():
    assert refusal(ales_applying(decision={"appeal_filed": "2026-04-31"})) == (
        "applications[0].decision.appeal_filed: '2026-04-31' is not a day of the calendar "
        "(YYYY-MM-DD)"
    )


def test_it_refuses_a_completion_date_that_is_not_a_date():
    assert refusal(ales_applying(completed_on="soon")) == (
        "applications[0].completed_on: 'soon' is not a date written YYYY-MM-DD"
    )


@pytest.mark.parametrize("written", ["true", 1, "yes"])
def test_it_refuses_a_suspension_at_the_applicants_request_that_is_not_true_or_false(written):
    assert refusal(ales_applying(suspended_at_party_request=written)) == (
        "applications[0].suspended_at_party_request: must be true, false or null"
    )


def test_it_refuses_an_arrival_date_that_is_not_a_date():
    person = {"id": "alena", "arrived_on": "2022-03"}
    with pytest.raises(DossierError, match=r"^person\.arrived_on: '2022-03' is not a date"):
        dossier_from_dict({"person": person})


def test_it_refuses_a_yes_no_fact_written_as_text():
    person = {"id": "alena", "facts": {"karta_polaka": "yes"}}
    with pytest.raises(DossierError, match=r"^person\.facts\.karta_polaka: must be true, false"):
        dossier_from_dict({"person": person})


def test_the_yes_no_facts_checked_are_those_the_engine_reads():
    engine_facts = {name.removeprefix("fact_") for name in PERSON_FACTS}
    assert set(YES_NO_FACTS) == {name for name in engine_facts if not name.endswith("_since")}


def test_it_reads_the_extensions_it_checked_and_keeps_unknown_ones_as_written():
    raw = ales_applying(
        completed_on="2026-01-20",
        suspended_at_party_request=False,
        priority={"any": "shape"},
        decision={"appeal_filed": "2026-04-30", "panel": 3},
    )
    raw["person"] = {**raw["person"], "facts": {"karta_polaka": True, "some_new_fact": "maybe"}}
    dossier = dossier_from_dict(raw)
    (application,) = dossier.applications
    assert application.completed_on == dt.date(2026, 1, 20)
    assert application.suspended_at_party_request is False
    assert application.decision.appeal_filed == dt.date(2026, 4, 30)
    assert dossier_from_dict(dossier_to_dict(dossier)) == dossier
    assert dossier_to_dict(dossier)["applications"][0]["completed_on"] == "2026-01-20"
    assert dossier_to_dict(dossier)["applications"][0]["priority"] == {"any": "shape"}


def test_an_application_without_extensions_reads_them_as_unknown():
    (application,) = dossier_from_dict(ales_applying()).applications
    assert application.completed_on is None
    assert application.suspended_at_party_request is None
    assert application.decision.appeal_filed is None


# ---------------------------------------------------------------- dates in an impossible order


@pytest.mark.parametrize(
    ("decision", "refused"),
    [
        ({"final": "2026-01-08"}, "final: 2026-01-08"),
        ({"delivered": "2025-12-30"}, "delivered: 2025-12-30"),
        ({"appeal_filed": "2026-01-02"}, "appeal_filed: 2026-01-02"),
    ],
    ids=["final", "delivered", "appeal"],
)
def test_it_refuses_a_decision_dated_before_the_application_was_filed(decision, refused):
    """With the decision's issue date unknown, so that only the filing date can tell."""
    undated = {"issued": None, "delivered": None}
    assert refusal(ales_applying(decision=undated | decision)) == (
        f"applications[0].decision.{refused} is before filing 2026-01-09"
    )


def test_it_refuses_an_appeal_filed_before_the_decision_was_delivered():
    assert refusal(ales_applying(decision={"appeal_filed": "2026-04-16"})) == (
        "applications[0].decision.appeal_filed: 2026-04-16 is before the decision was "
        "delivered on 2026-04-17"
    )


def test_it_refuses_an_appeal_filed_before_the_decision_when_its_delivery_is_unknown():
    dossier = ales_applying(decision={"delivered": None, "appeal_filed": "2026-04-09"})
    assert refusal(dossier) == (
        "applications[0].decision.appeal_filed: 2026-04-09 is before the decision 2026-04-10"
    )


def test_it_accepts_an_appeal_filed_on_the_day_of_delivery_or_after_the_decision_became_final():
    """Final after the appeal was decided, or a late appeal: both happen."""
    for appeal in ("2026-04-17", "2026-06-01"):
        dossier = ales_applying(decision={"final": "2026-05-05", "appeal_filed": appeal})
        assert dossier_from_dict(dossier).applications[0].decision.appeal_filed.isoformat() == (
            appeal
        )


def test_it_refuses_a_completion_date_on_an_application_recorded_as_not_formally_complete():
    """The registry's rule too: a completion date means it is formally complete."""
    dossier = ales_applying(formally_complete=False, completed_on="2026-01-20")
    assert refusal(dossier) == (
        "applications[0].formally_complete: is false, but completed_on says it became "
        "complete on 2026-01-20"
    )


def test_it_refuses_a_completion_before_the_application_was_filed():
    assert refusal(ales_applying(completed_on="2026-01-08")) == (
        "applications[0].completed_on: 2026-01-08 is before filing 2026-01-09"
    )


@pytest.mark.parametrize("kind", ["temporary_residence", "visa"])
def test_it_refuses_a_time_limited_title_without_its_last_day(kind):
    # An open end would read as legal stay for ever.
    title = {"kind": kind, "valid_from": "2023-01-10", "valid_to": None}
    with pytest.raises(DossierError, match=rf"titles\[0\]\.valid_to: is required for a {kind}"):
        dossier_from_dict({**ALES, "titles": [title]})


def test_it_accepts_a_permanent_title_without_an_end():
    title = {"kind": "permanent_residence", "valid_from": "2023-01-10"}
    assert dossier_from_dict({**ALES, "titles": [title]}).titles[0].valid_to is None


def test_it_reads_a_relative_written_with_titles_beside_their_fields():
    """Mila's mother written as a person with her permit beside her id, as the format's
    "nested person" reads: her permit is read (the child route sees it), as in a nested
    dossier."""
    hanna = {"id": "hanna", "titles": [{"kind": "refugee_status", "valid_from": "2019-01-01"}]}
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "mila", "citizenships": ["BY"]},
        "family": [{"relation": "parent", "person": hanna}],
    }
    (link,) = dossier_from_dict(raw).family
    assert link.person_id == "hanna" and not link.bare
    assert link.dossier is not None
    assert [title.kind for title in link.dossier.titles] == ["refugee_status"]


def test_it_names_a_relatives_field_where_it_was_written_beside_their_id():
    """Hanna's permit written beside her id, with a start day that is no date: the error
    points at family[0].person.titles[0].valid_from, where the caseworker wrote it."""
    hanna = {"id": "hanna", "titles": [{"kind": "refugee_status", "valid_from": "2019-02-30"}]}
    raw = {"person": {"id": "mila"}, "family": [{"relation": "parent", "person": hanna}]}
    with pytest.raises(DossierError) as error:
        dossier_from_dict(raw)
    assert error.value.field == "family[0].person.titles[0].valid_from"
    hanna = {"id": "hanna", "birth_date": "1990-13-01", "titles": []}
    raw = {"person": {"id": "mila"}, "family": [{"relation": "parent", "person": hanna}]}
    with pytest.raises(DossierError) as error:
        dossier_from_dict(raw)
    assert error.value.field == "family[0].person.birth_date"


def test_it_names_the_field_of_a_bare_family_person_as_written():
    """Mother Hanna nested without a dossier of her own: the error points at
    family[0].person.birth_date, where the caseworker wrote the wrong date."""
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "mila", "citizenships": ["BY"]},
        "family": [{"relation": "parent", "person": {"id": "hanna", "birth_date": "1960-13-01"}}],
    }
    with pytest.raises(DossierError) as error:
        dossier_from_dict(raw)
    assert error.value.field == "family[0].person.birth_date"


@pytest.mark.parametrize(
    ("stays", "refused"),
    [
        # One absence recorded as two overlapping stays would be judged as two shorter breaks.
        ([("2023-04-01", "2023-08-01"), ("2023-01-01", "2023-05-01")], r"stays_abroad\[0\]\.left"),
        ([("2023-01-01", "2023-06-01"), ("2023-01-01", "2023-06-01")], r"stays_abroad\[1\]\.left"),
        ([("2023-01-01", None), ("2024-01-01", "2024-02-01")], r"stays_abroad\[1\]\.left"),
        # Back on the day the next trip starts: the day of return is spent in Poland.
        ([("2023-01-01", "2023-03-01"), ("2023-03-01", "2023-04-01")], None),
    ],
)
def test_it_refuses_stays_abroad_that_overlap(stays, refused):
    raw = {**ALES, "stays_abroad": [{"left": left, "returned": back} for left, back in stays]}
    if refused is None:
        assert len(dossier_from_dict(raw).stays_abroad) == 2
        return
    with pytest.raises(DossierError, match=rf"{refused}: .* stays abroad may not overlap"):
        dossier_from_dict(raw)


@pytest.mark.parametrize("written", [True, ["x"], 1.5, {"id": None}])
def test_it_refuses_a_family_link_whose_id_is_not_text_or_a_number(written):
    raw = {**ALES, "family": [{"relation": "parent", "person": written}]}
    with pytest.raises(DossierError, match=r"family\[0\]\.person"):
        dossier_from_dict(raw)


def test_it_reads_a_family_link_given_as_a_number_as_its_text():
    raw = {**ALES, "family": [{"relation": "parent", "person": 12345}]}
    assert dossier_from_dict(raw).family[0].person_id == "12345"


@pytest.mark.parametrize(
    ("family", "field", "says"),
    [
        (
            [{"relation": "parent", "person": "mama"}, {"relation": "spouse", "person": "mama"}],
            "family[1].person",
            "'mama' is linked already at family[0]",
        ),
        ([{"relation": "parent", "person": "ales"}], "family[0].person", "'ales' is the person"),
    ],
)
def test_it_refuses_a_relative_linked_twice_or_the_person_as_their_own_relative(
    family, field, says
):
    """The engine keeps one relative an id: a second link would leave the answer to the order
    the links are written in (a child route read from an empty parent or a full one)."""
    with pytest.raises(DossierError) as refused:
        dossier_from_dict({**ALES, "family": family})
    assert (refused.value.field, says in str(refused.value)) == (field, True)


@pytest.mark.parametrize(
    ("relation", "relative_born", "refused"),
    [
        ("parent", "2001-05-05", True),  # Ales's "mother" born after him: a slip
        ("parent", "1988-03-14", True),  # born the same day
        ("parent", "1960-05-05", False),
        ("child", "1980-01-01", True),
        ("child", "2015-01-01", False),
        ("spouse", "2001-05-05", False),
    ],
)
def test_it_refuses_a_parent_born_after_their_child(relation, relative_born, refused):
    """As the registry refuses the link: the child's routes would read the slip (a "mother"
    holding a permit makes a child eligible)."""
    for relative in (  # nested with their own dossier, and bare
        {"person": {"id": "hanna", "birth_date": relative_born}},
        {"id": "hanna", "birth_date": relative_born},
    ):
        raw = {**ALES, "family": [{"relation": relation, "person": relative}]}
        if not refused:
            assert dossier_from_dict(raw).family[0].person_id == "hanna"
            continue
        with pytest.raises(DossierError) as error:
            dossier_from_dict(raw)
        assert error.value.field == "family[0].person.birth_date"
        assert "a parent must be born before their child" in error.value.rule


@pytest.mark.parametrize("written", ["", False, 0, {}])
def test_it_refuses_citizenships_that_are_not_a_list(written):
    with pytest.raises(DossierError) as refused:
        dossier_from_dict({**ALES, "person": {**ALES["person"], "citizenships": written}})
    assert refused.value.field == "person.citizenships"


@pytest.mark.parametrize("written", [False, 0, []])
def test_it_refuses_a_document_status_that_is_not_a_status(written):
    document = {**ALES["documents"][0], "status": written}
    with pytest.raises(DossierError) as refused:
        dossier_from_dict({**ALES, "documents": [document]})
    assert refused.value.field == "documents[0].status"


@pytest.mark.parametrize("reason", ["holiday", 1])
def test_it_refuses_a_stay_abroad_of_a_reason_it_does_not_know(reason):
    stay = {"left": "2024-07-01", "returned": "2024-07-20", "reason": reason}
    with pytest.raises(DossierError) as refused:
        dossier_from_dict({**ALES, "stays_abroad": [stay]})
    assert refused.value.field == "stays_abroad[0].reason"


def test_a_relative_given_as_a_bare_person_is_written_back_bare():
    """A bare relative records who they are, not that they hold nothing: written back with
    ``"titles": []`` it would say "no titles" when read again."""
    dossier = dossier_from_dict(ALES)
    link = dossier.family[0]
    assert link.bare
    assert dossier_to_dict(dossier)["family"][0]["person"] == {
        "id": "maryia",
        "citizenships": [],
        "birth_date": "2024-02-01",
        "birth_country": None,
        "sex": None,
    }


@pytest.mark.parametrize(
    ("written", "read"), [("f", "F"), ("female", "F"), ("Male", "M"), ("x", "X")]
)
def test_it_reads_sex_written_in_lower_case_or_as_a_word(written, read):
    assert dossier_from_dict({"person": {"id": "x", "sex": written}}).person.sex == read


@pytest.mark.parametrize(("written", "read"), [("VALID", "valid"), ("Expired", "expired")])
def test_it_reads_a_document_status_in_any_case(written, read):
    document = {"kind": "national_passport", "status": written}
    dossier = dossier_from_dict({"person": {"id": "x"}, "documents": [document]})
    assert dossier.documents[0].status == read


@pytest.mark.parametrize(("written", "read"), [("Paper", "paper"), (" IN_PERSON", "in_person")])
def test_it_reads_an_applications_channel_in_any_case(written, read):
    # Read as other text, "Paper" would be taken as MOS, and the stay as resting on a stamp.
    application = {"kind": "temporary_residence", "filed": "2026-05-15", "channel": written}
    dossier = dossier_from_dict({"person": {"id": "x"}, "applications": [application]})
    assert dossier.applications[0].channel == read


def test_a_format_written_null_is_this_format():
    assert dossier_from_dict({"format": None, "person": {"id": "x"}}).person.id == "x"


# ---------------------------------------------------------------- days and shapes, one by one

MARTA = {"id": "marta", "birth_date": "1990-01-01"}
FILED = {"kind": "temporary_residence", "filed": "2024-01-10"}


def field_refused(dossier) -> str:
    with pytest.raises(DossierError) as error:
        dossier_from_dict(dossier)
    return error.value.field


@pytest.mark.parametrize(
    "same_day",
    [
        {"titles": [{"kind": "visa", "valid_from": "2024-01-01", "valid_to": "2024-01-01"}]},
        {"applications": [{**FILED, "formally_complete": True, "completed_on": "2024-01-10"}]},
        {"applications": [{**FILED, "decision": {"outcome": "refused", "issued": "2024-01-10"}}]},
        {
            "applications": [
                {
                    **FILED,
                    "decision": {
                        "outcome": "refused",
                        "issued": "2024-03-01",
                        "delivered": "2024-03-01",
                    },
                }
            ]
        },
        {"stays_abroad": [{"left": "2024-05-01", "returned": "2024-05-01"}]},
        {
            "stays_abroad": [
                {"left": "2024-05-01", "returned": "2024-05-01"},
                {"left": "2024-05-01"},
            ]
        },
    ],
    ids=[
        "a one-day visa",
        "completed on filing",
        "decided on filing",
        "delivered on issue",
        "a day trip",
        "a stay begun the day another ended",
    ],
)
def test_two_steps_may_fall_on_the_same_day(same_day):
    dossier_from_dict({"person": MARTA, **same_day})


def test_it_refuses_a_decision_final_before_it_was_issued():
    decision = {"outcome": "refused", "issued": "2024-03-01", "final": "2024-02-01"}
    bad = {"person": MARTA, "applications": [{**FILED, "decision": decision}]}
    assert field_refused(bad) == "applications[0].decision.final"


def test_it_refuses_a_title_without_its_first_day():
    bad = {"person": MARTA, "titles": [{"kind": "permanent_residence"}]}
    assert field_refused(bad) == "titles[0].valid_from"


def test_it_refuses_application_events_that_are_not_a_list():
    bad = {"person": MARTA, "applications": [{**FILED, "events": 5}]}
    assert field_refused(bad) == "applications[0].events"


def test_it_refuses_a_dossier_without_a_person():
    assert field_refused({"format": "legalstay-dossier/1"}) == "person"


def test_it_reads_the_stays_abroad_of_a_relative_written_beside_their_id():
    spouse = {"id": "pavel", "stays_abroad": [{"left": "2024-01-01"}]}
    raw = {"person": MARTA, "family": [{"relation": "spouse", "person": spouse}]}
    (link,) = dossier_from_dict(raw).family
    assert link.dossier is not None and len(link.dossier.stays_abroad) == 1


def test_empty_text_reads_as_not_recorded_for_a_date_a_status_and_the_format():
    dossier = dossier_from_dict(
        {
            "format": "",
            "person": MARTA,
            "documents": [{"kind": "visa", "status": ""}],
            "stays_abroad": [{"left": "2024-05-01", "returned": ""}],
        }
    )
    assert dossier.documents[0].status == "valid"
    assert dossier.stays_abroad[0].returned is None


@pytest.mark.parametrize(("family", "recorded"), [(None, False), ([], True)])
def test_a_family_given_as_null_is_not_recorded_and_an_empty_list_is_none(family, recorded):
    """A registry import replaces the stored relatives only when the family is recorded."""
    assert dossier_from_dict({"person": MARTA, "family": family}).family_recorded is recorded


def nested(depth: int) -> dict:
    dossier: dict = {"person": {"id": "p0"}}
    for level in range(1, depth + 1):
        dossier = {
            "person": {"id": f"p{level}"},
            "family": [{"relation": "child", "person": dossier}],
        }
    return dossier


def test_relatives_nest_up_to_32_deep():
    dossier_from_dict(nested(32))
    assert "family[0]" in field_refused(nested(33))


@pytest.mark.parametrize("written", ["false", 0, "no"])
def test_it_refuses_episodes_recorded_that_is_not_true_or_false(written):
    # "false" as text read as recorded: a relative known only by name was assessed on nothing.
    bare = {"person": {"id": "hanna", "citizenships": ["BY"], "episodes_recorded": written}}
    assert refusal(bare) == "person.episodes_recorded: must be true, false or null"


def test_it_refuses_a_nested_relatives_episodes_recorded_that_is_not_true_or_false():
    relative = {"id": "mikola", "episodes_recorded": "false"}
    dossier = {**ALES, "family": [{"relation": "spouse", "person": relative}]}
    assert refusal(dossier) == "family[0].person.episodes_recorded: must be true, false or null"
