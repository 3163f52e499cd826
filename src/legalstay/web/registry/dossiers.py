"""The one adapter between registry rows and ``legalstay.dossier.Dossier``.

Export: :func:`person_to_dossier` writes every registry field, the ones the core format lacks
through the documented extensions (``docs/dossier.md``), plus fields that imports brought and
the registry does not know (each row's ``extra``). Family members come one level deep as
nested dossiers without their own families, so a rule about a child sees its parents' titles.

Import: :func:`do_import_dossier` is the inverse, in one transaction; a registry export
imported into an empty database exports again to the identical JSON. :func:`bulk_import_dossiers`
loads a stream of new persons (the synthetic caseload) fast: COPY on PostgreSQL, executemany
on SQLite.

Extensions beyond docs/dossier.md, all optional: ``person.external_id`` (the id a dossier came
with when it was not a UUID), ``titles[].decision_number``, ``applications[].events`` (the list
``[{"kind", "date", "outcome"?}]``, written only when the application's events say more than
its ``decision``: several decisions, or steps such as a summons).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from legalstay import dossier as fmt
from legalstay.identity.mrz import MrzError, parse_mrz
from legalstay.web.bulk import insert_rows
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    EventKind,
    FamilyLink,
    Person,
    Relation,
    StayAbroad,
    Title,
    birth_order_error,
)
from legalstay.web.registry.signals import person_facts_changed

__all__ = [
    "bulk_import_dossiers",
    "do_import_dossier",
    "dossier_for_person_id",
    "person_to_dossier",
]

# Where a model field's error is reported in a dossier (person.<this>).
PERSON_FIELD_PATHS = {
    "surname": "names.surname",
    "given_names": "names.given_names",
    "surname_latin": "names.surname_latin",
    "given_names_latin": "names.given_names_latin",
    "phone": "contact.phone",
    "email": "contact.email",
    "address": "contact.address",
}
PERSON_EXTENSIONS = {
    "names",
    "pesel",
    "languages",
    "contact",
    "arrived_on",
    "facts",
    "external_id",
    "episodes_recorded",
}
TITLE_EXTENSIONS = {"id", "decision_number"}
STAY_EXTENSIONS = {"reason"}
APPLICATION_EXTENSIONS = {
    "id",
    "authority",
    "case_number",
    "channel",
    "submission_number",
    "completed_on",
    "suspended_at_party_request",
    "events",
}


# ================================================================ export


def dossier_for_person_id(person_id: str) -> fmt.Dossier:
    """The dossier of the person with this uid (or, failing that, external id)."""
    return person_to_dossier(_persons_with_facts(family=True).get(**_lookup(person_id)))


def person_to_dossier(person: Person, *, with_family: bool = True) -> fmt.Dossier:
    return fmt.Dossier(
        person=_person(person),
        family=tuple(_family(person)) if with_family else (),
        documents=tuple(_document(item) for item in _ordered(person.documents.all())),
        titles=tuple(_title(item) for item in _ordered(person.titles.all())),
        applications=tuple(_application(item) for item in _ordered(person.applications.all())),
        stays_abroad=tuple(_stay(item) for item in _ordered(person.stays_abroad.all())),
        extra=_sorted_json(person.dossier_extra),
    )


def _persons_with_facts(*, family: bool) -> Any:
    prefetches: list[Any] = ["documents", "titles", "applications__events", "stays_abroad"]
    if family:
        relatives = Person.objects.prefetch_related(*prefetches)
        links = FamilyLink.objects.order_by("id").prefetch_related(
            Prefetch("relative", queryset=relatives)
        )
        prefetches.append(Prefetch("family_links", queryset=links))
    return Person.objects.prefetch_related(*prefetches)


def _lookup(person_id: str) -> dict[str, Any]:
    try:
        return {"uid": uuid.UUID(person_id)}
    except ValueError:
        return {"external_id": person_id}


def _ordered(rows: Iterable[Any]) -> list[Any]:
    # Insertion order: an import recreates rows in dossier order, so it survives a round trip.
    return sorted(rows, key=lambda row: row.pk)


def _person(person: Person) -> fmt.Person:
    return fmt.Person(
        id=str(person.uid),
        citizenships=tuple(person.citizenships),
        birth_date=person.birth_date,
        birth_country=person.birth_country or None,
        sex=person.sex or None,
        extra={**_person_extensions(person), **_sorted_json(person.extra)},
    )


def _person_extensions(person: Person) -> dict[str, Any]:
    contact = {"phone": person.phone, "email": person.email, "address": person.address}
    values: dict[str, Any] = {
        "names": {
            "surname": person.surname,
            "given_names": person.given_names,
            "surname_latin": person.surname_latin,
            "given_names_latin": person.given_names_latin,
        },
        "pesel": person.pesel,
        "languages": list(person.languages),
        "contact": {key: value for key, value in contact.items() if value},
        "arrived_on": _iso(person.arrived_on),
        "facts": _sorted_json(person.facts),
        "external_id": person.external_id,
    }
    kept = {key: value for key, value in values.items() if value not in ("", None, [], {})}
    if not person.episodes_recorded:  # known only by who they are: said, so a re-import keeps it
        kept["episodes_recorded"] = False
    return kept


def _family(person: Person) -> Iterator[fmt.FamilyLink]:
    for link in _ordered(person.family_links.all()):
        relative = person_to_dossier(link.relative, with_family=False)
        yield fmt.FamilyLink(
            link.relation,
            relative.person.id,
            relative,
            _sorted_json(link.extra),
            bare=not link.relative.episodes_recorded,
        )


def _document(document: Document) -> fmt.Document:
    extensions = {"mrz": document.mrz} if document.mrz else {}
    return fmt.Document(
        kind=document.kind,
        issuer=document.issuer or None,
        number=document.number or None,
        issued=document.issued,
        expires=document.expires,
        status=document.status,
        extra={**extensions, **_sorted_json(document.extra)},
    )


def _title(title: Title) -> fmt.Title:
    extensions: dict[str, Any] = {"id": str(title.uid)}
    if title.decision_number:
        extensions["decision_number"] = title.decision_number
    return fmt.Title(
        kind=title.kind,
        ground=title.ground or None,
        valid_from=title.valid_from,
        valid_to=title.valid_to,
        extra={**extensions, **_sorted_json(title.extra)},
    )


def _application(application: Application) -> fmt.Application:
    events = sorted(application.events.all(), key=_event_order)
    decision = decision_of(events)
    extensions: dict[str, Any] = {
        "id": str(application.uid),
        "authority": application.authority,
        "case_number": application.case_number,
        "channel": application.channel,
        "submission_number": application.submission_number,
        "completed_on": _iso(application.completed_on),
    }
    extensions = {key: value for key, value in extensions.items() if value}
    if application.suspended_at_party_request:
        extensions["suspended_at_party_request"] = True
    if [_event_record(event) for event in events] != events_of_decision(decision):
        extensions["events"] = [_event_record(event) for event in events]
    return fmt.Application(
        kind=application.kind,
        filed=application.filed,
        formally_complete=application.formally_complete,
        decision=decision,
        extra={**extensions, **_sorted_json(application.extra)},
    )


def _event_order(event: ApplicationEvent) -> tuple[dt.date, int]:
    return (event.date or dt.date.min, event.pk)


def _event_record(event: ApplicationEvent) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": event.kind, "date": _iso(event.date)}
    if event.outcome:
        record["outcome"] = event.outcome
    return {**record, **_sorted_json(event.extra)}


def decision_of(events: list[ApplicationEvent]) -> fmt.Decision | None:
    """The latest decision and what followed it: the dossier's view of the events."""
    decisions = [index for index, event in enumerate(events) if event.kind == "decision_issued"]
    if not decisions:
        return None
    decision = events[decisions[-1]]
    later = events[decisions[-1] + 1 :]

    def first(kind: str) -> dt.date | None:
        return next((event.date for event in later if event.kind == kind), None)

    appeal = first(EventKind.APPEAL_FILED)
    extra = {"appeal_filed": appeal.isoformat()} if appeal else {}
    return fmt.Decision(
        outcome=decision.outcome,
        issued=decision.date,
        delivered=first(EventKind.DELIVERED),
        final=first(EventKind.FINAL),
        extra={**extra, **_sorted_json(decision.extra)},
    )


