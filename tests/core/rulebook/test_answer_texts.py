"""What the explanation's texts tell a caseworker: the reason for an unknown, and each flag's."""

import datetime as dt

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook

# Ksenia: a Belarusian passport recorded without its expiry (Belarus sets its validity).
KSENIA = {
    "person": {"id": "ksenia", "citizenships": ["BY"], "birth_date": "1990-03-01"},
    "documents": [{"kind": "national_passport", "issuer": "BY", "issued": "2015-01-01"}],
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "work",
            "valid_from": "2024-05-01",
            "valid_to": "2027-04-30",
        }
    ],
}


def _item(assessment, output):
    return next(item for item in assessment["explanation"] if item["output"] == output)


def test_an_unknown_travel_document_says_its_expiry_is_missing_not_a_rule_of_2014():
    assessment = load_rulebook().assess(dossier_from_dict(KSENIA), dt.date(2026, 1, 1))
    assert assessment["travel_document"]["valid"] is None
    text = _item(assessment, "travel_document")["text"]
    assert "recorded without its expiry" in text
    assert "1 May 2014" not in text


def test_a_granted_permit_not_recorded_says_why_the_stay_may_read_irregular():
    # Ksenia's renewal was granted and is final, but the new permit was never recorded.
    raw = {
        **KSENIA,
        "applications": [
            {
                "kind": "temporary_residence",
                "filed": "2027-03-01",
                "formally_complete": True,
                "decision": {
                    "outcome": "granted",
                    "issued": "2027-04-10",
                    "delivered": "2027-04-12",
                    "final": "2027-04-27",
                },
            }
        ],
    }
    assessment = load_rulebook().assess(dossier_from_dict(raw), dt.date(2027, 6, 1))
    assert "granted_title_not_recorded" in assessment["flags"]
    text = _item(assessment, "flag.granted_title_not_recorded")["text"]
    assert "record the title" in text


def test_a_work_permit_reads_as_work_on_its_terms_not_free_access():
    assessment = load_rulebook().assess(dossier_from_dict(KSENIA), dt.date(2026, 1, 1))
    assert assessment["right_to_work"]["status"] == "yes"
    assert "not free access" in assessment["right_to_work"]["reference"]


def test_records_listed_in_another_order_are_explained_alike():
    # Ksenia's two applications, the older discontinued and the newer refused, both decisions
    # delivered but not recorded final: which appeal period the flag cites read its value
    # from the first row listed (the metamorphic audit of the twenty-seventh session).
    older = {
        "kind": "temporary_residence",
        "filed": "2019-03-01",
        "formally_complete": True,
        "decision": {"outcome": "discontinued", "issued": "2019-09-17", "delivered": "2019-09-20"},
    }
    newer = {
        "kind": "temporary_residence",
        "filed": "2025-05-20",
        "formally_complete": True,
        "decision": {"outcome": "refused", "issued": "2025-07-19", "delivered": "2025-07-22"},
    }
    rulebook, as_of = load_rulebook(), dt.date(2026, 1, 1)
    listed = [
        rulebook.assess(dossier_from_dict({**KSENIA, "applications": order}), as_of)
        for order in ([older, newer], [newer, older])
    ]
    assert "decision_finality_inferred" in listed[0]["flags"]
    assert listed[0] == listed[1]
