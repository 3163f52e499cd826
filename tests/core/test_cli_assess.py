"""The `legalstay assess` and `assess-population` commands, as a caseworker or analyst runs them."""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import pytest

from legalstay.cli import assess as assess_cli
from legalstay.cli import main
from legalstay.dossier import DOCUMENT_KINDS, TITLE_KINDS
from legalstay.engine.batches import DEFAULT_BATCH
from legalstay.engine.files import write_population
from legalstay.synthetic import generate_population

ALES = {
    "format": "legalstay-dossier/1",
    "person": {"id": "ales", "citizenships": ["BY"], "birth_date": "1988-03-14", "sex": "M"},
    "documents": [
        {
            "kind": "national_passport",
            "issuer": "BY",
            "issued": "2015-05-05",
            "expires": "2025-05-04",
            "status": "valid",
        }
    ],
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "humanitarian_visa_belarus",
            "valid_from": "2023-01-10",
            "valid_to": "2026-01-09",
        }
    ],
    "applications": [
        {
            "kind": "temporary_residence",
            "filed": "2026-01-09",
            "formally_complete": True,
            "decision": {"outcome": "refused", "issued": "2026-04-10", "delivered": "2026-04-17"},
        }
    ],
}


def test_assess_prints_the_assessment_as_json(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["format"] == "legalstay-assessment/1"
    assert answer["legal_stay"] == {
        "status": "legal",
        "basis": "pending_application",
        "until": None,
        "reference": answer["legal_stay"]["reference"],
    }
    assert {"kind": "appeal", "due": "2026-05-04"}.items() <= answer["deadlines"][0].items()
    assert "passport_cannot_be_renewed_abroad" in answer["flags"]
    assert set(answer["eligibility"]) == {
        "permanent_residence",
        "eu_long_term_residence",
        "travel_document_for_foreigners",
        "identity_document_for_foreigners",
    }


def test_assess_explains_in_text_in_words_not_codes(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20", "--format", "text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Legal stay: legal: pending application (art. 108)" in lines
    assert "    Cites: UoC art. 108 ust. 1 pkt 2 (art. 206 for permanent residence)" in lines
    assert "    4 May 2026 (in 14 days): appeal against the decision" in lines
    assert "    passport cannot be renewed abroad (Decree 278)" in lines
    # A condition by its words, and the values the research could not verify beside the answer.
    assert "        not met: five years of counted legal stay" in lines
    doubts = "        Among the values it reads, not verified: "
    assert any(line.startswith(doubts) for line in lines)
    assert not any("_" in line.split("Among the values")[0] for line in lines)


def test_assess_explains_in_text_in_the_language_asked_for(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    command = ["assess", str(path), "--as-of", "2026-04-20", "--format", "text"]
    assert main([*command, "--language", "pl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ales w dniu 20 kwietnia 2026 (pl-baseline)"
    assert "    4 maja 2026 (za 14 dni): odwołanie od decyzji" in lines


def test_a_deadline_moved_past_24_december_says_in_text_that_the_day_off_is_not_verified(
    tmp_path, capsys
):
    # Siarhei's refusal was delivered on 10 Dec 2025: his 14 days end on the 29th only because
    # 24 Dec counts as a day off, which the research did not verify; the page must say so.
    siarhei = {
        "format": "legalstay-dossier/1",
        "person": {"id": "siarhei", "citizenships": ["BY"], "birth_date": "1990-10-10"},
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": "2025-09-01",
                "formally_complete": True,
                "decision": {
                    "outcome": "refused",
                    "issued": "2025-12-08",
                    "delivered": "2025-12-10",
                },
            }
        ],
    }
    lines = page(tmp_path, capsys, siarhei, "2025-12-12")
    appeal = lines.index("    29 December 2025 (in 17 days): appeal against the decision")
    assert lines[appeal + 2].startswith("        It rests on 24 December 2025 being a day off")


def test_a_passed_decision_day_the_flags_do_not_call_late_says_why_in_text(tmp_path, capsys):
    # Andrei's case of 2021 had a KPA month, two if complex: a month on, the authority is not
    # late yet, and the page must not leave a passed day unexplained.
    andrei = {
        "format": "legalstay-dossier/1",
        "person": {"id": "andrei", "citizenships": ["BY"], "birth_date": "1983-11-11"},
        "titles": [
            {
                "kind": "temporary_residence",
                "ground": "work",
                "valid_from": "2018-11-01",
                "valid_to": "2021-10-31",
            }
        ],
        "applications": [
            {"kind": "temporary_residence", "filed": "2021-10-04", "formally_complete": True}
        ],
    }
    lines = page(tmp_path, capsys, andrei, "2021-12-06")
    assert (
        "    4 November 2021 (32 days ago): the authority must decide; not called late: the "
        "period may be longer (see the provision cited)"
    ) in lines


def test_a_deadline_in_text_says_the_day_it_would_change_as_the_json_does(tmp_path, capsys):
    # Ales before he filed: his permit ends today, both deadlines fall due today and are gone
    # tomorrow.
    ales = {key: value for key, value in ALES.items() if key not in ("applications", "documents")}
    deadlines = under(page(tmp_path, capsys, ales, "2026-01-09"), "Deadlines:")
    due = next(i for i, line in enumerate(deadlines) if "apply for temporary residence" in line)
    assert (
        "        Would change on 10 January 2026, the facts unchanged." in deadlines[due : due + 3]
    )


def ales_in_words(tmp_path, capsys, as_of: str, language: str) -> str:
    """Ales's assessment on ``as_of`` as the text output gives it in ``language``."""
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    command = ["assess", str(path), "--as-of", as_of, "--format", "text", "--language", language]
    assert main(command) == 0
    return capsys.readouterr().out


def test_an_irregular_stay_in_polish_has_no_english_sentence_for_a_provision(tmp_path, capsys):
    # Ales, a year after the refusal became final: no basis of stay and no ground to work. The
    # rulebook's "no title, timely application …" cites no provision; the Polish words say it.
    out = ales_in_words(tmp_path, capsys, "2027-06-01", "pl")
    page = out.split("Spełnienie warunków:")[0]  # the four answers
    assert "Pobyt: nielegalny" in page
    assert "nie obowiązuje żaden tytuł pobytowy" in page
    assert "Żaden odnotowany tytuł pobytowy ani zaświadczenie nie uprawnia do pracy." in page
    assert "no title, timely application" not in page
    assert "no recorded title or certificate" not in page
    flags = out.split("Oznaczenia:")[1]  # the flag says it in Polish: no English beneath it
    assert "pobyt nielegalny" in flags and "no title, timely application" not in flags


def test_a_right_to_work_the_research_does_not_settle_reads_so_not_no(tmp_path, capsys):
    # Ales on the stamp of his application: whether the stamp gives access to work is not
    # in the research. The JSON keeps the contract's "no"; the words say it is not settled.
    out = ales_in_words(tmp_path, capsys, "2026-02-01", "pl")
    assert "Prawo do pracy: nie ustalono (sprawdź ręcznie)" in out
    assert main(["assess", str(tmp_path / "ales.json"), "--as-of", "2026-02-01"]) == 0
    assert json.loads(capsys.readouterr().out)["right_to_work"]["status"] == "no"


def test_numbers_of_years_take_their_plural_form(tmp_path, capsys):
    # "18 lat", "2 lata", "18 гадоў", not "lat(a)".
    out = ales_in_words(tmp_path, capsys, "2025-06-01", "pl")
    assert "= 18 lat" in out and "= 2 lata" in out and "lat(a)" not in out
    assert "= 18 гадоў" in ales_in_words(tmp_path, capsys, "2025-06-01", "be")


def test_assess_refuses_a_language_it_does_not_speak(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["assess", str(path), "--format", "text", "--language", "de"])
    assert exit_.value.code == 2
    assert "--language: invalid choice: 'de'" in capsys.readouterr().err


def test_a_misspelt_fact_of_a_relative_is_pointed_at_where_it_was_written(tmp_path, capsys):
    # Ales's mother written flat, her permit beside her id, and her own father nested in
    # her: each misspelt fact is named at the path it was written at.
    grandfather = {
        "person": {"id": "pavel", "birth_date": "1935-01-01", "facts": {"statless": True}}
    }
    mother = {
        "id": "maryia",
        "birth_date": "1960-01-01",
        "facts": {"stateles": True},
        "titles": [{"kind": "permanent_residence", "valid_from": "2020-01-01"}],
        "family": [{"relation": "parent", "person": grandfather}],
    }
    path = tmp_path / "ales.json"
    path.write_text(json.dumps({**ALES, "family": [{"relation": "parent", "person": mother}]}))
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    err = capsys.readouterr().err
    assert "dossier family[0].person.facts.stateles:" in err
    assert "dossier family[0].person.family[0].person.person.facts.statless:" in err


def test_a_misspelt_fact_is_warned_of_and_the_assessment_still_given(tmp_path, capsys):
    # The format keeps facts of other names (it may gain facts), but "karta_polak" is not the
    # Karta Polaka: the caseworker is told, on standard error, where and which.
    ales = {**ALES, "person": {**ALES["person"], "facts": {"karta_polak": True}}}
    mother = {"person": {"id": "maryia", "birth_date": "1960-01-01", "facts": {"stateles": True}}}
    ales["family"] = [{"relation": "parent", "person": mother}]
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ales), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["legal_stay"]["status"] == "legal"
    assert "warning: dossier person.facts.karta_polak: not a fact the rules read" in captured.err
    assert "family[0].person.person.facts.stateles" in captured.err
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_document_recorded_twice_is_warned_of_as_the_registry_would_refuse_it(tmp_path, capsys):
    # Ales's passport entered twice, once with a space: two passports to the rules.
    passport = ALES["documents"][0]
    ales = {**ALES, "documents": [passport, {**passport, "number": "mp 12345-67"}]}
    ales["documents"][0] = {**passport, "number": "MP1234567"}
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ales), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    err = capsys.readouterr().err
    assert "warning: dossier documents[1].number: the same kind, issuer and number as " in err
    assert "documents[0]" in err


def test_a_bad_dossier_exits_2_naming_the_field(tmp_path, capsys):
    path = tmp_path / "bad.json"
    bad = {**ALES, "titles": [{"kind": "temporary_residence", "valid_from": "2026-13-01"}]}
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert "titles[0].valid_from" in capsys.readouterr().err


def test_a_dossier_that_is_not_utf8_exits_2_naming_the_byte(tmp_path, capsys, monkeypatch):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"format": "legalstay-dossier/1", "person": {"id": "Ale\xb6"}}')
    expected = "error: dossier $: is not UTF-8 text (byte 0xb6 at offset 55); save it as UTF-8\n"
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert capsys.readouterr().err == expected
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert main(["assess", "-", "--as-of", "2026-04-20"]) == 2
    assert capsys.readouterr().err == expected


