"""The dossier: one person's facts in the interchange format ``legalstay-dossier/1``.

The registry exports it, ``legalstay assess`` reads it, the engine's one-person back-end
evaluates it. The format may be extended (new optional fields), never broken: a reader
ignores nothing it knows and keeps what it does not know under ``extra``.

A family link ``{"relation": "parent", "person": …}`` says that the *linked* person is this
person's parent; ``person`` is either the linked person's id or a nested dossier (the same
shape as this one, at least ``person``).

Bad input raises :class:`DossierError` naming the field (``documents[2].expires``) and the rule.
Every date is written YYYY-MM-DD and nothing else (:func:`parse_date`). The optional extensions
the engine reads (``person.facts``, ``applications[].completed_on`` and
``suspended_at_party_request``, ``applications[].decision.appeal_filed``; docs/dossier.md) are
checked like the core fields, and read through the properties of :class:`Application` and
:class:`Decision`; extensions no reader here knows are kept as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "APPLICATION_CHANNELS",
    "APPLICATION_KINDS",
    "DOCUMENT_KINDS",
    "DOCUMENT_STATUSES",
    "FORMAT",
    "OUTCOMES",
    "PERMANENT_RESIDENCE_GROUNDS",
    "RELATIONS",
    "STAY_ABROAD_REASONS",
    "TEMPORARY_RESIDENCE_GROUNDS",
    "TITLE_KINDS",
    "VISA_GROUNDS",
    "YES_NO_FACTS",
    "Application",
    "Decision",
    "Document",
    "Dossier",
    "DossierError",
    "FamilyLink",
    "Person",
    "StayAbroad",
    "Title",
    "dossier_from_dict",
    "dossier_text",
    "dossier_to_dict",
    "load_dossier",
    "normalise_document_number",
    "parse_date",
    "parse_json",
]

FORMAT = "legalstay-dossier/1"

DOCUMENT_KINDS = (
    "national_passport",
    "travel_document_for_foreigners",
    "temporary_travel_document_for_foreigners",
    "refugee_travel_document",
    "residence_card",
    "identity_document_for_foreigners",
    "temporary_identity_certificate",
    "tolerated_stay_document",
    "visa",
    "new_belarus_passport",
    "birth_certificate",
    "national_id_card",
)
# "expired": held, its validity over (on its expiry; with none known, on every date).
DOCUMENT_STATUSES = ("valid", "expired", "lost", "stolen", "withdrawn", "surrendered")
TITLE_KINDS = (
    "temporary_residence",
    "permanent_residence",
    "eu_long_term_residence",
    "refugee_status",
    "subsidiary_protection",
    "humanitarian_stay",
    "tolerated_stay",
    "visa",
)
# Titles granted for a fixed period, whose last day a record must give: a temporary residence
# permit (UoC art. 98 ust. 1: up to 3 years) and a visa (issued for a stated period).
TIME_LIMITED_TITLES = {
    "temporary_residence": "UoC art. 98 ust. 1: granted for a fixed period of up to 3 years",
    "visa": "a visa is issued for a stated period",
}
APPLICATION_KINDS = (
    *TITLE_KINDS,
    "international_protection",
    "travel_document_for_foreigners",
    "identity_document_for_foreigners",
)
OUTCOMES = ("granted", "refused", "discontinued")
# How an application was filed (the extension ``channel``): through MOS, on paper, in person.
APPLICATION_CHANNELS = ("mos", "paper", "in_person")
# Grounds the rulebook recognises (a dossier may carry others; they then count as "other").
TEMPORARY_RESIDENCE_GROUNDS = (
    "work",
    "seasonal_work",
    "blue_card",
    "business",
    "study",
    "vocational_training",
    "research",
    "family",
    "humanitarian_visa_belarus",  # UoC art. 186 ust. 1 pkt 9 (humanitarian "D 21" visa holders)
    "spouse_of_polish_citizen",  # granted for marriage to a Polish citizen (article not verified)
    "polish_origin",
    "other",
)
VISA_GROUNDS = ("humanitarian", "pbh", "work", "study", "tourism", "other")
PERMANENT_RESIDENCE_GROUNDS = (
    "child_of_resident",  # UoC art. 195 ust. 1 pkt 1
    "polish_origin",
    "karta_polaka",
    "spouse_of_polish_citizen",
    "protection_5_years",  # art. 195 ust. 1 pkt 6: 5 years on refugee, subsidiary or humanitarian
    "tolerated_10_years",
    "asylum",
    "other",
)
# Why a stay abroad was made (the extension ``reason``): the reasons the law excuses from the
# breaks in stay (UoC arts. 211–212, legal-rules.md §1.3), and ``other``.
STAY_ABROAD_REASONS = (
    "work_for_employer_in_poland",
    "accompanying_worker",  # as spouse or minor child of one working for such an employer
    "polish_university_programme",  # internships or classes of a Polish university
    "special_personal_situation",  # excused up to six months
    "other",
)
RELATIONS = ("parent", "child", "spouse")
# Relatives nested within relatives (a parent's parent …): far more than a family needs, far
# less than would exhaust Python's stack.
MAX_FAMILY_DEPTH = 32
SEXES = ("F", "M", "X")
# The yes/no facts of ``person.facts`` the engine reads (its PERSON_FACTS without the dated
# ones; a test holds the two equal): each true, false or absent (unknown).
YES_NO_FACTS = (
    "karta_polaka",
    "polish_origin",
    "stable_income_3_years",
    "health_insurance",
    "housing_and_registration",
    "polish_language",
    "without_parental_care",
    "trafficking_victim",
    "stateless",
    "cannot_obtain_passport",
    "married_to_polish_citizen",
    "granted_asylum",
)
_NUMBER_SEPARATORS = re.compile(r"[\s\-]")


def normalise_document_number(number: str) -> str:
    """Numbers are compared as printed in the MRZ: upper case, no spaces or dashes."""
    return _NUMBER_SEPARATORS.sub("", number).upper()


# YYYY-MM-DD only: date.fromisoformat also takes 20200201, 2030-W05-6 and other ISO 8601 forms.
_DATE_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DossierError(ValueError):
    """A dossier that breaks a rule of the format; ``field`` is a path like ``titles[0].kind``."""

    def __init__(self, field_path: str, rule: str) -> None:
        # A value echoed in the rule may be pages long (a 100,000-character issuer): its
        # start names it well enough. Long enough for the longest list of allowed values
        # (``_choice`` cuts the value it echoes beside one).
        rule = _cut(rule, _LONGEST_RULE)
        super().__init__(f"{field_path}: {rule}")
        self.field = field_path
        self.rule = rule


_LONGEST_RULE = 600
_LONGEST_CHOICE_ECHOED = 100


def _shown(value: object) -> str:
    """A value echoed in a message, its start only: a long one would push the rule out."""
    return _cut(repr(value), _LONGEST_CHOICE_ECHOED)


def _cut(text: str, longest: int) -> str:
    return text if len(text) <= longest else f"{text[:longest]}… (cut)"


@dataclass(frozen=True)
class Person:
    id: str
    citizenships: tuple[str, ...] = ()
    birth_date: dt.date | None = None
    birth_country: str | None = None
    sex: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def episodes_recorded(self) -> bool:
        """False for a person known only by who they are (the extension
        ``episodes_recorded: false``): their empty lists mean "not recorded", not "none"."""
        return self.extra.get("episodes_recorded") is not False


@dataclass(frozen=True)
class Document:
    kind: str
    issuer: str | None = None
    number: str | None = None
    issued: dt.date | None = None
    expires: dt.date | None = None
    status: str = "valid"
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Title:
    kind: str
    ground: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    outcome: str
    issued: dt.date | None = None
    delivered: dt.date | None = None
    final: dt.date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def appeal_filed(self) -> dt.date | None:
        """The extension ``appeal_filed``: the day an appeal was filed, if one was."""
        return _extension_date(self.extra, "appeal_filed")


@dataclass(frozen=True)
class Application:
    kind: str
    filed: dt.date
    formally_complete: bool | None = None
    decision: Decision | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def completed_on(self) -> dt.date | None:
        """The extension ``completed_on``: the day the application became formally complete."""
        return _extension_date(self.extra, "completed_on")

    @property
    def suspended_at_party_request(self) -> bool | None:
        """The extension ``suspended_at_party_request`` (UoC art. 108 ust. 2); None if absent."""
        return _yes_no(self.extra.get("suspended_at_party_request"), "suspended_at_party_request")

    @property
    def channel(self) -> str | None:
        """The extension ``channel``: how it was filed (``mos``, ``paper``, ``in_person``, or
        other text a registry keeps), read in lower case as a status is (``Paper`` is
        ``paper``: read as other text, it would be taken as MOS); None if absent."""
        value = _lower(self.extra.get("channel"))
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class StayAbroad:
    left: dt.date
    returned: dt.date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str | None:
        """The extension ``reason`` (one of STAY_ABROAD_REASONS); None if not recorded."""
        value = self.extra.get("reason")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class FamilyLink:
    relation: str
    person_id: str
    dossier: Dossier | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Given as a bare person (``{"id": …, "birth_date": …}``): who the relative is, with no
    # episodes recorded — their titles are unknown, not none.
    bare: bool = False
    # The relative's fields were written at ``family[i].person.<field>`` (bare, or with their
    # episodes beside them), not in a nested dossier's ``person``: where messages point.
    written_flat: bool = False


@dataclass(frozen=True)
class Dossier:
    person: Person
    family: tuple[FamilyLink, ...] = ()
    documents: tuple[Document, ...] = ()
    titles: tuple[Title, ...] = ()
    applications: tuple[Application, ...] = ()
    stays_abroad: tuple[StayAbroad, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    # A file without a ``family`` key says nothing of the person's relatives (a registry
    # import keeps the links it holds); ``"family": []`` says there are none.
    family_recorded: bool = True


# ---------------------------------------------------------------- reading


def load_dossier(path: str | Path) -> Dossier:
    """Reads a dossier from a JSON file (``OSError`` where it cannot be read)."""
    return dossier_from_dict(parse_json(dossier_text(Path(path).read_bytes())))


def dossier_text(data: bytes) -> str:
    """A dossier file's bytes as text: UTF-8, or a ``DossierError`` saying where it is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex()
        raise DossierError(
            "$", f"is not UTF-8 text (byte 0x{byte} at offset {error.start}); save it as UTF-8"
        ) from None


