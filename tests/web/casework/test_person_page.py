"""The casework page of a person: status, documents and work with their reasons, the timeline,
deadlines, eligibility, and what the reform would change — in a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from tests.web.casework.conftest import days, make_pdpdc
from tests.web.conftest import make_stay

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook
from legalstay.web.casework.explanations import eligibility_rows
from legalstay.web.casework.models import PersonStatus
from legalstay.web.casework.scan import run_scan

pytestmark = pytest.mark.django_db


def page(client, person):
    return client.get(reverse("casework:person", kwargs={"uid": person.uid}))


def test_olgas_page_explains_her_status_with_the_provision_and_the_parameters(anna_client, olga):
    response = page(anna_client, olga)
    assert response.status_code == 200
    view = response.context["view"]
    stay, travel, _identity, work = view.answers
    assert stay.value.startswith("legal until") and "temporary residence" in stay.value
    assert stay.because == "A residence title or protection grant covers this date."
    assert stay.reference.startswith("UoC art. 98")
    assert travel.value.startswith("national passport, valid until")
    assert [p.name for p in travel.parameters] == ["pl.recognised_travel_documents"]
    assert travel.parameters[0].confidence == "medium confidence"
    assert work.value == "yes"
    assert view.then == (days(31), "none")  # nothing filed yet: irregular after the card
    assert not view.live  # the stored, explained status answered
    html = response.content.decode()
    assert "From " in html and "no legal basis" in html


def test_after_filing_the_page_says_what_follows_the_card(anna_client, olga):
    from tests.web.conftest import make_application

    make_application(olga, filed=days(0), completed_on=None, formally_complete=None)
    view = page(anna_client, olga).context["view"]
    assert view.then == (days(31), "pending_application")
    assert "pending application (art. 108)" in page(anna_client, olga).content.decode()


def test_the_timeline_is_a_picture_with_its_words(anna_client, olga):
    make_stay(olga, left=days(-200), returned=days(-180))
    response = page(anna_client, olga)
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", html, re.S)
    assert svg is not None
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg.group(0)
    assert svg.group(0).count('class="bar ') >= 5  # stay, title, two documents, abroad
    sentences = response.context["timeline"].sentences
    assert any(
        sentence.startswith("Legal stay (temporary residence) from") for sentence in sentences
    )
    assert any(sentence.startswith("Gap in legal stay from") for sentence in sentences)
    assert any(sentence.startswith("Abroad from") for sentence in sentences)


def stay_sentences(client, person):
    sentences = page(client, person).context["timeline"].sentences
    return [s for s in sentences if s.startswith(("Legal stay (", "Gap in legal stay"))]


def test_twenty_years_of_yearly_permits_end_on_the_timeline_where_the_last_ends(anna_client, db):
    # From the first permit 20 years back, the engine's 15-year search found no change, and
    # the stay was drawn as never ending, though the status said it ends in ten days.
    from tests.web.conftest import make_person, make_title

    last = days(10)
    mikalai = make_person(given_names="Мікалай", pesel="", birth_date=dt.date(1970, 1, 1))
    for back in range(20, -1, -1):
        end = last.replace(year=last.year - back)
        start = end.replace(year=end.year - 1) + dt.timedelta(days=1)
        make_title(mikalai, valid_from=start, valid_to=end)

    stay = stay_sentences(anna_client, mikalai)
    assert not stay[0].endswith("to …")
    assert stay[-1].startswith(f"Gap in legal stay from {day_words(days(11))}")


def test_a_permit_recorded_until_9999_reads_without_an_end_and_the_page_renders(anna_client, db):
    # A title until 9999-12-31 (the dossier format allows it) has no day after its end: the
    # page asked the rules about that day and failed with a server error.
    from tests.web.conftest import make_person, make_title

    jan = make_person(given_names="Ян", pesel="", birth_date=dt.date(1980, 1, 1))
    make_title(jan, valid_from=days(-100), valid_to=dt.date(9999, 12, 31))
    response = page(anna_client, jan)
    assert response.status_code == 200
    status = response.content.decode()
    assert "9999" not in status.split('class="timeline"')[0]  # "legal: …", no end date


def test_the_timeline_says_a_title_has_no_end_and_an_expiry_is_not_recorded(anna_client, db):
    # Polish read "od … do bezterminowo" and "ważny od … do nieodnotowanej daty".
    from tests.web.conftest import make_document, make_person, make_title

    jan = make_person(given_names="Ян", pesel="", birth_date=dt.date(1980, 1, 1))
    make_title(
        jan, kind="subsidiary_protection", ground="", valid_from=dt.date(2022, 1, 2), valid_to=None
    )
    make_document(jan, issued=dt.date(2023, 3, 10), expires=None)
    make_pdpdc(jan, issued=dt.date(2023, 3, 10))
    url = reverse("casework:person", kwargs={"uid": jan.uid})
    sentences = anna_client.get(url, HTTP_ACCEPT_LANGUAGE="pl").context["timeline"].sentences
    assert "ochrona uzupełniająca od 2 stycznia 2022, bezterminowo" in sentences
    # A Belarusian passport's expiry is Belarus's to say; a PDPdC's the rule gives (a year).
    assert any(s.endswith("od 10 marca 2023, termin ważności nieodnotowany") for s in sentences)
    assert any(
        s.endswith(
            "ważność od 10 marca 2023 do 10 marca 2024 (wyliczona: termin ważności nieodnotowany)"
        )
        for s in sentences
    )


def test_a_child_born_here_with_no_title_shows_a_gap_from_birth(anna_client, db):
    from tests.web.conftest import make_person

    born = days(-500)
    alesia = make_person(
        given_names="Алеся", pesel="", birth_date=born, birth_country="PL", arrived_on=None
    )

    assert stay_sentences(anna_client, alesia) == [f"Gap in legal stay from {day_words(born)} to …"]


def day_words(value):
    from legalstay.web.casework.explanations import day

    return day(value)


def test_the_reform_column_shows_only_what_differs(anna_client, ben):
    issued = days(-200)
    make_pdpdc(ben, issued)
    view = page(anna_client, ben).context["view"]
    answers = {answer.output: answer for answer in view.answers}
    assert answers["legal_stay"].reform is None
    until = issued.replace(year=issued.year + 3)
    assert answers["travel_document"].reform.endswith(
        f"valid until {until.day} {until:%B} {until.year}"
    )


def test_an_adult_reads_the_same_under_the_reform_where_only_its_new_route_is_unmet(
    anna_client, olga
):
    # The reform adds a children's route to the PDTC: Olga, an adult, is not met by it, but
    # her answer and the reasons she had stay the same, so no row says the reform differs.
    view = page(anna_client, olga).context["view"]
    identity = next(
        row for row in view.eligibility if row.name == "identity_document_for_foreigners"
    )
    assert identity.reform is None
    assert identity.reform_unmet == []


def test_eligibility_lists_what_is_unmet_and_what_is_unknown(anna_client, olga):
    view = page(anna_client, olga).context["view"]
    permanent = next(row for row in view.eligibility if row.name == "permanent_residence")
    assert "five years on protection" in [text for text, _ in permanent.unmet]
    assert "holds the Karta Polaka" in [text for text, _ in permanent.unknown]
    assert all(provision.startswith("UoC") for _, provision in permanent.unmet)


def test_an_eligibility_says_the_day_its_answer_would_change():
    # Alena's art. 252a window closes on 30 Jun 2026: the page says her PDPdC answer changes
    # on 1 Jul 2026.
    alena = dossier_from_dict(
        {
            "person": {"id": "alena", "citizenships": ["BY"], "birth_date": "1990-05-10"},
            "documents": [
                {
                    "kind": "national_passport",
                    "issuer": "BY",
                    "issued": "2015-03-01",
                    "expires": "2025-03-01",
                }
            ],
            "titles": [
                {
                    "kind": "temporary_residence",
                    "ground": "work",
                    "valid_from": "2024-01-01",
                    "valid_to": "2026-12-31",
                }
            ],
        }
    )
    assessment = load_rulebook().assess(alena, dt.date(2026, 6, 15))
    rows = {row.name: row for row in eligibility_rows(assessment, {})}
    assert rows["travel_document_for_foreigners"].tone == "ok"
    assert rows["travel_document_for_foreigners"].changes_on == dt.date(2026, 7, 1)


def test_a_document_of_unknown_validity_reads_unknown_not_none_valid(anna_client, olga):
    olga.documents.update(expires=None)
    PersonStatus.objects.filter(person=olga).delete()
    view = page(anna_client, olga).context["view"]
    travel = view.answers[1]
    assert (travel.value, travel.tone) == ("unknown", "warn")


def test_it_asks_only_for_facts_that_could_decide(anna_client, olga):
    # Olga holds no permit for a marriage or protection: her marriage date would change nothing.
    view = page(anna_client, olga).context["view"]
    permanent = next(row for row in view.eligibility if row.name == "permanent_residence")
    unknown = [text for text, _ in permanent.unknown]
    assert "married to a Polish citizen for three years" not in unknown
    assert "holds the Karta Polaka" in unknown
    # Five years of legal stay are short: her income would not decide either.
    long_term = next(row for row in view.eligibility if row.name == "eu_long_term_residence")
    assert [text for text, _ in long_term.unmet] == ["five years of counted legal stay"]
    assert long_term.unknown == []


def test_after_a_scan_the_page_computes_the_explanation_once_and_keeps_it(anna_client, olga):
    PersonStatus.objects.all().delete()
    run_scan(days(0))
    assert not PersonStatus.objects.get(person=olga).explained
    first = page(anna_client, olga).context["view"]
    assert first.live and not first.stale
    assert PersonStatus.objects.get(person=olga).explained
    assert not page(anna_client, olga).context["view"].live


def test_a_status_stored_under_an_older_rulebook_is_worked_out_again(anna_client, olga):
    PersonStatus.objects.filter(person=olga).update(rulebook_version="2020.1.1")
    view = page(anna_client, olga).context["view"]
    assert view.live and view.stale  # the law changed: computed now, the next scan stores it
    assert PersonStatus.objects.get(person=olga).rulebook_version == "2020.1.1"


def test_a_page_for_a_person_with_no_stored_status_says_so(anna_client, olga):
    PersonStatus.objects.all().delete()
    response = page(anna_client, olga)
    assert response.context["view"].live and response.context["view"].stale
    assert "no status is stored for this person yet" in response.content.decode()


def test_the_page_takes_a_bounded_number_of_queries(
    anna_client, olga, zoja, django_assert_max_num_queries
):
    with django_assert_max_num_queries(26):
        page(anna_client, olga)


def test_carl_cannot_open_the_page(carl_client, olga):
    assert page(carl_client, olga).status_code == 403


def test_an_unknown_person_is_not_found(anna_client, db):
    response = anna_client.get(
        reverse("casework:person", kwargs={"uid": "00000000-0000-0000-0000-000000000000"})
    )
    assert response.status_code == 404


def test_olgas_page_opens_on_a_leap_day(olga):
    # Two years on from 29 Feb is 28 Feb (KPA art. 57 § 3a), not an invalid date.
    import datetime as dt

    from legalstay.web.casework.person_page import status_view

    view, timeline = status_view(olga, None, dt.date(2028, 2, 29))
    assert view.answers and timeline.sentences


def test_a_no_to_work_the_research_does_not_settle_says_so_not_the_laws_no(anna_client, olga):
    # Olga's permit becomes tolerated stay: the research is silent on work there.
    olga.titles.update(kind="tolerated_stay", ground="", valid_to=None)
    PersonStatus.objects.filter(person=olga).delete()
    work = page(anna_client, olga).context["view"].answers[3]
    assert work.value == "not established (check by hand)"  # the JSON keeps "no"
    assert work.tone == "warn"
    assert work.because.startswith("No recorded title or certificate is known to give access")
    assert work.reference.startswith("the research does not say whether this title")


def test_an_irregular_stay_the_research_does_not_settle_says_so_not_the_laws_irregular():
    # Hanna filed for a permit while her stay rested on her protection case; the research does
    # not say whether that filing was timely, so her "irregular" is not the law's.
    from legalstay.web.casework.explanations import answers

    hanna = dossier_from_dict(
        {
            "format": "legalstay-dossier/1",
            "person": {"id": "hanna", "citizenships": ["BY"], "birth_date": "1992-04-04"},
            "applications": [
                {
                    "kind": "international_protection",
                    "filed": "2025-01-10",
                    "decision": {
                        "outcome": "refused",
                        "issued": "2025-09-20",
                        "delivered": "2025-09-25",
                        "final": "2025-10-20",
                    },
                },
                {"kind": "temporary_residence", "filed": "2025-09-01", "formally_complete": True},
            ],
        }
    )
    assessment = load_rulebook().assess(hanna, dt.date(2025, 11, 1))
    stay = answers(assessment, {})[0]
    assert assessment["legal_stay"]["status"] == "irregular"  # the JSON keeps the contract's
    assert stay.value == "not established (check by hand)"
    assert stay.tone == "warn"
    assert stay.because.startswith("No title or pending application is known to make the stay")
    assert "whether that filing is timely is not researched" in stay.reference


def test_a_child_born_here_without_a_title_reads_not_established_not_irregular():
    # Mikalai was born in Poland; the research gives no rule on a newborn's stay, and the
    # flag says so: the page must not state the law's "irregular" beside it.
    from legalstay.web.casework.explanations import answers

    mikalai = dossier_from_dict(
        {
            "format": "legalstay-dossier/1",
            "person": {
                "id": "mikalai",
                "citizenships": ["BY"],
                "birth_date": "2025-03-01",
                "birth_country": "PL",
            },
        }
    )
    assessment = load_rulebook().assess(mikalai, dt.date(2025, 11, 1))
    stay = answers(assessment, {})[0]
    assert assessment["legal_stay"]["status"] == "irregular"  # the JSON keeps the contract's
    assert "child_born_here_stay_not_researched" in assessment["flags"]
    assert stay.value == "not established (check by hand)"
    # Its citation names the question the research leaves open (2026.11.100), not "no basis".
    assert stay.because.endswith("check by hand (see the provision cited).")
    assert assessment["legal_stay"]["reference"].startswith("UoC (the stay of a child born in")


def test_an_irregular_stay_with_no_basis_at_all_reads_as_the_laws():
    from legalstay.web.casework.explanations import answers

    nobody = dossier_from_dict(
        {"format": "legalstay-dossier/1", "person": {"id": "pavel", "citizenships": ["BY"]}}
    )
    stay = answers(load_rulebook().assess(nobody, dt.date(2025, 11, 1)), {})[0]
    assert stay.value == "irregular"
    assert stay.tone == "bad"
    assert stay.because.startswith("No residence title, timely application")


def test_an_irregular_stay_of_one_recorded_as_a_polish_citizen_sends_to_the_flags():
    # Zosia is recorded as a Polish citizen: the rules for foreigners do not settle her stay,
    # and no citation says so, the flag does.
    from legalstay.web.casework.explanations import answers

    zosia = dossier_from_dict(
        {"format": "legalstay-dossier/1", "person": {"id": "zosia", "citizenships": ["PL"]}}
    )
    assessment = load_rulebook().assess(zosia, dt.date(2025, 11, 1))
    stay = answers(assessment, {})[0]
    assert "polish_citizen" in assessment["flags"]
    assert stay.value == "not established (check by hand)"
    assert stay.because.endswith("check by hand (see the flags).")