def test_a_dossier_nested_too_deeply_exits_2_rather_than_crashing(tmp_path, capsys):
    arrays = tmp_path / "arrays.json"
    arrays.write_text("[" * 3000, encoding="utf-8")
    assert main(["assess", str(arrays), "--as-of", "2026-04-20"]) == 2
    assert "nests arrays or objects too deeply" in capsys.readouterr().err
    relatives: dict = {"id": "leaf"}
    for level in range(40):
        relatives = {
            "person": {"id": f"p{level}"},
            "family": [{"relation": "parent", "person": relatives}],
        }
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(relatives), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert "relatives nest more than 32 deep: link further relatives by id" in (
        capsys.readouterr().err
    )


def test_a_missing_dossier_file_is_named(tmp_path, capsys):
    missing = tmp_path / "nowhere.json"
    assert main(["assess", str(missing), "--as-of", "2026-04-20"]) == 2
    assert f"cannot be read from {missing}: No such file or directory" in capsys.readouterr().err


def test_an_unknown_scenario_exits_2(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20", "--scenario", "utopia"]) == 2
    assert "utopia" in capsys.readouterr().err


def test_assess_population_writes_every_scenario_and_the_why_not_table(tmp_path):
    as_of = dt.date(2026, 11, 26)
    persons = tmp_path / "persons.parquet"
    write_population(generate_population(300, 7, as_of=as_of), persons)
    out, why = tmp_path / "out.parquet", tmp_path / "why.csv"
    code = main(
        [
            "assess-population",
            str(persons),
            "--as-of",
            as_of.isoformat(),
            "--reform",
            "pl-amnesty-2025",
            "--out",
            str(out),
            "--why-not",
            str(why),
            "--quiet",
        ]
    )
    assert code == 0
    result = pl.read_parquet(out)
    assert result.height == 300
    assert {"pl-baseline.legal_stay.status", "pl-amnesty-2025.legal_stay.status"} <= set(
        result.columns
    )
    reasons = pl.read_csv(why)
    assert set(reasons["scenario"]) == {"pl-baseline", "pl-amnesty-2025"}
    assert reasons.filter(pl.col("condition") == "within_application_window").height == 2


def test_assess_population_refuses_a_table_with_a_missing_column(tmp_path, capsys):
    persons = tmp_path / "persons.parquet"
    pl.DataFrame({"person_id": [1]}).write_parquet(persons)
    code = main(
        [
            "assess-population",
            str(persons),
            "--as-of",
            "2026-01-01",
            "--out",
            str(tmp_path / "o.parquet"),
            "--quiet",
        ]
    )
    assert code == 2
    assert "lacks column" in capsys.readouterr().err


def test_assess_population_one_batch_at_a_time_gives_the_same_answers(tmp_path):
    as_of = dt.date(2026, 11, 26)
    persons = tmp_path / "persons.parquet"
    write_population(generate_population(300, 11, as_of=as_of), persons)
    results = []
    for name, extra in (("whole", []), ("small", ["--batch-size", "40", "--workers", "1"])):
        out = tmp_path / f"{name}.parquet"
        arguments = ["assess-population", str(persons), "--as-of", as_of.isoformat()]
        assert main([*arguments, "--out", str(out), "--quiet", *extra]) == 0
        results.append(pl.read_parquet(out).sort("person_id"))
    assert results[0].equals(results[1])


def test_a_fact_column_of_the_wrong_type_is_named_with_the_type_it_needs(tmp_path, capsys):
    as_of = dt.date(2026, 11, 26)
    persons = tmp_path / "persons.parquet"
    tables = generate_population(20, 3, as_of=as_of)
    marriage = pl.lit("2023-03-01").alias("fact_married_to_polish_citizen_since")  # text
    tables["persons"] = tables["persons"].with_columns(marriage)
    write_population(tables, persons)
    out = str(tmp_path / "o.parquet")
    code = main(["assess-population", str(persons), "--as-of", "2026-01-01", "--out", out])
    assert code == 2
    error = capsys.readouterr().err
    assert "'fact_married_to_polish_citizen_since' is String" in error
    assert "needs Date" in error


def test_kinds_written_as_text_or_as_codes_give_the_same_answers(tmp_path):
    as_of = dt.date(2026, 11, 26)
    tables = generate_population(300, 13, as_of=as_of)
    coded = tmp_path / "coded" / "persons.parquet"
    write_population(tables, coded)  # episode tables' kinds, grounds … as categorical
    assert pl.read_parquet_schema(coded.with_name("persons.documents.parquet"))["kind"] != pl.String
    text = tmp_path / "text" / "persons.parquet"
    text.parent.mkdir()
    for name, frame in tables.items():
        path = text if name == "persons" else text.with_name(f"persons.{name}.parquet")
        frame.write_parquet(path)
    results = []
    for persons in (coded, text):
        out = persons.with_name("out.parquet")
        arguments = ["assess-population", str(persons), "--as-of", as_of.isoformat()]
        assert main([*arguments, "--out", str(out), "--quiet"]) == 0
        results.append(pl.read_parquet(out))
    assert results[0].equals(results[1])


def test_assess_population_batches_as_the_engine_does_by_default():
    assert assess_cli.DEFAULT_BATCH == DEFAULT_BATCH


# ---------------------------------------------------------------- bad and extreme input


def assess(tmp_path, capsys, dossier: dict, as_of: str) -> tuple[int, str, str]:
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(dossier), encoding="utf-8")
    code = main(["assess", str(path), "--as-of", as_of])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ales_appealing(appeal_filed: str) -> dict:
    application = ALES["applications"][0]
    decision = {**application["decision"], "appeal_filed": appeal_filed}
    return {**ALES, "applications": [{**application, "decision": decision}]}


