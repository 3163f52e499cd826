"""Permission-checked reads: the only way views fetch registry rows.

Today every active staff member or caseworker (a user with ``registry.view_person``) sees every
person. Record scopes (own, team, organisation; DESIGN.md §2, row 8) narrow
:func:`persons_for_user`, and every other read here goes through it, so they follow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    FamilyLink,
    Person,
    Relation,
    StayAbroad,
    Title,
)
from legalstay.web.registry.search import person_search_filter

User = AbstractBaseUser | AnonymousUser
Fact = TypeVar("Fact", Document, Title, Application, StayAbroad)
LIST_ORDER = ("surname_latin", "given_names_latin", "id")
# A household is the family reachable through links; past this size it is a clan, not a page.
HOUSEHOLD_LIMIT = 60


def may_use_registry(user: User) -> bool:
    return bool(user.is_active and (_is_staff(user) or _has_perm(user, "registry.view_person")))


def may_edit_registry(user: User) -> bool:
    return bool(user.is_active and (_is_staff(user) or _has_perm(user, "registry.change_person")))


def _is_staff(user: User) -> bool:
    return bool(getattr(user, "is_staff", False))


def _has_perm(user: User, permission: str) -> bool:
    return isinstance(user, PermissionsMixin | AnonymousUser) and user.has_perm(permission)


def check_may_edit(user: User) -> None:
    if not may_edit_registry(user):
        raise PermissionDenied


def persons_for_user(user: User) -> QuerySet[Person]:
    """The persons this user may see (the hook for record scopes)."""
    if not may_use_registry(user):
        raise PermissionDenied
    return Person.objects.all()


def search_persons_for_user(user: User, query: str) -> QuerySet[Person]:
    """Persons matching a name in either script, a document number or a PESEL, in list order."""
    persons = persons_for_user(user)
    if query.strip():
        persons = persons.filter(person_search_filter(query))
    return persons.order_by(*LIST_ORDER).prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("expires", "id"))
    )


def get_person_for_user(user: User, uid: uuid.UUID | str) -> Person:
    try:
        return persons_for_user(user).get(uid=uid)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def get_person_page_for_user(
    user: User, uid: uuid.UUID | str, *, related: tuple[str, ...] = ()
) -> Person:
    """A person with every fact the person page shows, in a fixed number of queries;
    ``related``: one-to-one relations to read in the same query (another app's, by name)."""
    persons = (
        persons_for_user(user)
        .select_related(*related)
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("-issued", "-id")),
            Prefetch("titles", queryset=Title.objects.order_by("-valid_from", "-id")),
            Prefetch(
                "applications",
                queryset=Application.objects.order_by("-filed", "-id").prefetch_related(
                    Prefetch("events", queryset=ApplicationEvent.objects.order_by("date", "id"))
                ),
            ),
            Prefetch("stays_abroad", queryset=StayAbroad.objects.order_by("-left", "-id")),
            Prefetch(
                "family_links",
                queryset=FamilyLink.objects.select_related("relative").order_by("relation", "id"),
            ),
        )
    )
    try:
        return persons.get(uid=uid)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def _get_fact(queryset: QuerySet[Fact], person: Person, pk: int) -> Fact:
    try:
        return queryset.get(person=person, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def get_document_for_user(user: User, person: Person, pk: int) -> Document:
    return _get_fact(Document.objects.filter(person__in=persons_for_user(user)), person, pk)


def get_title_for_user(user: User, person: Person, pk: int) -> Title:
    return _get_fact(Title.objects.filter(person__in=persons_for_user(user)), person, pk)


def get_application_for_user(user: User, person: Person, pk: int) -> Application:
    return _get_fact(Application.objects.filter(person__in=persons_for_user(user)), person, pk)


def get_stay_for_user(user: User, person: Person, pk: int) -> StayAbroad:
    return _get_fact(StayAbroad.objects.filter(person__in=persons_for_user(user)), person, pk)


def get_event_for_user(user: User, application: Application, pk: int) -> ApplicationEvent:
    events = ApplicationEvent.objects.filter(application__person__in=persons_for_user(user))
    try:
        return events.get(application=application, pk=pk)
    except ApplicationEvent.DoesNotExist:
        raise Http404 from None


def get_relative_for_user(user: User, person: Person, relative_uid: uuid.UUID | str) -> Person:
    """A relative the person is linked to (404 for someone else: there is no link to remove)."""
    relative = get_person_for_user(user, relative_uid)
    if not FamilyLink.objects.filter(person=person, relative=relative).exists():
        raise Http404
    return relative


# ---------------------------------------------------------------- households


@dataclass(frozen=True)
class HouseholdMember:
    person: Person
    relation: str | Promise  # what the member is to the person the page is about


# What a relative two links away is, by the two relations on the way.
TWO_STEP_RELATIONS: dict[tuple[str, str], Promise] = {
    ("parent", "parent"): _("grandparent"),
    ("parent", "child"): _("sibling"),
    ("parent", "spouse"): _("parent's spouse"),
    ("child", "child"): _("grandchild"),
    ("child", "spouse"): _("child's spouse"),
    ("spouse", "child"): _("spouse's child"),
    ("spouse", "parent"): _("parent-in-law"),
}


def household_for_user(user: User, person: Person) -> list[HouseholdMember]:
    """Everyone reachable through family links, nearest first, one query per generation."""
    visible = persons_for_user(user)
    paths: dict[int, tuple[str, ...]] = {person.pk: ()}
    members: list[HouseholdMember] = []
    frontier = [person.pk]
    while frontier and len(paths) < HOUSEHOLD_LIMIT:
        links = (
            FamilyLink.objects.filter(person_id__in=frontier, relative__in=visible)
            .select_related("relative")
            .order_by("person_id", "relation", "relative__birth_date", "id")
        )
        frontier = []
        for link in links:
            if link.relative_id in paths or len(paths) >= HOUSEHOLD_LIMIT:
                continue
            path = (*paths[link.person_id], link.relation)
            paths[link.relative_id] = path
            frontier.append(link.relative_id)
            members.append(HouseholdMember(link.relative, relation_label(path)))
    return members


def relation_label(path: tuple[str, ...]) -> str | Promise:
    if len(path) == 1:
        return Relation(path[0]).label
    if len(path) == 2:
        return TWO_STEP_RELATIONS.get((path[0], path[1]), _("relative"))
    return _("relative")
