"""The dossier: export, import, and a round trip that loses nothing."""

import datetime as dt
import json
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from legalstay.dossier import DossierError, dossier_from_dict, dossier_to_dict
from legalstay.web.registry import services
from legalstay.web.registry.dossiers import (
    bulk_import_dossiers,
    do_import_dossier,
    dossier_for_person_id,
)
from legalstay.web.registry.models import Application, Document, FamilyLink, Person, Title
from tests.web.conftest import (
    link,
    make_application,
    make_document,
    make_event,
    make_person,
    make_stay,
    make_title,
    mikola_with_a_bare_mother,
    td3_mrz,
)

pytestmark = pytest.mark.django_db


def dossier_command(*args):
    out = StringIO()
    call_command("dossier", *map(str, args), stdout=out)
    return out.getvalue()


def export_text(person_id):
    return dossier_command("export", person_id)


def export(person_id):
    return json.loads(export_text(person_id))


def import_file(tmp_path, data):
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dossier_command("import", path)


@pytest.fixture
def ben_with_everything(ben):
    services.do_update_person(
        actor=None,
        person=ben,
        changes={
            "pesel": "88031412355",
            "phone": "+48 500 000 001",
            "email": "ben@example.org",
            "address": "ul. Przykładowa 1, Warszawa",
            "facts": {"karta_polaka": False},
        },
    )
    make_document(ben, mrz=td3_mrz(), number="MP7654321", expires=dt.date(2030, 5, 4), issued=None)
    make_document(
        ben,
        kind="travel_document_for_foreigners",
        issuer="PL",
        number="ZP1",
        expires=None,
        status="lost",
    )
    make_title(ben, decision_number="SOC-II.6151.7.2022")
    make_title(
        ben, kind="subsidiary_protection", ground="", valid_from=dt.date(2026, 1, 10), valid_to=None
    )
    application = make_application(ben, suspended_at_party_request=True, submission_number="W-1")
    make_event(application)
    make_event(application, kind="delivered", date=dt.date(2026, 2, 5), outcome="")
    make_event(application, kind="appeal_filed", date=dt.date(2026, 2, 10), outcome="")
    make_application(
        ben,
        kind="travel_document_for_foreigners",
        formally_complete=None,
        completed_on=None,
        channel="",
    )
    make_stay(ben, reason="polish_university_programme")
    make_stay(ben, left=dt.date(2026, 10, 1), returned=None)
    mother = make_person(
        given_names="Марына", birth_date=dt.date(1960, 4, 1), sex="F", arrived_on=None
    )
    make_title(mother, kind="permanent_residence", ground="protection_5_years", valid_to=None)
    daughter = make_person(
        given_names="Алеся",
        birth_date=dt.date(2024, 2, 1),
        sex="F",
        arrived_on=None,
        birth_country="PL",
    )
    link(ben, mother, "parent")
    link(daughter, ben, "parent")
    return ben


def test_the_export_carries_every_registry_field(ben_with_everything):
    dossier = export(ben_with_everything.uid)

    person = dossier["person"]
    assert dossier["format"] == "legalstay-dossier/1"
    assert person["id"] == str(ben_with_everything.uid)
    assert person["names"] == {
        "surname": "Ясельчык",
        "given_names": "Бенядзікт",
        "surname_latin": "IASELCHYK",
        "given_names_latin": "BENIADZIKT",
    }
    assert (person["pesel"], person["sex"]) == ("88031412355", "M")
    assert person["contact"]["email"] == "ben@example.org"
    assert person["arrived_on"] == "2021-09-01"
    assert person["facts"] == {"karta_polaka": False}
    assert dossier["documents"][0]["mrz"] == td3_mrz()
    assert dossier["titles"][0]["decision_number"] == "SOC-II.6151.7.2022"
    assert dossier["titles"][1]["valid_to"] is None
    application = dossier["applications"][0]
    assert application["decision"] == {
        "outcome": "granted",
        "issued": "2026-02-02",
        "delivered": "2026-02-05",
        "final": None,
        "appeal_filed": "2026-02-10",
    }
    assert "events" not in application  # the decision says it all
    assert application["suspended_at_party_request"] is True
    assert application["channel"] == "mos"
    assert application["completed_on"] == "2025-12-20"
    assert [stay.get("reason") for stay in dossier["stays_abroad"]] == [
        "polish_university_programme",
        None,
    ]


