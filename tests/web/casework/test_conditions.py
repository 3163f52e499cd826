"""What a stored assessment puts on the worklists and which alerts it raises: the columns and
alert conditions worked out from it on a day, with no database. The scan and every edit store
these, so a slip here shows on every worklist at once."""

import datetime as dt

from legalstay.web.casework.conditions import alert_conditions, stored_columns

AS_OF = dt.date(2026, 11, 27)


def on_residence(**changes):
    """An assessment on 27 Nov 2026 of someone on temporary residence until June 2027, who
    travels on a Polish travel document for foreigners, holds a residence card and may work."""
    assessment = {
        "rulebook_version": "test",
        "legal_stay": {"status": "legal", "basis": "temporary_residence", "until": "2027-06-01"},
        "travel_document": {
            "valid": True,
            "kind": "travel_document_for_foreigners",
            "until": "2030-01-01",
        },
        "identity_document": {"valid": True, "kind": "residence_card", "until": "2027-06-01"},
        "right_to_work": {"status": "free"},
        "flags": [],
        "deadlines": [],
    }
    return {**assessment, **changes}


def deadline(kind, due):
    return {"kind": kind, "due": due, "reference": "(a provision)"}


def test_the_travel_document_column_names_the_travel_document_not_the_identity_document():
    columns = stored_columns(on_residence(), [], AS_OF)
    assert columns["travel_document_kind"] == "travel_document_for_foreigners"


def test_a_deadline_due_today_is_still_the_next_deadline():
    # The last day to file is today: the worklist must still show it, not the one after.
    assessment = on_residence(
        legal_stay={"status": "legal", "basis": "temporary_residence", "until": "2026-11-27"},
        deadlines=[deadline("file_temporary_residence", "2026-11-27")],
    )
    columns = stored_columns(assessment, [], AS_OF)
    assert (columns["next_deadline_kind"], columns["next_deadline_due"]) == (
        "file_temporary_residence",
        AS_OF,
    )


def test_the_authoritys_deadline_to_decide_is_not_the_persons_next_deadline():
    assessment = on_residence(
        deadlines=[deadline("authority_decision", "2026-12-01"), deadline("appeal", "2026-12-20")]
    )
    assert stored_columns(assessment, [], AS_OF)["next_deadline_kind"] == "appeal"


def test_a_deadline_seven_days_ahead_raises_an_alert():
    assessment = on_residence(deadlines=[deadline("appeal", "2026-12-04")])
    assert "deadline_near:appeal:2026-12-04" in alert_conditions(assessment, [], AS_OF)


def test_a_passport_expiring_today_raises_an_alert():
    passport = {"valid": True, "kind": "national_passport", "until": "2026-11-27"}
    keys = alert_conditions(on_residence(travel_document=passport), [], AS_OF)
    assert "document_expiring:national_passport:2026-11-27" in keys


def test_an_ending_stay_raises_an_alert_only_while_an_application_is_still_to_be_filed():
    ending = {"status": "legal", "basis": "temporary_residence", "until": "2026-12-10"}
    filed = alert_conditions(on_residence(legal_stay=ending), [], AS_OF)
    assert not [key for key in filed if key.startswith("stay_ending")]
    to_file = on_residence(
        legal_stay=ending, deadlines=[deadline("file_temporary_residence", "2026-12-10")]
    )
    assert [key for key in alert_conditions(to_file, [], AS_OF) if key.startswith("stay_ending")]


def test_a_case_late_if_its_suspension_ended_is_on_the_authority_late_worklist():
    assessment = on_residence(flags=["authority_late_if_suspension_ended"])
    assert stored_columns(assessment, [], AS_OF)["authority_late"]


def test_an_expiring_residence_card_raises_no_document_alert_of_its_own():
    # The card ends with its title, which the stay-ending alert already covers.
    card = {"valid": True, "kind": "residence_card", "until": "2026-12-10"}
    keys = alert_conditions(on_residence(identity_document=card), [], AS_OF)
    assert not [key for key in keys if key.startswith("document_expiring")]
