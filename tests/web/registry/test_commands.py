"""The demo commands: a synthetic caseload and a demo caseworker account."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from legalstay.synthetic import generate_caseload
from legalstay.web.registry.dossiers import bulk_import_dossiers
from legalstay.web.registry.management.commands.demo import WARSAW
from legalstay.web.registry.models import Application, Document, FamilyLink, Person
from tests.web.conftest import make_person

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_loads_the_synthetic_caseload_with_families_linked_both_ways():
    output = run("demo", "--persons", "60", "--seed", "3", "--batch-size", "25")

    assert output.startswith("Loaded 60 synthetic persons (seed 3, as of ")
    assert "persons/s" in output
    assert Person.objects.count() == 60
    assert Document.objects.exists()
    assert Application.objects.exists()
    pairs = set(FamilyLink.objects.values_list("person_id", "relative_id"))
    assert pairs
    assert all((relative, person) in pairs for person, relative in pairs)
    assert not Person.objects.filter(surname_latin="").exists()
    assert not Person.objects.filter(name_keys="").exists()


def test_the_same_seed_gives_the_same_people():
    run("demo", "--persons", "20", "--seed", "5")
    first = list(Person.objects.order_by("external_id").values_list("surname", "birth_date"))
    Person.objects.all().delete()

    run("demo", "--persons", "20", "--seed", "5")

    assert (
        list(Person.objects.order_by("external_id").values_list("surname", "birth_date")) == first
    )


def test_demo_if_empty_changes_nothing_when_someone_is_registered():
    make_person()

    output = run("demo", "--persons", "20", "--if-empty")

    assert output == "The registry already holds persons; no demo caseload loaded.\n"
    assert Person.objects.count() == 1


def test_the_demo_caseload_is_searchable_in_both_scripts(anna_client):
    run("demo", "--persons", "30", "--seed", "1")
    someone = Person.objects.exclude(surname="").first()

    by_cyrillic = anna_client.get(reverse("registry:person_list"), {"q": someone.surname})
    by_latin = anna_client.get(reverse("registry:person_list"), {"q": someone.surname_latin})

    assert someone in by_cyrillic.context["page"].object_list
    assert someone in by_latin.context["page"].object_list


def test_demo_account_creates_a_caseworker_and_says_how_to_log_in(settings, client):
    settings.DEBUG = True

    output = run("demo_account")

    demo = get_user_model().objects.get(username="demo")
    assert output == "Open http://127.0.0.1:8000/ and log in as demo / legalstay-demo\n"
    assert (demo.is_staff, demo.is_superuser, demo.is_active) == (True, False, True)
    assert client.login(username="demo", password="legalstay-demo")
    assert client.get(reverse("registry:person_list")).status_code == 200
    assert client.get(reverse("admin:registry_person_changelist")).status_code == 200


def test_demo_account_resets_a_changed_password(settings):
    settings.DEBUG = True
    run("demo_account")
    demo = get_user_model().objects.get(username="demo")
    demo.set_password("something-else")
    demo.is_active = False
    demo.save()

    run("demo_account")

    demo.refresh_from_db()
    assert demo.check_password("legalstay-demo")
    assert demo.is_active
    assert get_user_model().objects.filter(username="demo").count() == 1


def test_demo_account_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as error:
        run("demo_account")

    assert "DEBUG is off" in str(error.value)
    assert not get_user_model().objects.filter(username="demo").exists()


def test_demo_account_with_force_works_with_debug_off(settings):
    settings.DEBUG = False

    run("demo_account", "--force")

    assert get_user_model().objects.filter(username="demo").exists()


def test_demo_into_a_registry_holding_one_of_its_people_loads_nothing_and_says_why():
    # The caseload's last person with a PESEL is registered already: the batches stored before
    # the load reaches her are taken back with it, one person a batch.
    caseload = list(generate_caseload(20, 5, as_of=timezone.localdate(timezone=WARSAW)))
    registered = [dossier for dossier in caseload if dossier.person.extra.get("pesel")][-1]
    bulk_import_dossiers([registered])

    with pytest.raises(CommandError) as refused:
        run("demo", "--persons", "20", "--seed", "5", "--batch-size", "1")

    assert refused.value.returncode == 2
    assert str(refused.value) == (
        f"person.pesel: dossier {registered.person.id!r} has the PESEL of a person already in "
        "the registry; nothing was loaded (a demo caseload goes into an empty registry, or use "
        "--if-empty)"
    )
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [
        # A negative count stopped on the generator's ValueError, with a traceback.
        (["--persons", "-5"], "argument --persons: '-5' is not a whole number of 0 or more"),
        (["--seed", "-1"], "argument --seed: '-1' is not a whole number of 0 or more"),
        # A batch of none loaded nobody and said "Loaded 0 synthetic persons".
        (["--batch-size", "0"], "argument --batch-size: '0' is not a positive whole number"),
    ],
)
def test_demo_refuses_a_count_it_cannot_use_and_loads_nothing(option, message):
    with pytest.raises(CommandError, match=message):
        run("demo", "--persons", "10", *option)

    assert not Person.objects.exists()