def test_family_members_come_one_level_deep_with_their_titles(ben_with_everything):
    dossier = export(ben_with_everything.uid)

    [mother, daughter] = dossier["family"]
    assert mother["relation"] == "parent"
    assert mother["person"]["titles"][0]["kind"] == "permanent_residence"
    assert mother["person"]["family"] == []
    assert daughter["relation"] == "child"
    assert daughter["person"]["person"]["birth_country"] == "PL"


def test_export_import_into_an_empty_registry_and_export_again_is_identical(
    ben_with_everything, tmp_path
):
    first = export_text(ben_with_everything.uid)
    (tmp_path / "ben.json").write_text(first, encoding="utf-8")
    Person.objects.all().delete()

    dossier_command("import", tmp_path / "ben.json")
    second = export_text(ben_with_everything.uid)

    assert second == first
    assert Person.objects.get(uid=ben_with_everything.uid).pesel == "88031412355"
    assert Person.objects.count() == 3
    assert FamilyLink.objects.count() == 4


def test_events_that_the_decision_cannot_say_travel_as_events(ben, tmp_path):
    application = make_application(ben)
    make_event(application, date=dt.date(2026, 1, 5), outcome="refused")
    make_event(application, kind="appeal_filed", date=dt.date(2026, 1, 12), outcome="")
    make_event(application, date=dt.date(2026, 3, 1), outcome="granted")
    first = export_text(ben.uid)
    (tmp_path / "ben.json").write_text(first, encoding="utf-8")
    Person.objects.all().delete()

    dossier_command("import", tmp_path / "ben.json")

    assert len(json.loads(first)["applications"][0]["events"]) == 3
    assert export_text(ben.uid) == first


def test_a_decision_final_before_its_appeal_was_filed_round_trips_as_the_decision(tmp_path):
    # Ihar's refusal became final, then he filed a late appeal: the decision says both, in
    # the order they happened, with no events beside it.
    data = {
        "person": {"id": "ihar", "birth_date": "1985-06-01", "names": {"surname": "Ігараў"}},
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": "2025-12-15",
                "formally_complete": True,
                "decision": {
                    "outcome": "refused",
                    "issued": "2026-02-02",
                    "delivered": "2026-02-05",
                    "final": "2026-02-20",
                    "appeal_filed": "2026-03-01",
                },
            }
        ],
    }

    import_file(tmp_path, data)

    application = export("ihar")["applications"][0]
    assert "events" not in application
    assert application["decision"]["appeal_filed"] == "2026-03-01"


def test_unknown_fields_survive_the_registry(ben, tmp_path):
    data = dossier_to_dict(dossier_for_person_id(str(ben.uid)))
    data["notes_from_caseworker"] = {"kept": True, "a": [1, 2]}
    data["person"]["favourite_colour"] = "blue"
    data["documents"] = [
        {"kind": "birth_certificate", "issuer": "PL", "registry_office": "USC Warszawa"}
    ]
    import_file(tmp_path, data)

    again = export(ben.uid)

    assert again["notes_from_caseworker"] == {"a": [1, 2], "kept": True}
    assert again["person"]["favourite_colour"] == "blue"
    assert again["documents"][0]["registry_office"] == "USC Warszawa"


def test_an_import_replaces_the_facts_of_the_person_with_that_id(ben, tmp_path):
    make_document(ben)
    data = dossier_to_dict(dossier_for_person_id(str(ben.uid)))
    data["documents"] = []
    data["titles"] = [
        {
            "kind": "temporary_residence",
            "ground": "family",
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
        }
    ]

    import_file(tmp_path, data)

    assert not ben.documents.exists()
    assert list(ben.titles.values_list("ground", flat=True)) == ["family"]
    assert Person.objects.count() == 1