def events_of_decision(decision: fmt.Decision | None) -> list[dict[str, Any]]:
    """The event records a dossier decision stands for, in the order they are stored."""
    if decision is None:
        return []
    extra = dict(decision.extra)
    appeal = extra.pop("appeal_filed", None)
    records = [
        {
            "kind": "decision_issued",
            "date": _iso(decision.issued),
            "outcome": decision.outcome,
            **_sorted_json(extra),
        },
        {"kind": "delivered", "date": _iso(decision.delivered)} if decision.delivered else None,
        {"kind": "appeal_filed", "date": appeal} if appeal else None,
        {"kind": "final", "date": _iso(decision.final)} if decision.final else None,
    ]
    present = [(index, record) for index, record in enumerate(records) if record]
    present.sort(key=lambda item: (item[1]["date"] or "", item[0]))
    return [record for _, record in present]


def _stay(stay: StayAbroad) -> fmt.StayAbroad:
    extensions = {"reason": stay.reason} if stay.reason else {}
    return fmt.StayAbroad(
        left=stay.left, returned=stay.returned, extra={**extensions, **_sorted_json(stay.extra)}
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _sorted_json(value: Any) -> Any:
    """JSON with object keys sorted: PostgreSQL's jsonb does not keep key order."""
    if isinstance(value, Mapping):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_json(item) for item in value]
    return value