def parse_json(text: str) -> Any:
    """A dossier's JSON text parsed, refusing what JSON allows but a dossier cannot mean: a key
    written twice in one object (one value would be dropped unseen), a number too long to read,
    arrays or objects nested too deeply, NaN and infinite numbers (not JSON: no store keeps
    them)."""
    # A byte-order mark (UTF-8 files saved by Windows tools) is not part of the JSON.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DossierError("$", "is empty: a dossier is a JSON object")
    if text.startswith("\ufeff"):  # a second mark: JSON's own message names a Python call
        raise DossierError("$", "starts with two byte-order marks: save the file as UTF-8")
    try:
        parsed = json.loads(
            text,
            object_pairs_hook=_without_repeated_keys,
            parse_constant=_not_a_json_number,
            parse_float=_finite_number,
        )
        _check_parsed(parsed)
        return parsed
    except json.JSONDecodeError as error:
        raise DossierError("$", f"not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise DossierError("$", "nests arrays or objects too deeply to be read") from None
    except DossierError:
        raise
    except ValueError:  # Python's limit on the digits of an integer (4,300)
        raise DossierError("$", "holds a number too long to read (over 4,300 digits)") from None


def _not_a_json_number(constant: str) -> Any:
    raise DossierError("$", f"holds {constant}, which is not a JSON number")


def _finite_number(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise DossierError("$", f"holds the number {text[:20]}, too large to keep")
    return number


class _Object(dict[str, Any]):
    """A JSON object as parsed, with the first key written twice in it (if any): the parser
    does not know where the object is, so the check that names the path comes after."""

    repeated: str | None = None


def _without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = _Object()
    for key, value in pairs:
        if key in found and found.repeated is None:
            found.repeated = key
        found[key] = value
    return found


def _check_parsed(root: Any) -> None:
    """Refuses, naming its path, a key written twice in one object (one value would be
    dropped unseen) and text that is not Unicode (a lone surrogate, ``"\\ud800"``: it cannot
    be written back out, nor stored)."""
    pending: list[tuple[str, Any]] = [("", root)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            _check_unicode(value, path or "$")
        elif isinstance(value, list):
            pending.extend((f"{path or '$'}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, dict):
            if isinstance(value, _Object) and value.repeated is not None:
                raise DossierError(
                    _join(path, value.repeated),
                    "is written twice in one object: write each field once",
                )
            for key, item in value.items():
                _check_unicode(key, _join(path, "(a key)"))
                pending.append((_join(path, key), item))


def _check_unicode(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DossierError(path, "holds text that is not Unicode (a lone surrogate)") from None


def dossier_from_dict(raw: object, path: str = "", *, person_path: str | None = None) -> Dossier:
    """Builds a :class:`Dossier` from parsed JSON, checking every rule of the format.
    ``person_path``: where the person's fields were written, if not at ``path.person``."""
    obj = _mapping(raw, path or "$")
    declared = obj.get("format")
    declared = FORMAT if declared in (None, "") else declared  # absent or null: this format
    if declared != FORMAT:
        raise DossierError(_join(path, "format"), f"must be {FORMAT!r}, not {_shown(declared)}")
    known = {"format", "person", "family", "documents", "titles", "applications", "stays_abroad"}
    if "person" not in obj:
        raise DossierError(_join(path, "person"), "is required")
    dossier = Dossier(
        person=_person(obj["person"], person_path or _join(path, "person")),
        family=tuple(_items(obj, "family", path, _family_link)),
        documents=tuple(_items(obj, "documents", path, _document)),
        titles=tuple(_items(obj, "titles", path, _title)),
        applications=tuple(_items(obj, "applications", path, _application)),
        stays_abroad=tuple(_items(obj, "stays_abroad", path, _stay_abroad)),
        extra=_extra(obj, known),
        family_recorded=obj.get("family") is not None,
    )
    _check_stays_apart(dossier.stays_abroad, _join(path, "stays_abroad"))
    _check_relatives_apart(dossier, _join(path, "family"))
    return dossier


def _check_relatives_apart(dossier: Dossier, path: str) -> None:
    """Each relative is linked once, and never the person themself: two links to one id would
    leave the answer to the order they are written in (the engine keeps one relative an id)."""
    seen: dict[str, int] = {}
    for index, link in enumerate(dossier.family):
        where = f"{path}[{index}].person"
        if link.person_id == dossier.person.id:
            raise DossierError(
                where, f"{_shown(link.person_id)} is the person; link relatives only"
            )
        if link.person_id in seen:
            raise DossierError(
                where,
                f"{_shown(link.person_id)} is linked already at "
                f"family[{seen[link.person_id]}]: link each relative once",
            )
        seen[link.person_id] = index
        _check_birth_order(dossier.person, link, f"{where}.birth_date")


def _check_birth_order(person: Person, link: FamilyLink, path: str) -> None:
    """A parent is born before their child, as the registry requires of a link: a parent born
    later is a slip (two persons or dates swapped), and the child's routes would read it."""
    relative = link.dossier.person if link.dossier is not None else None
    if link.relation == "spouse" or relative is None:
        return
    if person.birth_date is None or relative.birth_date is None:
        return
    parent, child = (relative, person) if link.relation == "parent" else (person, relative)
    assert parent.birth_date is not None and child.birth_date is not None
    if parent.birth_date >= child.birth_date:
        raise DossierError(
            path,
            f"a parent must be born before their child: the parent was born on "
            f"{parent.birth_date.isoformat()}, the child on {child.birth_date.isoformat()}",
        )


def _check_stays_apart(stays: Sequence[StayAbroad], path: str) -> None:
    """Stays abroad may not overlap: a break is judged by its length (UoC arts. 211–212), and
    two records of one absence would be judged as two shorter ones (or counted twice). One
    may start on the day another ended (the day of return is spent in Poland)."""
    # By the day left, then returned (a stay of no days before one begun the same day).
    ordered = sorted(range(len(stays)), key=lambda index: _stay_order(stays[index]))
    for earlier, later in itertools.pairwise(ordered):
        first, second = stays[earlier], stays[later]
        if first.returned is None or second.left < first.returned:
            until = first.returned.isoformat() if first.returned else "no return recorded"
            raise DossierError(
                f"{path}[{later}].left",
                f"{second.left} falls within the stay abroad {path}[{earlier}] "
                f"({first.left} to {until}): stays abroad may not overlap; record one absence "
                "once",
            )


def _stay_order(stay: StayAbroad) -> tuple[dt.date, dt.date]:
    return stay.left, stay.returned or dt.date.max


def _items(obj: Mapping[str, Any], key: str, path: str, build: Any) -> Iterable[Any]:
    raw = obj.get(key)
    if raw is None:
        return []
    where = _join(path, key)
    if not isinstance(raw, list):
        raise DossierError(where, "must be a list")
    return [build(item, f"{where}[{index}]") for index, item in enumerate(raw)]


def _person(raw: object, path: str) -> Person:
    obj = _mapping(raw, path)
    person_id = _identifier(obj.get("id"), f"{path}.id")
    citizenships = obj.get("citizenships")
    citizenships = [] if citizenships is None else citizenships
    if not isinstance(citizenships, list):
        raise DossierError(f"{path}.citizenships", "must be a list of ISO 3166 alpha-2 codes")
    _check_facts(obj.get("facts"), f"{path}.facts")
    if citizenships and _stateless_recorded(obj.get("facts")):
        raise DossierError(
            f"{path}.facts.stateless",
            "is true, but person.citizenships records a citizenship: correct one of them",
        )
    _date(obj.get("arrived_on"), f"{path}.arrived_on")  # an extension; kept as written
    # An extension too, but one that decides whether the lists mean "none" or "not recorded":
    # "false" as text would read as recorded, and the person be assessed on nothing.
    _yes_no(obj.get("episodes_recorded"), f"{path}.episodes_recorded")
    return Person(
        id=person_id,
        citizenships=tuple(
            _country(code, f"{path}.citizenships[{index}]")
            for index, code in enumerate(citizenships)
        ),
        birth_date=_date(obj.get("birth_date"), f"{path}.birth_date"),
        birth_country=_optional_country(obj.get("birth_country"), f"{path}.birth_country"),
        sex=_choice(_sex_code(obj.get("sex")), SEXES, f"{path}.sex", required=False),
        extra=_extra(obj, {"id", "citizenships", "birth_date", "birth_country", "sex"}),
    )


def _stateless_recorded(facts: object) -> bool:
    return isinstance(facts, Mapping) and facts.get("stateless") is True


def _check_facts(raw: object, path: str) -> None:
    """``person.facts``, when given: an object whose dated facts (``…_since``) are dates and
    whose yes/no facts (`YES_NO_FACTS`) are true, false or null. Facts of other names are kept
    unread: the format may gain facts."""
    if raw is None:
        return
    facts = _mapping(raw, path)
    for name, value in facts.items():
        if str(name).endswith("_since"):
            _date(value, f"{path}.{name}")
        elif name in YES_NO_FACTS:
            _yes_no(value, f"{path}.{name}")
    if facts.get("married_to_polish_citizen") is False and facts.get(
        "married_to_polish_citizen_since"
    ):
        raise DossierError(
            f"{path}.married_to_polish_citizen_since",
            "is given, but married_to_polish_citizen is false",
        )


def _family_link(raw: object, path: str) -> FamilyLink:
    obj = _mapping(raw, path)
    relation = _choice(obj.get("relation"), RELATIONS, f"{path}.relation")
    linked = obj.get("person")
    if isinstance(linked, Mapping) and path.count("family[") > MAX_FAMILY_DEPTH:
        raise DossierError(
            f"{path}.person",
            f"relatives nest more than {MAX_FAMILY_DEPTH} deep: link further relatives by id",
        )
    if isinstance(linked, Mapping):
        nested = dossier_from_dict(linked, f"{path}.person") if "person" in linked else None
        if nested is None and _episodes_beside(linked):
            nested = _flat_relative(linked, f"{path}.person")
        bare = nested is None
        if nested is None:  # a bare person: its fields are at family[i].person.<field>
            nested = dossier_from_dict({"person": linked}, path)
        extra = _extra(obj, {"relation", "person"})
        flat = "person" not in linked
        return FamilyLink(relation, nested.person.id, nested, extra, bare=bare, written_flat=flat)
    if linked in (None, ""):
        raise DossierError(f"{path}.person", "is required: a person id or a nested person")
    person_id = _identifier(linked, f"{path}.person")
    return FamilyLink(relation, person_id, None, _extra(obj, {"relation", "person"}))


_EPISODE_TABLES = ("family", "documents", "titles", "applications", "stays_abroad")


def _episodes_beside(linked: Mapping[str, Any]) -> bool:
    return any(table in linked for table in _EPISODE_TABLES)


def _flat_relative(linked: Mapping[str, Any], path: str) -> Dossier:
    """A relative written as a person with their titles, documents … beside their fields
    (``{"id": "hanna", "titles": […]}``): read as the nested dossier it means, each field
    named where it was written (``family[0].person.titles[0].valid_from``)."""
    person = {key: value for key, value in linked.items() if key not in _EPISODE_TABLES}
    episodes = {key: value for key, value in linked.items() if key in _EPISODE_TABLES}
    return dossier_from_dict({"person": person, **episodes}, path, person_path=path)


def _identifier(value: object, path: str) -> str:
    """A person's id: text, or a whole number written as one (read as its text)."""
    if value in (None, ""):
        raise DossierError(path, "is required")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DossierError(
            path, f"must be a person id (text or a whole number), not {_shown(value)}"
        )
    return str(value)


def _document(raw: object, path: str) -> Document:
    obj = _mapping(raw, path)
    issued = _date(obj.get("issued"), f"{path}.issued")
    expires = _date(obj.get("expires"), f"{path}.expires")
    if issued and expires and expires < issued:
        raise DossierError(f"{path}.expires", f"{expires} is before the issue date {issued}")
    return Document(
        kind=_choice(obj.get("kind"), DOCUMENT_KINDS, f"{path}.kind"),
        issuer=_optional_issuer(obj.get("issuer"), f"{path}.issuer"),
        number=_optional_text(obj.get("number"), f"{path}.number"),
        issued=issued,
        expires=expires,
        status=_choice(_or_valid(_lower(obj.get("status"))), DOCUMENT_STATUSES, f"{path}.status"),
        extra=_extra(obj, {"kind", "issuer", "number", "issued", "expires", "status"}),
    )


def _lower(code: object) -> object:
    """A code as the format writes it, in lower case (``VALID`` is ``valid``)."""
    return code.strip().lower() if isinstance(code, str) else code


# Sex as ICAO 9303 writes it (F, M, X); the words and lower case name the same.
_SEX_WORDS = {"f": "F", "female": "F", "m": "M", "male": "M", "x": "X"}


def _sex_code(raw: object) -> object:
    return _SEX_WORDS.get(raw.strip().lower(), raw) if isinstance(raw, str) else raw


def _or_valid(status: object) -> object:
    """A document's status not recorded (null or empty) is ``valid``; any other value is
    checked as given (``false`` is not a status)."""
    return "valid" if status is None or status == "" else status


def _title(raw: object, path: str) -> Title:
    obj = _mapping(raw, path)
    valid_from = _date(obj.get("valid_from"), f"{path}.valid_from")
    valid_to = _date(obj.get("valid_to"), f"{path}.valid_to")
    if valid_from is None:
        raise DossierError(f"{path}.valid_from", "is required")
    if valid_to and valid_to < valid_from:
        raise DossierError(f"{path}.valid_to", f"{valid_to} is before valid_from {valid_from}")
    kind = _choice(obj.get("kind"), TITLE_KINDS, f"{path}.kind")
    if valid_to is None and kind in TIME_LIMITED_TITLES:
        # An open end would read as legal stay for ever: refused rather than guessed.
        raise DossierError(
            f"{path}.valid_to", f"is required for a {kind} title ({TIME_LIMITED_TITLES[kind]})"
        )
    return Title(
        kind=kind,
        ground=_optional_text(obj.get("ground"), f"{path}.ground"),
        valid_from=valid_from,
        valid_to=valid_to,
        extra=_extra(obj, {"kind", "ground", "valid_from", "valid_to"}),
    )


def _application(raw: object, path: str) -> Application:
    obj = _mapping(raw, path)
    filed = _date(obj.get("filed"), f"{path}.filed")
    if filed is None:
        raise DossierError(f"{path}.filed", "is required")
    complete = _yes_no(obj.get("formally_complete"), f"{path}.formally_complete")
    completed_on = _date(obj.get("completed_on"), f"{path}.completed_on")
    _yes_no(obj.get("suspended_at_party_request"), f"{path}.suspended_at_party_request")
    if not isinstance(obj.get("channel"), str | None):  # a code of APPLICATION_CHANNELS or text
        raise DossierError(f"{path}.channel", "must be text")
    _check_events(obj.get("events"), f"{path}.events")
    if completed_on and completed_on < filed:
        raise DossierError(f"{path}.completed_on", f"{completed_on} is before filing {filed}")
    if completed_on and complete is False:  # the registry's rule too (registry.models)
        raise DossierError(
            f"{path}.formally_complete",
            f"is false, but completed_on says it became complete on {completed_on}",
        )
    decision_raw = obj.get("decision")
    decision = None if decision_raw is None else _decision(decision_raw, f"{path}.decision")
    if decision:
        _check_decision_after_filing(decision, filed, f"{path}.decision")
    return Application(
        kind=_choice(obj.get("kind"), APPLICATION_KINDS, f"{path}.kind"),
        filed=filed,
        formally_complete=complete,
        decision=decision,
        extra=_extra(obj, {"kind", "filed", "formally_complete", "decision"}),
    )


def _check_events(raw: object, path: str) -> None:
    """The extension ``events`` (the registry's record of the procedure): a list of objects
    whose ``date``, where given, is a date like any other (the rules do not read them)."""
    if raw is None:
        return
    if not isinstance(raw, list):
        raise DossierError(path, "must be a list of events")
    for index, event in enumerate(raw):
        _date(_mapping(event, f"{path}[{index}]").get("date"), f"{path}[{index}].date")


def _check_decision_after_filing(decision: Decision, filed: dt.date, path: str) -> None:
    """Nothing that follows a decision on an application comes before the application."""
    dates = {
        "issued": decision.issued,
        "delivered": decision.delivered,
        "final": decision.final,
        "appeal_filed": decision.appeal_filed,
    }
    for name, day in dates.items():
        if day and day < filed:
            raise DossierError(f"{path}.{name}", f"{day} is before filing {filed}")


def _decision(raw: object, path: str) -> Decision:
    obj = _mapping(raw, path)
    issued = _date(obj.get("issued"), f"{path}.issued")
    delivered = _date(obj.get("delivered"), f"{path}.delivered")
    final = _date(obj.get("final"), f"{path}.final")
    if issued and delivered and delivered < issued:
        raise DossierError(f"{path}.delivered", f"{delivered} is before the decision {issued}")
    if issued and final and final < issued:
        raise DossierError(f"{path}.final", f"{final} is before the decision {issued}")
    # An appeal lies against a decision delivered (KPA art. 129 §2: within 14 days of its
    # delivery), so not before it. It may well come after the decision became final: a late
    # appeal, or one whose decision made it final, so that order is not refused.
    appeal = _date(obj.get("appeal_filed"), f"{path}.appeal_filed")
    if appeal and delivered and appeal < delivered:
        raise DossierError(
            f"{path}.appeal_filed", f"{appeal} is before the decision was delivered on {delivered}"
        )
    if appeal and issued and appeal < issued:
        raise DossierError(f"{path}.appeal_filed", f"{appeal} is before the decision {issued}")
    return Decision(
        outcome=_choice(obj.get("outcome"), OUTCOMES, f"{path}.outcome"),
        issued=issued,
        delivered=delivered,
        final=final,
        extra=_extra(obj, {"outcome", "issued", "delivered", "final"}),
    )


def _stay_abroad(raw: object, path: str) -> StayAbroad:
    obj = _mapping(raw, path)
    left = _date(obj.get("left"), f"{path}.left")
    returned = _date(obj.get("returned"), f"{path}.returned")
    if left is None:
        raise DossierError(f"{path}.left", "is required")
    if returned and returned < left:
        raise DossierError(f"{path}.returned", f"{returned} is before leaving on {left}")
    _choice(obj.get("reason"), STAY_ABROAD_REASONS, f"{path}.reason", required=False)
    return StayAbroad(left=left, returned=returned, extra=_extra(obj, {"left", "returned"}))


# ---------------------------------------------------------------- field checks


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _mapping(raw: object, path: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise DossierError(path, "must be a JSON object")
    return raw


def _extra(obj: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    return {key: value for key, value in obj.items() if key not in known}


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (and in no other ISO 8601 form); ValueError naming the rule."""
    if not _DATE_WRITTEN.fullmatch(text):
        raise ValueError(f"{_shown(text)} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a day of the calendar (YYYY-MM-DD)") from None


def _date(raw: object, path: str) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise DossierError(path, "must be a date written YYYY-MM-DD")
    try:
        return parse_date(raw)
    except ValueError as error:
        raise DossierError(path, str(error)) from None


def _extension_date(extra: Mapping[str, Any], key: str) -> dt.date | None:
    """An extension date as the reader checked it (or as code wrote it: a date object)."""
    value = extra.get(key)
    return value if isinstance(value, dt.date) else _date(value, key)


def _yes_no(raw: object, path: str) -> bool | None:
    if raw is not None and not isinstance(raw, bool):
        raise DossierError(path, "must be true, false or null")
    return raw


def _choice(raw: object, allowed: tuple[str, ...], path: str, *, required: bool = True) -> Any:
    if raw is None or raw == "":
        if required:
            raise DossierError(path, f"is required; one of {', '.join(allowed)}")
        return None
    if raw not in allowed:
        shown = _shown(raw)
        raise DossierError(path, f"{shown} is not one of {', '.join(allowed)}")
    return raw


def _optional_text(raw: object, path: str) -> str | None:
    """Text, or a whole number read as its text; ``true`` is not text."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise DossierError(path, "must be text")
    return str(raw)


def _country(raw: object, path: str) -> str:
    from legalstay.identity.countries import to_alpha2

    if not isinstance(raw, str):
        raise DossierError(path, "must be an ISO 3166 alpha-2 country code such as 'BY'")
    code = to_alpha2(raw)
    if code is None:
        raise DossierError(path, f"{_shown(raw)} is not an ISO 3166 alpha-2 country code")
    return code


def _optional_country(raw: object, path: str) -> str | None:
    return None if raw in (None, "") else _country(raw, path)


def _optional_issuer(raw: object, path: str) -> str | None:
    """Issuers are states: ISO codes (alpha-2 or alpha-3, any case) or ICAO 9303 codes
    ('D', 'XXA'), written as alpha-2 where one exists — the rules ask whether a document
    was issued by ``PL``, and ``POL`` or ``pl`` is the same state."""
    from legalstay.identity.countries import issuing_state

    if raw in (None, ""):
        return None
    code = issuing_state(raw) if isinstance(raw, str) else None
    if code is None:
        raise DossierError(path, f"{_shown(raw)} is not an ISO 3166 or ICAO 9303 state code")
    return code


# ---------------------------------------------------------------- writing


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """The JSON form of a dossier; ``dossier_from_dict(dossier_to_dict(d)) == d``."""
    family = {"family": [_link_to_dict(link) for link in dossier.family]}
    return {
        "format": FORMAT,
        "person": _plain(dossier.person),
        **(family if dossier.family_recorded or dossier.family else {}),
        "documents": [_plain(item) for item in dossier.documents],
        "titles": [_plain(item) for item in dossier.titles],
        "applications": [_application_to_dict(item) for item in dossier.applications],
        "stays_abroad": [_plain(item) for item in dossier.stays_abroad],
        **dossier.extra,
    }


def _plain(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item_field in dataclasses.fields(item):
        if item_field.name == "extra":
            continue
        value = getattr(item, item_field.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[item_field.name] = value
    out.update(item.extra)
    return out


def _application_to_dict(application: Application) -> dict[str, Any]:
    out = _plain(application)
    out["decision"] = None if application.decision is None else _plain(application.decision)
    return out


def _link_to_dict(link: FamilyLink) -> dict[str, Any]:
    linked: Any = link.person_id if link.dossier is None else dossier_to_dict(link.dossier)
    if isinstance(linked, dict):
        linked.pop("format")
    if link.bare and isinstance(linked, dict):  # written back as given: no episodes
        linked = linked["person"]
    return {"relation": link.relation, "person": linked, **link.extra}