def test_an_appeal_date_that_is_not_a_date_exits_2_naming_it_instead_of_being_ignored(
    tmp_path, capsys
):
    code, out, err = assess(tmp_path, capsys, ales_appealing("2026-04-31"), "2026-05-20")
    assert (code, out) == (2, "")
    assert err == (
        "error: dossier applications[0].decision.appeal_filed: '2026-04-31' is not a day of "
        "the calendar (YYYY-MM-DD)\n"
    )


def test_an_appeal_filed_before_the_decision_was_delivered_exits_2(tmp_path, capsys):
    code, _, err = assess(tmp_path, capsys, ales_appealing("2026-04-16"), "2026-05-20")
    assert code == 2
    assert "applications[0].decision.appeal_filed: 2026-04-16 is before the decision" in err


def test_a_suspension_written_as_text_exits_2_naming_it(tmp_path, capsys):
    application = {**ALES["applications"][0], "suspended_at_party_request": "true"}
    code, _, err = assess(tmp_path, capsys, {**ALES, "applications": [application]}, "2026-04-20")
    assert code == 2
    assert "applications[0].suspended_at_party_request: must be true, false or null" in err


@pytest.mark.parametrize("written", ["20260420", "2026-W17-1", "2026-4-20"])
def test_an_as_of_date_in_another_form_than_yyyy_mm_dd_exits_2(tmp_path, capsys, written):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["assess", str(path), "--as-of", written])
    assert exit_.value.code == 2
    assert f"--as-of: {written!r} is not a date written YYYY-MM-DD" in capsys.readouterr().err