def test_a_dossier_with_a_foreign_id_gets_a_new_uid_and_keeps_its_id(tmp_path):
    data = {
        "person": {
            "id": "ngo-42",
            "birth_date": "1990-05-05",
            "citizenships": ["BLR"],
            "names": {"surname": "Коваль", "given_names": "Ганна"},
        },
        "titles": [{"id": "t-1", "kind": "subsidiary_protection", "valid_from": "2024-01-01"}],
    }

    import_file(tmp_path, data)
    import_file(tmp_path, data)  # the same file again updates, never duplicates

    person = Person.objects.get()
    assert person.external_id == "ngo-42"
    assert isinstance(person.uid, uuid.UUID)
    assert person.citizenships == ["BY"]
    assert person.surname_latin == "KOVAL"
    title = Title.objects.get()
    assert title.extra == {"external_id": "t-1"}


def test_a_title_id_another_person_holds_gets_a_new_id_on_import(ben, tmp_path):
    # Ihar's file reuses the id of Ben's title (copied from Ben's file, say): Ben keeps his
    # title, Ihar's gets an id of its own.
    title = make_title(ben)
    data = {
        "person": {"id": "ihar", "birth_date": "1985-06-01", "names": {"surname": "Ігараў"}},
        "titles": [
            {
                "id": str(title.uid),
                "kind": "temporary_residence",
                "ground": "work",
                "valid_from": "2024-01-01",
                "valid_to": "2026-12-31",
            }
        ],
    }

    import_file(tmp_path, data)

    assert Title.objects.get(person=ben).uid == title.uid
    assert Title.objects.get(person__external_id="ihar").uid != title.uid


