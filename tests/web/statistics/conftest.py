"""Fixtures for the statistics pages. The official figures are the real extracts shipped with
legalstay (Eurostat, UNHCR; provenance in src/legalstay/stats/data/sources.yaml); every person
and every stored status here is invented.

``give_status`` writes a ``casework.PersonStatus`` directly, with the fields the caseload
statistics read set by the test: the counts under test are the test's, not the rules engine's.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone

from legalstay.web.registry.models import Person
from legalstay.web.statistics import services
from tests.web.conftest import make_person

AS_OF = dt.date(2026, 3, 31)
CASEWORK = "legalstay.web.casework"

needs_casework = pytest.mark.skipif(
    not apps.is_installed(CASEWORK), reason="casework (stored statuses) is not installed"
)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Drawings are cached per data version; each test starts without any.
    cache.clear()
    yield
    cache.clear()


def shipped_file(name: str) -> bytes:
    return resources.files("legalstay.stats").joinpath("data").joinpath(name).read_bytes()


RESVALID = "eurostat_migr_resvalid_BY.json"
RESFIRST = "eurostat_migr_resfirst_BY.json"
APPLICATIONS = "unhcr_asylum_applications_2015plus_POL_or_BLR_UKR_RUS.csv"
DECISIONS = "unhcr_asylum_decisions_2015plus_POL_or_BLR_UKR_RUS.csv"
PUBLISHED = "published_figures.csv"


@pytest.fixture
def shipped(db):
    """Every shipped extract imported (37,601 observations)."""
    return services.do_import_bundled(actor=None)


@pytest.fixture
def page_data(db):
    """The shipped extracts the page draws (all but UNHCR's population table): quicker."""
    uploads = [
        (name, shipped_file(name))
        for name in (RESVALID, RESFIRST, APPLICATIONS, DECISIONS, PUBLISHED)
    ]
    return services.do_import_uploads(actor=None, uploads=uploads, retrieved=dt.date(2026, 11, 26))


def give_status(person: Person, **fields: Any) -> Any:
    """Stores (or replaces) the person's status with the given fields over dull defaults."""
    status_model = apps.get_model("casework", "PersonStatus")
    defaults = {
        "as_of": AS_OF,
        "rulebook_version": "test",
        "legal_stay_status": "legal",
        "legal_stay_basis": "temporary_residence",
        "travel_document_valid": True,
        "travel_document_kind": "national_passport",
        "identity_document_valid": True,
        "identity_document_kind": "national_passport",
        "right_to_work": "yes",
        "flags": [],
        "irregular_stay": False,
        "no_valid_travel_document": False,
        "child_without_identity_document": False,
        "authority_late": False,
        "assessment": {},
        "fingerprint": "test",
        "computed_at": timezone.now(),
        **fields,
    }
    status, _ = status_model.objects.update_or_create(person=person, defaults=defaults)
    return status


def caseload(groups: list[tuple[int, str, dict[str, Any]]]) -> list[Person]:
    """``[(count, citizenship, status fields)]`` → that many invented persons with statuses."""
    persons = []
    for count, citizenship, fields in groups:
        for _ in range(count):
            person = make_person(given_names=f"Тэст{len(persons)}", citizenships=[citizenship])
            give_status(person, **fields)
            persons.append(person)
    return persons