# ================================================================ import


@transaction.atomic
def do_import_dossier(dossier: fmt.Dossier) -> Person:
    """Stores a dossier: replaces the facts of the person with its id, or creates the person.

    Raises :class:`legalstay.dossier.DossierError` naming the field when the registry refuses
    a value; nothing is stored then.
    """
    existing = _find_person(dossier.person.id)
    former_relatives: list[int] = []
    # A dossier without a family (a person's own file often leaves it out) leaves the
    # registry's links as they are: they are also the relatives' (a child's link to the
    # parent). ``"family": []`` says there are none.
    if existing is not None and dossier.family_recorded:
        old_links = FamilyLink.objects.filter(person=existing)
        former_relatives = list(old_links.values_list("relative_id", flat=True))
        # The dossier's family replaces the stored one: old links must not judge its dates.
        FamilyLink.objects.filter(Q(person=existing) | Q(relative=existing)).delete()
    person = _store_person(dossier, "person")
    _replace_facts(person, dossier, "")
    _replace_family(person, dossier)
    relatives = FamilyLink.objects.filter(person=person).values_list("relative_id", flat=True)
    changed = frozenset([person.pk, *former_relatives, *relatives])
    person_facts_changed.send(sender=Person, person_ids=changed)
    return person


def _store_person(dossier: fmt.Dossier, path: str, *, bare: bool = False) -> Person:
    """The dossier's person created or updated; ``bare``: a relative given only as who they
    are, whose episodes the registry then holds as not recorded (unknown, not none)."""
    person = _find_person(dossier.person.id) or _new_person(dossier.person.id)
    _set_person_fields(person, dossier, path)
    person.episodes_recorded = not bare and dossier.person.episodes_recorded
    try:
        person.full_clean()
    except ValidationError as error:
        raise _dossier_error(error, path, PERSON_FIELD_PATHS) from None
    person.refresh_name_keys()
    person.save()
    return person


def _find_person(person_id: str) -> Person | None:
    return Person.objects.filter(**_lookup(person_id)).first()


def _new_person(person_id: str) -> Person:
    try:
        return Person(uid=uuid.UUID(person_id))
    except ValueError:
        return Person(uid=uuid.uuid4(), external_id=person_id)