def test_a_dossier_with_a_new_uuid_creates_the_person_with_it(tmp_path):
    uid = "3f2b8c3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"

    import_file(tmp_path, {"person": {"id": uid, "names": {"surname_latin": "KOVAL"}}})

    assert str(Person.objects.get().uid) == uid


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"person": {"id": "x", "names": {"surname": "Коваль"}, "pesel": "90010100008"}},
            "person.pesel",
        ),
        ({"person": {"id": "x"}}, "person.names.surname"),
        (
            {"person": {"id": "x", "names": {"surname": "Коваль"}, "languages": ["xx"]}},
            "person.languages",
        ),
        ({"documents": [{"kind": "national_passport", "issuer": "QQ"}]}, "documents[0].issuer"),
        ({"documents": [{"kind": "national_passport", "mrz": "P<BLR\nX"}]}, "documents[0].mrz"),
        (
            {
                "applications": [
                    {"kind": "visa", "filed": "2025-01-01", "completed_on": "2024-01-01"}
                ]
            },
            "applications[0].completed_on",
        ),
        ({"family": [{"relation": "parent", "person": "no-such-person"}]}, "family[0].person"),
        (
            # One passport recorded twice (the second time its number typed with a space).
            {
                "documents": [
                    {"kind": "national_passport", "issuer": "BY", "number": "MP1234567"},
                    {"kind": "national_passport", "issuer": "BY", "number": "mp 1234567"},
                ]
            },
            "documents[1].number",
        ),
        (
            {
                "family": [
                    {
                        "relation": "parent",
                        "person": {
                            "id": "p",
                            "birth_date": "2000-01-01",
                            "names": {"surname": "Коваль"},
                        },
                    }
                ]
            },
            "family[0].person.birth_date",
        ),
    ],
)
def test_a_bad_dossier_exits_2_naming_the_field_and_stores_nothing(tmp_path, change, field):
    data = {
        "person": {"id": "x", "birth_date": "1990-01-01", "names": {"surname": "Коваль"}},
        **change,
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("dossier", "import", str(path))

    assert error.value.returncode == 2
    assert f"bad.json: {field}: " in str(error.value)
    assert not Person.objects.exists()


def test_a_relatives_document_recorded_twice_is_refused_at_its_path_and_nothing_stored(db):
    passport = {"kind": "national_passport", "issuer": "BY", "number": "MP1234567"}
    mother = {
        "person": {"id": "m", "birth_date": "1960-04-01", "names": {"surname": "Коваль"}},
        "documents": [passport, {**passport, "status": "lost"}],
    }
    data = {
        "person": {"id": "x", "birth_date": "1990-01-01", "names": {"surname": "Коваль"}},
        "family": [{"relation": "parent", "person": mother}],
    }

    with pytest.raises(DossierError) as error:
        do_import_dossier(dossier_from_dict(data))

    assert error.value.field == "family[0].person.documents[1].number"
    assert str(error.value).endswith(
        "A document of this kind and issuer with this number is already recorded for this person."
    )
    assert not Person.objects.exists()
    assert not Document.objects.exists()


def test_a_dossier_holding_a_passport_another_person_holds_is_refused_without_naming_them(ben):
    make_document(ben)
    data = {
        "person": {"id": "x", "birth_date": "1990-01-01", "names": {"surname": "Коваль"}},
        "documents": [{"kind": "national_passport", "issuer": "BY", "number": "MP1234567"}],
    }

    with pytest.raises(DossierError) as error:
        do_import_dossier(dossier_from_dict(data))

    assert error.value.field == "documents[0].number"
    assert str(error.value).endswith(
        "A document of this kind and issuer with this number is already recorded in the "
        "registry for another person."
    )
    for his in (str(ben.uid), ben.surname, ben.surname_latin):
        assert his not in str(error.value)
    assert Person.objects.get() == ben


def test_documents_without_a_number_are_never_taken_for_one_another(db):
    certificate = {"kind": "birth_certificate", "issuer": "BY"}
    data = {
        "person": {"id": "x", "birth_date": "1990-01-01", "names": {"surname": "Коваль"}},
        "documents": [certificate, {**certificate, "number": ""}, {"kind": "national_passport"}],
    }

    person = do_import_dossier(dossier_from_dict(data))

    assert person.documents.count() == 3


def test_a_persons_own_dossier_imported_again_keeps_her_documents(ben, tmp_path):
    make_document(ben)
    make_document(ben, kind="residence_card", issuer="PL", number="RC1", expires=None)
    first = export_text(ben.uid)
    (tmp_path / "ben.json").write_text(first, encoding="utf-8")

    dossier_command("import", tmp_path / "ben.json")

    assert export_text(ben.uid) == first


def test_a_file_that_is_not_json_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("dossier", "import", str(path))

    assert error.value.returncode == 2
    assert "$: not valid JSON" in str(error.value)


def test_a_file_that_is_not_utf8_exits_2_naming_the_byte_and_stores_nothing(tmp_path):
    # Saved as Windows-1251 by an older tool: "Коваль" is not UTF-8. It stopped on a traceback.
    path = tmp_path / "cp1251.json"
    path.write_bytes('{"person": {"id": "x", "names": {"surname": "Коваль"}}}'.encode("cp1251"))

    with pytest.raises(CommandError) as error:
        call_command("dossier", "import", str(path))

    assert error.value.returncode == 2
    assert str(error.value) == (
        f"{path}: $: is not UTF-8 text (byte 0xca at offset 45); save it as UTF-8"
    )
    assert not Person.objects.exists()


def test_exporting_an_unknown_person_exits_2(db):
    with pytest.raises(CommandError) as error:
        call_command("dossier", "export", "00000000-0000-4000-8000-000000000000")

    assert error.value.returncode == 2


def test_export_writes_a_file_with_out(ben, tmp_path):
    out = tmp_path / "ben.json"

    call_command("dossier", "export", str(ben.uid), "--out", str(out))

    assert dossier_from_dict(json.loads(out.read_text(encoding="utf-8"))).person.id == str(ben.uid)


def test_import_prints_only_the_id(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps({"person": {"id": "ngo-1", "names": {"surname": "Коваль"}}}), encoding="utf-8"
    )
    out = StringIO()

    call_command("dossier", "import", str(path), stdout=out)

    uid = Person.objects.get().uid
    assert out.getvalue() == f"Imported person {uid}\n"


def test_the_registry_choices_are_the_dossier_formats():
    from legalstay import dossier
    from legalstay.web.registry import models

    assert tuple(models.DocumentKind.values) == dossier.DOCUMENT_KINDS
    assert tuple(models.DocumentStatus.values) == dossier.DOCUMENT_STATUSES
    assert tuple(models.TitleKind.values) == dossier.TITLE_KINDS
    assert tuple(models.ApplicationKind.values) == dossier.APPLICATION_KINDS
    assert tuple(models.Outcome.values) == dossier.OUTCOMES
    assert tuple(models.Relation.values) == dossier.RELATIONS


def test_do_import_dossier_raises_dossier_error_with_the_field(db):
    bad = dossier_from_dict({"person": {"id": "x", "names": {"surname": "К"}, "pesel": "123"}})

    with pytest.raises(DossierError) as error:
        do_import_dossier(bad)

    assert error.value.field == "person.pesel"
    assert not Application.objects.exists()


def test_a_bulk_load_refuses_a_repeated_pesel_naming_the_dossiers_not_the_number(db):
    def person(person_id):
        return dossier_from_dict(
            {
                "person": {
                    "id": person_id,
                    "birth_date": "1990-01-01",
                    "sex": "F",
                    "names": {"surname": "Коваль"},
                    "pesel": "90010100009",
                }
            }
        )

    with pytest.raises(DossierError) as error:
        bulk_import_dossiers([person("1"), person("2")])

    assert str(error.value) == "person.pesel: dossier '2' repeats the PESEL of dossier '1'"


def test_a_bulk_load_refuses_a_link_to_a_person_outside_the_caseload(db):
    lonely = dossier_from_dict(
        {
            "person": {"id": "1", "names": {"surname": "Коваль"}},
            "family": [{"relation": "spouse", "person": "99"}],
        }
    )

    with pytest.raises(DossierError, match="'99' is not a person of this caseload"):
        bulk_import_dossiers([lonely])


def test_a_bulk_load_keeps_a_person_known_only_by_who_she_is(db):
    bare = {"id": "1", "names": {"surname": "Коваль"}, "episodes_recorded": False}
    bulk_import_dossiers([dossier_from_dict({"person": bare})])

    assert Person.objects.get().episodes_recorded is False


def test_a_bulk_load_links_a_daughter_and_her_mother_each_way_round(db):
    mother = {"person": {"id": "mama", "birth_date": "1980-01-01", "names": {"surname": "Коваль"}}}
    daughter = {
        "person": {"id": "dachka", "birth_date": "2015-01-01", "names": {"surname": "Коваль"}},
        "family": [{"relation": "parent", "person": "mama"}],
    }

    bulk_import_dossiers([dossier_from_dict(mother), dossier_from_dict(daughter)])

    assert [link["relation"] for link in export("mama")["family"]] == ["child"]
    assert [link["relation"] for link in export("dachka")["family"]] == ["parent"]


def test_a_bulk_load_stores_a_document_number_as_the_mrz_prints_it(db):
    # As a document saved one by one is: search compacts the number it is asked for and
    # would not find Nina's passport under the number as typed in her file.
    data = {
        "person": {"id": "nina", "birth_date": "1980-01-01", "names": {"surname": "Коваль"}},
        "documents": [
            {
                "kind": "national_passport",
                "issuer": "BY",
                "number": "mp 123-45",
                "expires": "2030-01-01",
            }
        ],
    }

    bulk_import_dossiers([dossier_from_dict(data)])

    assert Document.objects.get().number == "MP12345"


def test_an_import_may_move_a_birth_date_together_with_the_family_that_forbade_it(ben, tmp_path):
    old_child = make_person(given_names="Алесь", birth_date=dt.date(2015, 1, 1), arrived_on=None)
    link(ben, old_child, "child")
    data = dossier_to_dict(dossier_for_person_id(str(ben.uid)))
    data["person"]["birth_date"] = "2016-01-01"
    data["person"].pop("arrived_on")
    data["family"] = []

    import_file(tmp_path, data)

    ben.refresh_from_db()
    assert ben.birth_date == dt.date(2016, 1, 1)
    assert not FamilyLink.objects.exists()


def test_an_import_updates_a_relative_already_registered_from_their_nested_dossier(
    ben_with_everything, tmp_path
):
    # Ben's file comes back with his mother's permanent residence replaced by a permit: the
    # registry holds what the file says, as `legalstay assess` on the file reads it.
    data = export(ben_with_everything.uid)
    mother = data["family"][0]["person"]
    mother["titles"] = [
        {
            "kind": "temporary_residence",
            "ground": "work",
            "valid_from": "2024-01-01",
            "valid_to": "2026-12-31",
        }
    ]

    import_file(tmp_path, data)

    [title] = export(ben_with_everything.uid)["family"][0]["person"]["titles"]
    assert {key: title[key] for key in mother["titles"][0]} == mother["titles"][0]
    assert Person.objects.count() == 3


def test_a_relative_given_by_id_keeps_what_the_registry_holds(ben_with_everything, tmp_path):
    data = export(ben_with_everything.uid)
    mother_titles = data["family"][0]["person"]["titles"]
    data["family"][0]["person"] = data["family"][0]["person"]["person"]["id"]

    import_file(tmp_path, data)

    assert export(ben_with_everything.uid)["family"][0]["person"]["titles"] == mother_titles


def test_a_decision_edited_beside_events_that_say_otherwise_is_refused(ben, tmp_path):
    # Ben's refusal travels as events (a summons came first); the file's decision, edited
    # to add its delivery, would be lost if the events were stored as they are.
    application = make_application(ben)
    make_event(application, kind="summons", date=dt.date(2026, 1, 5), outcome="")
    make_event(application, date=dt.date(2026, 2, 2), outcome="refused")
    data = export(ben.uid)
    assert data["applications"][0]["events"]
    data["applications"][0]["decision"]["delivered"] = "2026-02-06"
    path = tmp_path / "ben.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("dossier", "import", str(path))

    assert "applications[0].decision: does not say what applications[0].events say" in str(
        error.value
    )
    assert export(ben.uid)["applications"][0]["decision"]["delivered"] is None


def test_a_decision_field_the_registry_would_confuse_with_the_event_is_refused(db, tmp_path):
    data = {
        "person": {"id": "x", "birth_date": "1990-01-01", "names": {"surname": "Коваль"}},
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": "2025-06-01",
                "decision": {"outcome": "refused", "issued": "2025-10-01", "date": "2025-06-02"},
            }
        ],
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("dossier", "import", str(path))

    assert "applications[0].decision.date: is not a field of a decision" in str(error.value)
    assert not Person.objects.exists()


