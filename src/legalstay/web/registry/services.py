"""Every write to the registry: one verb each, validated, in one transaction.

Views validate input with forms, then call these; dossier imports and the admin call them too.
Each function validates again with the model's ``full_clean()``, so a write that skips a form
cannot store what a form would refuse. ``actor`` is the user who asked; the audit journal (a
later issue) records it. Every write that changes a person's facts sends
:data:`~legalstay.web.registry.signals.person_facts_changed` before its transaction ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    FamilyLink,
    Person,
    Relation,
    StayAbroad,
    Title,
    birth_order_error,
)
from legalstay.web.registry.signals import person_facts_changed

Actor = AbstractBaseUser | AnonymousUser | None
Fact = TypeVar("Fact", Document, Title, Application, ApplicationEvent, StayAbroad)

# Fields a person's clean() may derive from others; saved with every update.
PERSON_DERIVED_FIELDS = (
    "surname_latin",
    "given_names_latin",
    "birth_date",
    "sex",
    "name_keys",
    "updated_at",
)


def facts_changed(*person_ids: int) -> None:
    """Tells derived data (stored statuses) that these persons' facts changed."""
    person_facts_changed.send(sender=Person, person_ids=frozenset(person_ids))


# ---------------------------------------------------------------- persons


@transaction.atomic
def do_create_person(*, actor: Actor, fields: Mapping[str, Any]) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.refresh_name_keys()
    person.save()
    facts_changed(person.pk)
    return person


@transaction.atomic
def do_update_person(*, actor: Actor, person: Person, changes: Mapping[str, Any]) -> Person:
    if not changes:
        return person
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    person.refresh_name_keys()
    person.save(update_fields=sorted({*changes, *PERSON_DERIVED_FIELDS}))
    facts_changed(person.pk)
    return person


@transaction.atomic
def do_update_person_facts(
    *, actor: Actor, person: Person, update: Callable[[dict[str, Any]], dict[str, Any]]
) -> bool:
    """Applies ``update`` to the facts the law asks about as stored now, under a row lock (an
    answer another caseworker saved meanwhile is kept); returns whether anything changed."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    before = locked.stored_facts()
    after = update(dict(before))
    if after == before:
        return False
    do_update_person(actor=actor, person=locked, changes={"facts": after})
    return True


# ---------------------------------------------------------------- family


def family_link_errors(person: Person, relative: Person, relation: str) -> list[str]:
    """Why ``relative`` cannot become the person's ``relation``; empty when it can."""
    if relative.pk == person.pk:
        return [_("A person cannot be their own relative.")]
    if person.pk and FamilyLink.objects.filter(person=person, relative=relative).exists():
        return [_("These two persons are already linked.")]
    message = birth_order_error(person, relative, relation) or _place_taken(
        person, relative, relation
    )
    return [message] if message else []


def _place_taken(person: Person, relative: Person, relation: str) -> str | None:
    """A person has at most two parents and one spouse recorded: a third parent or a second
    spouse is a mix-up (a relative registered twice, an earlier marriage), which the rules
    reading the family (a spouse's permit, a parent's title) would count as real."""
    if relation == Relation.SPOUSE:
        for someone in (person, relative):
            if someone.pk and FamilyLink.objects.filter(person=someone, relation=relation).exists():
                return _("%(name)s already has a spouse recorded: remove that link first.") % {
                    "name": someone.display_name
                }
        return None
    child = person if relation == Relation.PARENT else relative
    if child.pk and FamilyLink.objects.filter(person=child, relation=Relation.PARENT).count() >= 2:
        return _("%(name)s already has two parents recorded.") % {"name": child.display_name}
    return None


@transaction.atomic
def do_link_relative(
    *, actor: Actor, person: Person, relative: Person, relation: str, field: str = "relative"
) -> FamilyLink:
    """Records ``relative`` as the person's ``relation``, and the reverse link with it."""
    errors = family_link_errors(person, relative, relation)
    if errors:
        raise ValidationError({field: errors})
    link = FamilyLink.objects.create(person=person, relative=relative, relation=relation)
    FamilyLink.objects.create(person=relative, relative=person, relation=Relation(relation).reverse)
    facts_changed(person.pk, relative.pk)
    return link