def _set_person_fields(person: Person, dossier: fmt.Dossier, path: str) -> None:
    source = dossier.person
    extra = dict(source.extra)
    names = _object(extra, "names", f"{path}.names")
    contact = _object(extra, "contact", f"{path}.contact")
    person.surname = _text(names, "surname", f"{path}.names")
    person.given_names = _text(names, "given_names", f"{path}.names")
    person.surname_latin = _text(names, "surname_latin", f"{path}.names")
    person.given_names_latin = _text(names, "given_names_latin", f"{path}.names")
    person.birth_date = source.birth_date
    person.sex = source.sex or ""
    person.citizenships = list(source.citizenships)
    person.birth_country = source.birth_country or ""
    person.pesel = _text(extra, "pesel", path)
    person.languages = _text_list(extra, "languages", path)
    person.phone = _text(contact, "phone", f"{path}.contact")
    person.email = _text(contact, "email", f"{path}.contact")
    person.address = _text(contact, "address", f"{path}.contact")
    person.arrived_on = _date(extra, "arrived_on", path)
    person.facts = _object(extra, "facts", f"{path}.facts")
    person.external_id = _text(extra, "external_id", path) or person.external_id
    person.extra = {key: value for key, value in extra.items() if key not in PERSON_EXTENSIONS}
    person.dossier_extra = dict(dossier.extra)


def _replace_facts(person: Person, dossier: fmt.Dossier, prefix: str) -> None:
    for model in (Document, Title, Application, StayAbroad):
        model.objects.filter(person=person).delete()
    for index, item in enumerate(dossier.documents):
        where = f"{prefix}documents[{index}]"
        _save_fact(Document(person=person, **_document_values(item, where)), where)
    for index, title in enumerate(dossier.titles):
        _save_fact(Title(person=person, **_title_values(title)), f"{prefix}titles[{index}]")
    for index, application in enumerate(dossier.applications):
        where = f"{prefix}applications[{index}]"
        row = Application(person=person, **_application_values(application, where))
        _save_fact(row, where)
        for number, record in enumerate(_event_records(application, where)):
            event = ApplicationEvent(application=row, **_event_values(record, where))
            _save_fact(event, f"{where}.events[{number}]")
    for index, stay in enumerate(dossier.stays_abroad):
        _save_fact(
            StayAbroad(person=person, **_stay_values(stay)), f"{prefix}stays_abroad[{index}]"
        )


def _save_fact(row: Any, path: str) -> Any:
    try:
        row.full_clean(validate_unique=False)
    except ValidationError as error:
        raise _dossier_error(error, path, {}) from None
    row.save()
    return row


# Each *_values() gives a row's field values (without its parent) for a model constructor
# or, in a bulk load, for a raw INSERT.


def _document_values(document: fmt.Document, path: str) -> dict[str, Any]:
    extra = dict(document.extra)
    mrz = _text(extra, "mrz", path)
    if mrz:
        try:
            parse_mrz(mrz)
        except MrzError as error:
            raise fmt.DossierError(f"{path}.mrz", f"MRZ: {error}") from None
    return {
        "kind": document.kind,
        "issuer": document.issuer or "",
        "number": fmt.normalise_document_number(document.number or ""),
        "issued": document.issued,
        "expires": document.expires,
        "status": document.status,
        "mrz": mrz,
        "extra": {key: value for key, value in extra.items() if key != "mrz"},
    }


def _title_values(title: fmt.Title) -> dict[str, Any]:
    extra = dict(title.extra)
    return {
        "uid": _free_uid(Title, extra),
        "kind": title.kind,
        "ground": title.ground or "",
        "valid_from": title.valid_from,
        "valid_to": title.valid_to,
        "decision_number": str(extra.get("decision_number") or ""),
        "extra": _unknown(extra, TITLE_EXTENSIONS),
    }