def test_a_bare_relative_imported_is_written_back_bare_and_her_permits_stay_unknown(tmp_path):
    import_file(tmp_path, mikola_with_a_bare_mother())

    hanna = Person.objects.get(external_id="hanna")
    exported = export("mikola")
    assert hanna.episodes_recorded is False
    assert set(exported["family"][0]["person"]) >= {"id", "birth_date"}
    assert "titles" not in exported["family"][0]["person"]  # bare, not "no titles"
    dossier = dossier_for_person_id("mikola")
    assert dossier.family[0].bare is True
    assert dossier_from_dict(exported).family[0].bare is True


def test_a_permit_added_for_a_bare_relative_makes_her_record_complete(tmp_path):
    import_file(tmp_path, mikola_with_a_bare_mother())
    hanna = Person.objects.get(external_id="hanna")

    make_title(hanna)

    hanna.refresh_from_db()
    assert hanna.episodes_recorded is True
    assert export("mikola")["family"][0]["person"]["titles"]


def test_a_relative_nested_with_no_permits_is_recorded_as_holding_none(tmp_path):
    data = mikola_with_a_bare_mother()
    data["family"][0]["person"] = {"person": data["family"][0]["person"], "titles": []}

    import_file(tmp_path, data)

    assert Person.objects.get(external_id="hanna").episodes_recorded is True
    assert export("mikola")["family"][0]["person"]["titles"] == []