def test_a_document_issued_in_9999_is_valid_until_the_last_day_there_is(tmp_path, capsys):
    """12 months from 1 Jun 9999 end after 31 Dec 9999: the engine's "never"."""
    document = {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "9999-06-01"}
    code, out, err = assess(tmp_path, capsys, {**ALES, "documents": [document]}, "9999-07-01")
    assert (code, err) == (0, "")
    travel = json.loads(out)["travel_document"]
    assert travel == {
        "valid": True,
        "kind": "travel_document_for_foreigners",
        "until": "9999-12-31",
    }


@pytest.mark.parametrize(
    "as_of", ["9999-12-31", "9999-12-30", "0001-01-01", "2024-02-29", "2028-02-29"]
)
def test_assess_answers_on_the_last_and_first_days_there_are_and_on_leap_days(
    tmp_path, capsys, as_of
):
    code, out, err = assess(tmp_path, capsys, ALES, as_of)
    assert (code, err) == (0, "")
    assert json.loads(out)["as_of"] == as_of


def test_assess_answers_for_a_person_not_yet_born_on_the_date(tmp_path, capsys):
    person = {**ALES["person"], "birth_date": "2030-01-01"}
    code, out, err = assess(tmp_path, capsys, {**ALES, "person": person}, "2026-04-20")
    assert (code, err) == (0, "")
    assert json.loads(out)["person"] == "ales"