def _application_values(application: fmt.Application, path: str) -> dict[str, Any]:
    extra = dict(application.extra)
    return {
        "uid": _free_uid(Application, extra),
        "kind": application.kind,
        "authority": _text(extra, "authority", path),
        "case_number": _text(extra, "case_number", path),
        # In lower case, as the dossier reader takes it ("Paper" is paper, not MOS); the
        # reader has refused one that is not text.
        "channel": application.channel or "",
        "submission_number": _text(extra, "submission_number", path),
        "filed": application.filed,
        "formally_complete": application.formally_complete,
        "completed_on": _date(extra, "completed_on", path),
        "suspended_at_party_request": extra.get("suspended_at_party_request") is True,
        "extra": _unknown(extra, APPLICATION_EXTENSIONS),
    }


def _free_uid(model: type[Title] | type[Application], extra: dict[str, Any]) -> uuid.UUID:
    """The row's exported id when it is a UUID no other row uses, else a new one.

    A non-UUID id is kept as ``external_id`` in the row's extra fields.
    """
    given = extra.pop("id", None)
    if given is None:
        return uuid.uuid4()
    try:
        candidate = uuid.UUID(str(given))
    except ValueError:
        extra["external_id"] = given
        return uuid.uuid4()
    return uuid.uuid4() if model.objects.filter(uid=candidate).exists() else candidate


