"""Worklists: who is on which, whose, in which order, page by page, as CSV — plain queries on
stored statuses, a fixed number of them however many persons."""

import csv
import io

import pytest
from django.urls import reverse
from tests.web.casework.conftest import assign, days, make_olga
from tests.web.conftest import make_document, make_person, make_title

from legalstay.web.casework import access
from legalstay.web.casework.models import PersonStatus

pytestmark = pytest.mark.django_db


def names(response):
    return [row["person__given_names_latin"] for row in response.context["page"].object_list]


def worklist(client, slug, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(reverse("casework:worklist", kwargs={"slug": slug}) + f"?{query}")


@pytest.fixture
def caseload(anna, dora, warsaw, emil):
    """Olga (Anna's, stay ends in 30 days), Ben (Dora's, irregular and no passport), Zina
    (Warsaw team, stay ends in 80 days), Ira (Emil's, PDPdC renewal in 5 days)."""
    olga = make_olga()
    ben = make_person()
    zina = make_olga(given_names="Зіна", surname="Зайцава")
    make_title(zina, valid_from=days(-10), valid_to=days(80))
    ira = make_person(given_names="Ірына", surname="Іваненка")
    make_title(ira, valid_from=days(-100), valid_to=days(900))
    make_document(
        ira,
        kind="travel_document_for_foreigners",
        issuer="PL",
        number="AB7654321",
        issued=days(5).replace(year=days(5).year - 1),
        expires=days(5),
    )
    assign(olga, anna, warsaw)
    assign(ben, dora, warsaw)
    assign(zina, None, warsaw)
    assign(ira, emil)
    return {"olga": olga, "ben": ben, "zina": zina, "ira": ira}


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("due-7", ["IRYNA"]),
        ("due-30", ["IRYNA", "VOLHA"]),
        ("due-90", ["IRYNA", "VOLHA", "ZINA"]),
        ("irregular", ["BENIADZIKT"]),
        ("no-travel-document", ["BENIADZIKT"]),
        ("overdue", []),
        ("authority-late", []),
    ],
)
def test_each_worklist_holds_the_persons_its_condition_selects(
    anna_client, caseload, slug, expected
):
    response = worklist(anna_client, slug, scope="all")
    assert response.status_code == 200
    assert names(response) == expected


def test_mine_my_teams_and_everyones(anna_client, caseload):
    assert names(worklist(anna_client, "due-90")) == ["VOLHA"]  # mine by default
    assert names(worklist(anna_client, "due-90", scope="team")) == ["VOLHA", "ZINA"]
    assert names(worklist(anna_client, "due-90", scope="all")) == ["IRYNA", "VOLHA", "ZINA"]


def test_a_deadline_that_passed_since_the_last_scan_counts_as_overdue(anna_client, caseload):
    PersonStatus.objects.filter(person=caseload["ira"]).update(next_deadline_due=days(-1))
    assert names(worklist(anna_client, "overdue", scope="all")) == ["IRYNA"]


def test_sorting_by_name_and_by_deadline(anna_client, caseload):
    by_name = worklist(anna_client, "due-90", scope="all", sort="name")
    assert names(by_name) == ["IRYNA", "VOLHA", "ZINA"]  # Ivanenka, Rybak, Zaitsava
    by_stay = worklist(anna_client, "due-90", scope="all", sort="stay")
    assert names(by_stay) == ["VOLHA", "ZINA", "IRYNA"]


def test_a_long_list_sorted_by_name_comes_in_the_same_order(anna_client, caseload, monkeypatch):
    # A short list is read whole and sorted, a long one walks the name index: same order.
    monkeypatch.setattr(access, "SHORT_LIST", 1)
    by_name = worklist(anna_client, "due-90", scope="all", sort="name")
    assert names(by_name) == ["IRYNA", "VOLHA", "ZINA"]


def test_a_worklist_page_takes_the_same_queries_for_3_persons_or_60(
    anna_client, caseload, django_assert_num_queries
):
    # session, user, count, page (and the request's savepoint and its release)
    with django_assert_num_queries(6):
        worklist(anna_client, "due-90", scope="all")
    for number in range(57):
        make_olga(given_names=f"Олга{number}")
    with django_assert_num_queries(6):
        response = worklist(anna_client, "due-90", scope="all")
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 60


def test_the_dashboard_counts_each_worklist_with_one_query_per_scope(
    anna_client, caseload, django_assert_num_queries
):
    # session, user, savepoint and release; 8 worklists for mine, team, all; alerts; last scan
    with django_assert_num_queries(4 + 8 * 3 + 2):
        response = anna_client.get(reverse("casework:dashboard"))
    rows = {worklist.slug: dict(cells) for worklist, cells in response.context["rows"]}
    assert rows["due-90"] == {"mine": 1, "team": 2, "all": 3}
    assert rows["irregular"] == {"mine": 0, "team": 1, "all": 1}


def test_a_worklist_exports_as_csv(anna_client, caseload):
    response = anna_client.get(
        reverse("casework:worklist_csv", kwargs={"slug": "due-90"}) + "?scope=team"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["person", "surname", "given_names"]
    assert [row[2] for row in rows[1:]] == ["VOLHA", "ZINA"]
    assert rows[1][rows[0].index("next_deadline_due")] == days(30).isoformat()
    assert rows[1][rows[0].index("caseworker")] == "anna"


def test_an_unknown_worklist_is_not_found(anna_client):
    assert worklist(anna_client, "nobody").status_code == 404


def test_carl_sees_no_worklist(carl_client, db):
    assert worklist(carl_client, "due-7").status_code == 403
    assert carl_client.get(reverse("casework:dashboard")).status_code == 403