@transaction.atomic
def do_create_relative(
    *, actor: Actor, person: Person, relation: str, fields: Mapping[str, Any]
) -> Person:
    """Registers a new person as the person's ``relation`` (a new child, parent or spouse)."""
    relative = do_create_person(actor=actor, fields=fields)
    do_link_relative(
        actor=actor, person=person, relative=relative, relation=relation, field="birth_date"
    )
    return relative


@transaction.atomic
def do_unlink_relative(*, actor: Actor, person: Person, relative: Person) -> None:
    FamilyLink.objects.filter(
        models.Q(person=person, relative=relative) | models.Q(person=relative, relative=person)
    ).delete()
    facts_changed(person.pk, relative.pk)


# ---------------------------------------------------------------- facts


def _create(fact: Fact) -> Fact:
    fact.full_clean()
    fact.save()
    _episodes_now_recorded(_owner_id(fact))
    facts_changed(_owner_id(fact))
    return fact


def _episodes_now_recorded(person_id: int) -> None:
    """A relative known only by who they are, once a document, permit, application or stay
    is added for them, is a person whose episodes are recorded: what is not there is none."""
    Person.objects.filter(pk=person_id, episodes_recorded=False).update(episodes_recorded=True)


def _update(fact: Fact, changes: Mapping[str, Any]) -> Fact:
    if not changes:
        return fact
    for name, value in changes.items():
        setattr(fact, name, value)
    fact.full_clean()
    # clean() normalises some fields (a document number), so save what it may have touched.
    fact.save(update_fields=sorted({*changes, *_normalised_fields(fact)}))
    facts_changed(_owner_id(fact))
    return fact


def _owner_id(fact: models.Model) -> int:
    """The person whose fact this is (an event belongs to its application's person)."""
    if isinstance(fact, ApplicationEvent):
        return fact.application.person_id
    person_id: int = getattr(fact, "person_id")  # noqa: B009 - every other fact has one
    return person_id


def _normalised_fields(fact: models.Model) -> tuple[str, ...]:
    return ("number",) if isinstance(fact, Document) else ()


@transaction.atomic
def do_add_document(*, actor: Actor, person: Person, fields: Mapping[str, Any]) -> Document:
    return _create(Document(person=person, **fields))


@transaction.atomic
def do_update_document(*, actor: Actor, document: Document, changes: Mapping[str, Any]) -> Document:
    return _update(document, changes)


@transaction.atomic
def do_add_title(*, actor: Actor, person: Person, fields: Mapping[str, Any]) -> Title:
    return _create(Title(person=person, **fields))


@transaction.atomic
def do_update_title(*, actor: Actor, title: Title, changes: Mapping[str, Any]) -> Title:
    return _update(title, changes)


@transaction.atomic
def do_add_application(*, actor: Actor, person: Person, fields: Mapping[str, Any]) -> Application:
    return _create(Application(person=person, **fields))


@transaction.atomic
def do_update_application(
    *, actor: Actor, application: Application, changes: Mapping[str, Any]
) -> Application:
    return _update(application, changes)


@transaction.atomic
def do_add_application_event(
    *, actor: Actor, application: Application, fields: Mapping[str, Any]
) -> ApplicationEvent:
    return _create(ApplicationEvent(application=application, **fields))


@transaction.atomic
def do_update_application_event(
    *, actor: Actor, event: ApplicationEvent, changes: Mapping[str, Any]
) -> ApplicationEvent:
    return _update(event, changes)


@transaction.atomic
def do_add_stay_abroad(*, actor: Actor, person: Person, fields: Mapping[str, Any]) -> StayAbroad:
    return _create(StayAbroad(person=person, **fields))


@transaction.atomic
def do_update_stay_abroad(
    *, actor: Actor, stay: StayAbroad, changes: Mapping[str, Any]
) -> StayAbroad:
    return _update(stay, changes)


@transaction.atomic
def do_remove_fact(*, actor: Actor, fact: models.Model) -> None:
    """Removes a document, title, application (with its events), event or stay abroad.
    Raises ``ValidationError`` where an event's removal leaves the others unreadable."""
    person_id = _owner_id(fact)
    if isinstance(fact, ApplicationEvent):
        fact.check_removal()
    fact.delete()
    facts_changed(person_id)
