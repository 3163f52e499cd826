"""Every write to a person's facts says so, inside its transaction, with the persons it touched.

Ben's facts change in each way a caseworker can change them; a receiver hears each change once
per write, with Ben's id (and his mother's, when a family link between them changes).
"""

import datetime as dt

import pytest

from legalstay.web.registry import services
from legalstay.web.registry.signals import person_facts_changed
from tests.web.conftest import (
    link,
    make_application,
    make_document,
    make_event,
    make_person,
    make_stay,
    make_title,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls: list[frozenset[int]] = []

    def receiver(sender, person_ids, **kwargs):
        calls.append(person_ids)

    person_facts_changed.connect(receiver, dispatch_uid="test-heard")
    yield calls
    person_facts_changed.disconnect(dispatch_uid="test-heard")


def test_each_fact_written_for_ben_is_announced_with_his_id(ben, heard):
    document = make_document(ben)
    title = make_title(ben)
    application = make_application(ben)
    event = make_event(application)
    stay = make_stay(ben)
    services.do_update_document(actor=None, document=document, changes={"status": "lost"})
    services.do_update_person(actor=None, person=ben, changes={"sex": "M"})
    for fact in (event, title, stay, document, application):
        services.do_remove_fact(actor=None, fact=fact)
    assert heard == [frozenset({ben.pk})] * 12


def test_linking_and_unlinking_ben_and_his_mother_announces_both(ben, heard):
    mother = make_person(given_names="Марына", birth_date=dt.date(1960, 4, 1), sex="F")
    heard.clear()
    link(ben, mother, "parent")
    services.do_unlink_relative(actor=None, person=ben, relative=mother)
    assert heard == [frozenset({ben.pk, mother.pk})] * 2


def test_a_failed_write_announces_nothing(ben, heard):
    with pytest.raises(Exception, match="expiry date"):
        make_document(ben, issued=dt.date(2020, 1, 1), expires=dt.date(2019, 1, 1))
    assert heard == []