def test_a_relative_written_with_her_permit_beside_her_id_is_stored_with_it(tmp_path):
    # Hanna's refugee status written beside her id and birth date, not in a dossier of her
    # own: she is stored with it, and written back as the nested dossier it meant.
    data = mikola_with_a_bare_mother()
    refugee = {"kind": "refugee_status", "valid_from": "2019-01-01"}
    data["family"][0]["person"]["titles"] = [refugee]

    import_file(tmp_path, data)

    hanna = Person.objects.get(external_id="hanna")
    assert hanna.episodes_recorded is True
    assert [title.kind for title in hanna.titles.all()] == ["refugee_status"]
    relative = export("mikola")["family"][0]["person"]
    assert relative["person"]["birth_date"] == hanna.birth_date.isoformat()
    assert [title["kind"] for title in relative["titles"]] == ["refugee_status"]


def test_a_refusal_recorded_delivered_without_its_issue_day_is_imported_and_exported(tmp_path):
    # Dzianis's file records the refusal's delivery, not the day it was issued: the reader
    # takes it as issued by then, and so must the registry.
    data = {
        "person": {"id": "dzianis", "birth_date": "1985-06-01", "names": {"surname": "Дзянісаў"}},
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": "2025-12-15",
                "formally_complete": True,
                "decision": {"outcome": "refused", "delivered": "2026-10-01"},
            }
        ],
    }

    import_file(tmp_path, data)

    decision = export("dzianis")["applications"][0]["decision"]
    assert (decision["outcome"], decision["issued"], decision["delivered"]) == (
        "refused",
        None,
        "2026-10-01",
    )