def test_a_decision_delivered_in_a_year_without_a_known_calendar_has_no_appeal_deadline(
    tmp_path, capsys
):
    """Days off are known for the calendar's years only (none before the KPA of 1960): the
    appeal period's end is unknown, not a crash."""
    application = {
        "kind": "temporary_residence",
        "filed": "1955-01-09",
        "decision": {"outcome": "refused", "issued": "1955-04-10", "delivered": "1955-04-17"},
    }
    dossier = {**ALES, "applications": [application]}
    code, out, err = assess(tmp_path, capsys, dossier, "1955-04-20")
    assert (code, err) == (0, "")
    assert [item["kind"] for item in json.loads(out)["deadlines"]] == []


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_every_date_at_either_end_of_the_calendar_gives_an_answer(tmp_path, capsys, year):
    day = f"{year}-01-01" if year == "0001" else f"{year}-12-31"
    dossier = {
        "format": "legalstay-dossier/1",
        "person": {"id": "ales", "citizenships": ["BY"], "birth_date": day, "sex": "M"},
        "documents": [{"kind": kind, "issuer": "PL", "issued": day} for kind in DOCUMENT_KINDS],
        "titles": [{"kind": kind, "valid_from": day, "valid_to": day} for kind in TITLE_KINDS],
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": day,
                "completed_on": day,
                "decision": {
                    "outcome": "refused",
                    "issued": day,
                    "delivered": day,
                    "final": day,
                    "appeal_filed": day,
                },
            }
        ],
        "stays_abroad": [{"left": day, "returned": day}],
    }
    for as_of in ("0001-01-01", "2026-04-20", "9999-12-31"):
        code, _, err = assess(tmp_path, capsys, dossier, as_of)
        assert (code, err) == (0, ""), as_of


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('{"person": {"id": "a"}, "person": {"id": "b"}}', "person: is written twice"),
        (
            '{"person": {"id": "a"}, "documents": [{"kind": "visa"},'
            ' {"kind": "visa", "expires": "2027-01-01", "expires": "2028-01-01"}]}',
            "dossier documents[1].expires: is written twice",
        ),
        ('{"person": {"id": "\\ud800x"}}', "dossier person.id: holds text that is not Unicode"),
        (
            '{"person": {"id": "a"}, "titles": [{"kind": "visa", "ground": "\\udfff"}]}',
            "dossier titles[0].ground: holds text that is not Unicode",
        ),
        ('{"person": {"id": "a", "n": 1' + "0" * 4400 + "}}", "holds a number too long to read"),
        ('{"person": {"id": "a", "n": NaN}}', "holds NaN, which is not a JSON number"),
        ('{"person": {"id": "a", "n": -Infinity}}', "holds -Infinity, which is not a JSON number"),
        ('{"person": {"id": "a", "n": 1e400}}', "holds the number 1e400, too large to keep"),
    ],
)
def test_json_a_dossier_cannot_mean_exits_2(tmp_path, capsys, written, named):
    path = tmp_path / "odd.json"
    path.write_text(written, encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert named in capsys.readouterr().err


def test_the_events_extension_holds_real_days_as_every_date_does(tmp_path, capsys):
    application = {"kind": "temporary_residence", "filed": "2026-01-05"}
    application["events"] = [{"kind": "decision", "date": "2026-02-30"}]
    dossier = {"person": {"id": "ales"}, "applications": [application]}
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(dossier), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert "applications[0].events[0].date: '2026-02-30'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("table", "row", "field"),
    [
        (
            "applications",
            {"kind": "temporary_residence", "filed": "2026-01-05", "channel": 5},
            "channel",
        ),
        ("applications", {"kind": "visa", "filed": "2026-01-05", "channel": ["paper"]}, "channel"),
        (
            "titles",
            {"kind": "visa", "valid_from": "2026-01-05", "valid_to": "2026-02-05", "ground": True},
            "ground",
        ),
        ("documents", {"kind": "national_passport", "number": False}, "number"),
    ],
)
def test_a_field_of_text_written_as_something_else_is_refused(tmp_path, capsys, table, row, field):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps({"person": {"id": "ales"}, table: [row]}))
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    assert f"{table}[0].{field}: must be text" in capsys.readouterr().err