def _unknown(extra: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    return {key: value for key, value in extra.items() if key not in known}


def _event_records(source: fmt.Application, path: str) -> list[Mapping[str, Any]]:
    raw = source.extra.get("events")
    if raw is None:
        _check_decision_fields_apart(source.decision, path)
        return list(events_of_decision(source.decision))
    if not (isinstance(raw, list) and all(isinstance(item, Mapping) for item in raw)):
        raise fmt.DossierError(f"{path}.events", "must be a list of event objects")
    _check_decision_agrees(source, raw, path)
    return raw


# A decision is stored as an event: an unknown field of the decision by one of these names
# would overwrite the event's own.
_EVENT_FIELDS = ("kind", "date", "outcome")


def _check_decision_fields_apart(decision: fmt.Decision | None, path: str) -> None:
    clash = [name for name in _EVENT_FIELDS if name in (decision.extra if decision else {})]
    if clash:
        raise fmt.DossierError(
            f"{path}.decision.{clash[0]}",
            "is not a field of a decision, and the registry cannot keep it beside the "
            "decision's own (issued, outcome); rename it",
        )


def _check_decision_agrees(
    source: fmt.Application, records: list[Mapping[str, Any]], path: str
) -> None:
    """Stored as events, the application's decision is what its events say: a ``decision``
    that says otherwise (edited in an exported file, its events left as they were) would be
    lost without a word, so the file is refused."""
    events = [
        ApplicationEvent(pk=index, **_event_values(record, f"{path}.events[{index}]"))
        for index, record in enumerate(records)
    ]
    if decision_of(sorted(events, key=_event_order)) != source.decision:
        raise fmt.DossierError(
            f"{path}.decision",
            f"does not say what {path}.events say; edit both, or leave the events out",
        )


def _event_values(record: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {
        "kind": _text(record, "kind", path),
        "date": _date(record, "date", path),
        "outcome": _text(record, "outcome", path),
        "extra": _unknown(record, {"kind", "date", "outcome"}),
    }


def _stay_values(stay: fmt.StayAbroad) -> dict[str, Any]:
    return {
        "left": stay.left,
        "returned": stay.returned,
        "reason": stay.reason or "",  # the dossier's reader checked the code
        "extra": _unknown(stay.extra, STAY_EXTENSIONS),
    }


def _replace_family(person: Person, dossier: fmt.Dossier) -> None:
    linked: set[int] = set()
    for index, link in enumerate(dossier.family):
        path = f"family[{index}].person"
        found = _find_person(link.person_id)
        if found is not None and (found.pk == person.pk or found.pk in linked):
            raise fmt.DossierError(path, f"{link.person_id!r} is this person or already linked")
        # Stored (found by the same id) or new: the checks above cover it either way.
        relative = (
            found if found is not None and not _records_facts(link) else _relative_from(link, path)
        )
        problem = birth_order_error(person, relative, link.relation)
        if problem:
            raise fmt.DossierError(f"{path}.birth_date", problem)
        linked.add(relative.pk)
        FamilyLink.objects.create(
            person=person, relative=relative, relation=link.relation, extra=dict(link.extra)
        )
        FamilyLink.objects.create(
            person=relative, relative=person, relation=Relation(link.relation).reverse
        )


def _records_facts(link: fmt.FamilyLink) -> bool:
    """The link nests the relative's dossier, not only who they are. A relative already in
    the registry is updated from it (the file's assessment reads those facts, so the registry
    must hold them too); one given by id or bare is linked as stored."""
    return link.dossier is not None and not link.bare


def _relative_from(link: fmt.FamilyLink, path: str) -> Person:
    """A relative created, or updated, from the nested dossier."""
    if link.dossier is None:
        raise fmt.DossierError(
            path,
            f"no person with id {link.person_id!r} is in the registry; "
            "nest their dossier to create them",
        )
    if link.dossier.family:
        # The registry stores one level of relatives per import (the rules read one): a
        # relative's own relatives would be dropped unseen, so they are refused instead.
        raise fmt.DossierError(
            f"{path}.family",
            "a relative's own relatives are not imported; import that relative's dossier "
            "on its own",
        )
    relative = _store_person(link.dossier, path, bare=link.bare)
    _replace_facts(relative, link.dossier, f"{path}.")
    return relative


# ---------------------------------------------------------------- reading extension values


def _object(obj: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fmt.DossierError(path, "must be a JSON object")
    return dict(value)


def _text(obj: Mapping[str, Any], key: str, path: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fmt.DossierError(f"{path}.{key}", "must be text")
    return value


def _text_list(obj: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fmt.DossierError(f"{path}.{key}", "must be a list of text")
    return list(value)


def _date(obj: Mapping[str, Any], key: str, path: str) -> dt.date | None:
    value = obj.get(key)
    if value in (None, ""):
        return None
    try:
        return fmt.parse_date(str(value))  # YYYY-MM-DD only, as every date of the dossier
    except ValueError as error:
        raise fmt.DossierError(f"{path}.{key}", str(error)) from None


def _dossier_error(error: ValidationError, path: str, paths: Mapping[str, str]) -> fmt.DossierError:
    """The first message of a model's ValidationError, at the dossier path of its field."""
    for name, messages in error.message_dict.items():
        where = path if name == "__all__" else f"{path}.{paths.get(name, name)}"
        return fmt.DossierError(where, " ".join(messages))
    return fmt.DossierError(path, " ".join(error.messages))


# ================================================================ bulk loading


# SQLite allows 32,766 parameters a statement: a batch larger than that is looked up in parts.
_PESELS_PER_QUERY = 1000


@dataclass
class _BulkLoad:
    """What a bulk load remembers across batches: ids seen, and links to make at the end."""

    person_pks: dict[str, int] = field(default_factory=dict)
    pending: list[tuple[int, str, str]] = field(default_factory=list)
    pesel_holders: dict[str, str] = field(default_factory=dict)

    def check_pesel(self, person: Person, person_id: str) -> None:
        """Refuses a PESEL seen earlier in the stream, before the database does less clearly."""
        if not person.pesel:
            return
        holder = self.pesel_holders.setdefault(person.pesel, person_id)
        if holder != person_id:
            # The ids only: a PESEL is personal data and stays out of messages.
            raise fmt.DossierError(
                "person.pesel", f"dossier {person_id!r} repeats the PESEL of dossier {holder!r}"
            )

    def check_registry(self, persons: list[Person], batch: list[fmt.Dossier]) -> None:
        """Refuses a PESEL a person already in the registry holds (a caseload loaded into a
        registry that is not empty), before the database's constraint does less clearly."""
        holders = {p.pesel: d.person.id for p, d in zip(persons, batch, strict=True) if p.pesel}
        pesels = list(holders)
        for start in range(0, len(pesels), _PESELS_PER_QUERY):
            chunk = pesels[start : start + _PESELS_PER_QUERY]
            taken = Person.objects.filter(pesel__in=chunk).values_list("pesel", flat=True).first()
            if taken is not None:
                # The dossier's id only: a PESEL is personal data and stays out of messages.
                raise fmt.DossierError(
                    "person.pesel",
                    f"dossier {holders[taken]!r} has the PESEL of a person already in the registry",
                )


def bulk_import_dossiers(
    dossiers: Iterable[fmt.Dossier],
    *,
    batch_size: int = 2000,
    progress: Callable[[int], object] = lambda count: None,
) -> int:
    """Stores a stream of new persons, one transaction per batch; returns how many.

    For a caseload its producer has checked (the synthetic generator): rows are not
    ``full_clean()``-ed one by one, and facts go in by ``executemany`` rather than through
    model instances, which would cost more than the database does (measured: 4k rows/s
    through ``bulk_create``). Family links refer to ids in the stream and are made, in both
    directions, when it ends.
    """
    if batch_size < 1:  # a batch of none would end the load at once, having stored nobody
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    load = _BulkLoad()
    stream = iter(dossiers)
    while batch := list(itertools.islice(stream, batch_size)):
        with transaction.atomic():
            _bulk_store(batch, load)
        progress(len(batch))
    with transaction.atomic():
        insert_rows(FamilyLink, _bulk_links(load))
    return len(load.person_pks)


def _bulk_store(batch: list[fmt.Dossier], load: _BulkLoad) -> None:
    now = timezone.now()
    persons = [_bulk_person(dossier, now) for dossier in batch]
    for person, dossier in zip(persons, batch, strict=True):
        load.check_pesel(person, dossier.person.id)
    load.check_registry(persons, batch)
    insert_rows(Person, [_field_values(person) for person in persons])
    pks = dict(Person.objects.filter(uid__in=[p.uid for p in persons]).values_list("uid", "pk"))
    documents, titles, stays, applications = [], [], [], []
    for index, dossier in enumerate(batch):
        person_pk = pks[persons[index].uid]
        load.person_pks[dossier.person.id] = person_pk
        load.pending.extend((person_pk, link.relation, link.person_id) for link in dossier.family)
        owner, where = {"person_id": person_pk}, f"[{index}]"
        documents += [{**owner, **_document_values(item, where)} for item in dossier.documents]
        titles += [{**owner, **_title_values(item)} for item in dossier.titles]
        stays += [{**owner, **_stay_values(item)} for item in dossier.stays_abroad]
        applications += [
            ({**owner, **_application_values(item, where)}, item) for item in dossier.applications
        ]
    insert_rows(Document, documents)
    insert_rows(Title, titles)
    insert_rows(StayAbroad, stays)
    insert_rows(Application, [row for row, _ in applications])
    insert_rows(ApplicationEvent, _bulk_events(applications))


def _bulk_person(dossier: fmt.Dossier, now: dt.datetime) -> Person:
    person = _new_person(dossier.person.id)
    person.created_at = person.updated_at = now
    _set_person_fields(person, dossier, "person")
    person.episodes_recorded = dossier.person.episodes_recorded
    person.fill_latin_names()
    person.refresh_name_keys()
    return person


def _field_values(instance: Any) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


def _bulk_events(applications: list[tuple[dict[str, Any], fmt.Application]]) -> list[Any]:
    uids = [row["uid"] for row, _ in applications]
    pks = dict(Application.objects.filter(uid__in=uids).values_list("uid", "pk"))
    return [
        {"application_id": pks[row["uid"]], **_event_values(record, "")}
        for row, source in applications
        for record in _event_records(source, "")
    ]


def _bulk_links(load: _BulkLoad) -> list[dict[str, Any]]:
    links: dict[tuple[int, int], str] = {}
    for person_pk, relation, linked_id in load.pending:
        relative_pk = load.person_pks.get(linked_id)
        if relative_pk is None:
            raise fmt.DossierError("family", f"{linked_id!r} is not a person of this caseload")
        links.setdefault((person_pk, relative_pk), relation)
        links.setdefault((relative_pk, person_pk), Relation(relation).reverse)
    return [
        {"person_id": person_pk, "relative_id": relative_pk, "relation": relation, "extra": {}}
        for (person_pk, relative_pk), relation in links.items()
    ]