def test_a_channel_written_in_capitals_is_imported_as_the_dossier_reader_reads_it(tmp_path):
    # "Paper" is paper to the assessment: the registry must keep it so, not refuse it.
    data = {
        "person": {"id": "alesia", "birth_date": "1990-02-01", "names": {"surname": "Алеся"}},
        "applications": [
            {"kind": "temporary_residence", "filed": "2026-05-15", "channel": "Paper"}
        ],
    }

    import_file(tmp_path, data)

    assert export("alesia")["applications"][0]["channel"] == "paper"


def test_a_bare_relative_exported_on_her_own_and_imported_back_stays_known_only_by_who_she_is(
    tmp_path,
):
    import_file(tmp_path, mikola_with_a_bare_mother())
    hanna_file = export("hanna")
    assert hanna_file["person"]["episodes_recorded"] is False

    import_file(tmp_path, hanna_file)

    assert Person.objects.get(external_id="hanna").episodes_recorded is False
    assert "titles" not in export("mikola")["family"][0]["person"]


def test_a_file_without_a_family_keeps_the_links_the_registry_holds(ben_with_everything, tmp_path):
    # Ben's own file, written without a family (as a person's own file often is): his
    # daughter's link to him, and his to his mother, stay; her routes through him are intact.
    data = export(ben_with_everything.uid)
    del data["family"]

    import_file(tmp_path, data)

    assert FamilyLink.objects.filter(person=ben_with_everything).count() == 2
    assert [link["relation"] for link in export(ben_with_everything.uid)["family"]] == [
        "parent",
        "child",
    ]


def test_a_relatives_own_relatives_are_refused_rather_than_dropped(ben, tmp_path):
    # Ben's mother nested with her own husband: the registry stores one level per import.
    data = export(ben.uid)
    father = {"person": {"id": "ben-father", "birth_date": "1958-01-01"}, "titles": []}
    mother = {
        "person": {"id": "ben-mother", "birth_date": "1960-04-01"},
        "titles": [],
        "family": [{"relation": "spouse", "person": father}],
    }
    data["family"] = [{"relation": "parent", "person": mother}]

    with pytest.raises(DossierError) as error:
        do_import_dossier(dossier_from_dict(data))

    assert error.value.field == "family[0].person.family"
    assert not FamilyLink.objects.exists()
    assert Person.objects.count() == 1