def test_a_value_pages_long_is_cut_in_the_message(tmp_path, capsys):
    document = {"kind": "national_passport", "issuer": "B" * 100_000}
    path = tmp_path / "ales.json"
    path.write_text(json.dumps({"person": {"id": "ales"}, "documents": [document]}))
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: dossier documents[0].issuer: 'BBB") and len(err) < 700


def test_a_kind_it_does_not_know_is_refused_with_every_kind_it_does(tmp_path, capsys):
    # The list was cut after 300 characters, before the last kinds.
    for kind, shown in (("passport", "'passport'"), ("P" * 5000, f"'{'P' * 99}… (cut)")):
        path = tmp_path / "ales.json"
        path.write_text(json.dumps({"person": {"id": "ales"}, "documents": [{"kind": kind}]}))
        assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
        assert capsys.readouterr().err == (
            f"error: dossier documents[0].kind: {shown} is not one of national_passport, "
            "travel_document_for_foreigners, temporary_travel_document_for_foreigners, "
            "refugee_travel_document, residence_card, identity_document_for_foreigners, "
            "temporary_identity_certificate, tolerated_stay_document, visa, "
            "new_belarus_passport, birth_certificate, national_id_card\n"
        )


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """``legalstay assess … | head``: a closed pipe ends the output quietly, no traceback."""
    import os
    import subprocess
    import sys

    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    command = [sys.executable, "-c", "import sys; from legalstay.cli import main; sys.exit(main())"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the answer is written
    try:
        writer = subprocess.run(
            [*command, "assess", str(path), "--as-of", "2026-04-20"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (writer.returncode, writer.stderr) == (0, b"")


def test_a_full_disk_is_reported_without_a_traceback(tmp_path, capsys, monkeypatch):
    import io
    import sys

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", FullDisk())
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 1
    assert "cannot write the assessment: No space left on device" in capsys.readouterr().err


def test_an_unknown_scenario_exits_2_naming_the_option_and_the_known_ones(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20", "--scenario", "utopia"]) == 2
    assert capsys.readouterr().err == (
        "error: --scenario: unknown scenario 'utopia'; known: pl-amnesty-2025, pl-baseline\n"
    )


def test_a_dossier_saved_with_a_byte_order_mark_is_read(tmp_path, capsys):
    # Windows tools (PowerShell's Out-File, Notepad) write UTF-8 with a BOM.
    path = tmp_path / "ales.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ALES).encode("utf-8"))
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    assert json.loads(capsys.readouterr().out)["person"] == ALES["person"]["id"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "error: dossier $: is empty: a dossier is a JSON object\n"),
        (b"  \n", "error: dossier $: is empty: a dossier is a JSON object\n"),
        (
            b"\xef\xbb\xbf\xef\xbb\xbf{}",
            "error: dossier $: starts with two byte-order marks: save the file as UTF-8\n",
        ),
    ],
)
def test_an_empty_or_twice_marked_dossier_is_named_as_such(tmp_path, capsys, content, said):
    path = tmp_path / "ales.json"
    path.write_bytes(content)
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", said)


def test_a_long_bad_value_leaves_room_for_the_rule_it_breaks(tmp_path, capsys):
    ales = json.loads(json.dumps(ALES))
    ales["person"]["citizenships"] = ["Q" * 2000]
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ales), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    err = capsys.readouterr().err
    assert err.endswith("… (cut) is not an ISO 3166 alpha-2 country code\n")
    assert len(err) < 200


def test_it_declines_to_assess_a_person_known_only_by_who_they_are(tmp_path, capsys):
    # Hanna was linked as a relative with no documents or permits recorded: her empty lists
    # mean "not recorded", and assessing them would call her stay irregular.
    hanna = {
        "format": "legalstay-dossier/1",
        "person": {"id": "hanna", "citizenships": ["BY"], "episodes_recorded": False},
    }
    path = tmp_path / "hanna.json"
    path.write_text(json.dumps(hanna), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "person.episodes_recorded" in captured.err and "not recorded" in captured.err


# ---------------------------------------------------------------- the explanation, item by item

YAUHEN = {
    "person": {"id": "yauhen", "citizenships": ["BY"], "birth_date": "1979-04-12", "sex": "M"},
    "titles": [{"kind": "refugee_status", "valid_from": "2023-05-02"}],
    "documents": [{"kind": "refugee_travel_document", "issuer": "PL", "issued": "2024-09-16"}],
}


def page(tmp_path, capsys, dossier: dict, as_of: str) -> list[str]:
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(dossier), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", as_of, "--format", "text"]) == 0
    return capsys.readouterr().out.splitlines()


def under(lines: list[str], heading: str) -> list[str]:
    """The lines after the first that starts with ``heading``."""
    return lines[next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1 :]


def test_the_explanation_has_an_item_for_every_answer_deadline_and_flag(tmp_path, capsys):
    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert main(["assess", str(path), "--as-of", "2026-04-20"]) == 0
    answer = json.loads(capsys.readouterr().out)
    outputs = [item["output"] for item in answer["explanation"]]
    assert set(outputs) == {
        "legal_stay",
        "travel_document",
        "identity_document",
        "right_to_work",
        *(f"eligibility.{name}" for name in answer["eligibility"]),
        *(f"deadline.{deadline['kind']}" for deadline in answer["deadlines"]),
        *(f"flag.{name}" for name in answer["flags"]),
    }
    assert len(outputs) == len(set(outputs))


def test_the_text_page_says_why_each_answer_holds_and_when_it_would_change(tmp_path, capsys):
    """Yauhen's refugee travel document on its last valid day."""
    lines = page(tmp_path, capsys, YAUHEN, "2026-09-16")
    assert (
        under(lines, "Legal stay:")[0]
        == "    A residence title or protection grant covers this date."
    )
    assert (
        under(lines, "Right to work:")[0] == "    The title gives free access to the labour market."
    )
    travel = under(lines, "Travel document:")
    assert travel[2] == "    Would change on 17 September 2026, the facts unchanged."
    identity = under(lines, "Identity document:")
    assert identity[2].startswith(
        "    Among the values it reads, not verified: pl.identity_documents = national passport"
    )
    residence = under(lines, "    Permanent residence permit:")
    assert "        Would change on 2 May 2028, the facts unchanged." in residence[:13]


def test_the_text_page_names_the_doubtful_values_a_deadline_and_a_flag_read(tmp_path, capsys):
    kanstantsin = {
        "person": {"id": "kanstantsin", "citizenships": ["BY"], "birth_date": "1984-10-14"},
        "titles": [
            {
                "kind": "temporary_residence",
                "ground": "work",
                "valid_from": "2024-05-01",
                "valid_to": "2027-04-30",
            }
        ],
    }
    deadlines = under(page(tmp_path, capsys, kanstantsin, "2026-03-01"), "Deadlines:")
    doubt = "        Among the values it reads, not verified: pl.uoc.art252a.filing_deadline"
    assert deadlines[2] == "        Would change on 1 July 2026, the facts unchanged."
    assert deadlines[3] == f"{doubt} = 30 June 2026"
    mikhas = {
        "person": {"id": "mikhas", "citizenships": ["BY"], "birth_date": "1987-03-03"},
        "titles": [dict(kanstantsin["titles"][0], valid_from="2019-02-01", valid_to="2022-01-31")],
        "applications": [
            {"kind": "temporary_residence", "filed": "2022-01-28", "formally_complete": True}
        ],
    }
    flag = under(page(tmp_path, capsys, mikhas, "2022-02-10"), "    the right to work on this date")
    assert flag[1].startswith(
        "        Among the values it reads, not verified: pl.work.free_access_titles"
    )


def test_the_text_page_says_when_a_flag_would_be_lowered(tmp_path, capsys):
    """Maryia, born in Poland, has no identity document two days before she turns 18."""
    maryia = {
        "person": {
            "id": "maryia",
            "citizenships": ["BY"],
            "birth_date": "2008-11-30",
            "birth_country": "PL",
        },
        "titles": [{"kind": "refugee_status", "valid_from": "2022-01-10"}],
    }
    flag = under(page(tmp_path, capsys, maryia, "2026-11-28"), "    child without an identity doc")
    assert "        Would change on 30 November 2026, the facts unchanged." in flag[:3]
