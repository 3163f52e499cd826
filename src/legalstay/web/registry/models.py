"""The registry: persons, their families, documents, residence titles, applications, stays abroad.

Choice values are those of the dossier format (``legalstay.dossier``), so rows map to dossiers
without translation tables. Rules that involve one row live in the model's ``clean()`` so forms,
the admin and dossier imports all refuse the same bad input with a message on the field.
Every fact row keeps an ``extra`` dict: dossier fields the registry does not know, written back
unchanged on export, so a round trip loses nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legalstay.dossier import TIME_LIMITED_TITLES, normalise_document_number
from legalstay.identity.pesel import PeselError, check_pesel_matches, parse_pesel
from legalstay.identity.transliteration import search_keys, to_latin
from legalstay.web.registry.codes import (
    validate_countries,
    validate_country,
    validate_issuer,
    validate_languages,
)

NAME_PARTS = re.compile(r"[\s\-‐,.'’]+")


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNSPECIFIED = "X", _("unspecified (X)")


class Relation(models.TextChoices):
    """What the linked relative is to the person."""

    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SPOUSE = "spouse", _("spouse")

    @property
    def reverse(self) -> Relation:
        return {"parent": Relation.CHILD, "child": Relation.PARENT}.get(self.value, Relation.SPOUSE)


class DocumentKind(models.TextChoices):
    NATIONAL_PASSPORT = "national_passport", _("national passport")
    TRAVEL_DOCUMENT_FOR_FOREIGNERS = (
        "travel_document_for_foreigners",
        _("Polish travel document for foreigners (PDPdC)"),
    )
    TEMPORARY_TRAVEL_DOCUMENT_FOR_FOREIGNERS = (
        "temporary_travel_document_for_foreigners",
        _("temporary Polish travel document for foreigners"),
    )
    REFUGEE_TRAVEL_DOCUMENT = "refugee_travel_document", _("refugee travel document")
    RESIDENCE_CARD = "residence_card", _("residence card")
    IDENTITY_DOCUMENT_FOR_FOREIGNERS = (
        "identity_document_for_foreigners",
        _("Polish identity document for foreigners (PDTC)"),
    )
    TEMPORARY_IDENTITY_CERTIFICATE = (
        "temporary_identity_certificate",
        _("temporary identity certificate for applicants (TZC)"),
    )
    TOLERATED_STAY_DOCUMENT = "tolerated_stay_document", _("tolerated-stay document")
    VISA = "visa", _("visa")
    NEW_BELARUS_PASSPORT = "new_belarus_passport", _("“new Belarusian passport”")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
    NATIONAL_ID_CARD = "national_id_card", _("national identity card")


# Numbered by the office that drew them up, not by the state: two persons' birth certificates
# from two civil registry offices may carry the same number.
NUMBERED_BY_OFFICE = frozenset({DocumentKind.BIRTH_CERTIFICATE.value})


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    LOST = "lost", _("lost")
    STOLEN = "stolen", _("stolen")
    WITHDRAWN = "withdrawn", _("withdrawn")
    SURRENDERED = "surrendered", _("surrendered")


class TitleKind(models.TextChoices):
    TEMPORARY_RESIDENCE = "temporary_residence", _("temporary residence")
    PERMANENT_RESIDENCE = "permanent_residence", _("permanent residence")
    EU_LONG_TERM_RESIDENCE = "eu_long_term_residence", _("EU long-term residence")
    REFUGEE_STATUS = "refugee_status", _("refugee status")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("subsidiary protection")
    HUMANITARIAN_STAY = "humanitarian_stay", _("humanitarian stay")
    TOLERATED_STAY = "tolerated_stay", _("tolerated stay")
    VISA = "visa", _("stay on a visa")


class ApplicationKind(models.TextChoices):
    TEMPORARY_RESIDENCE = "temporary_residence", _("temporary residence")
    PERMANENT_RESIDENCE = "permanent_residence", _("permanent residence")
    EU_LONG_TERM_RESIDENCE = "eu_long_term_residence", _("EU long-term residence")
    REFUGEE_STATUS = "refugee_status", _("refugee status")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("subsidiary protection")
    HUMANITARIAN_STAY = "humanitarian_stay", _("humanitarian stay")
    TOLERATED_STAY = "tolerated_stay", _("tolerated stay")
    VISA = "visa", _("visa")
    INTERNATIONAL_PROTECTION = "international_protection", _("international protection")
    TRAVEL_DOCUMENT_FOR_FOREIGNERS = (
        "travel_document_for_foreigners",
        _("Polish travel document for foreigners (PDPdC)"),
    )
    IDENTITY_DOCUMENT_FOR_FOREIGNERS = (
        "identity_document_for_foreigners",
        _("Polish identity document for foreigners (PDTC)"),
    )


class Channel(models.TextChoices):
    MOS = "mos", _("online (MOS)")
    PAPER = "paper", _("on paper, by post")
    IN_PERSON = "in_person", _("in person")


class StayAbroadReason(models.TextChoices):
    # The reasons the law excuses from the breaks in stay (UoC arts. 211–212), and "other".
    WORK_FOR_EMPLOYER_IN_POLAND = (
        "work_for_employer_in_poland",
        _("work for an employer based in Poland"),
    )
    ACCOMPANYING_WORKER = (
        "accompanying_worker",
        _("accompanying such a worker (spouse or minor child)"),
    )
    POLISH_UNIVERSITY_PROGRAMME = (
        "polish_university_programme",
        _("internship or classes of a Polish university"),
    )
    SPECIAL_PERSONAL_SITUATION = (
        "special_personal_situation",
        _("special personal situation (up to six months)"),
    )
    OTHER = "other", _("other")


class EventKind(models.TextChoices):
    # The steps of a procedure before the decision are recorded for casework; the dossier
    # carries them in ``applications[].events`` and the rules read only the decision's.
    STAMP = "stamp", _("stamp in the passport or MOS certificate")
    SUMMONS = "summons", _("summons to complete documents (delivered)")
    FINGERPRINTS = "fingerprints", _("fingerprint appointment")
    DECISION_ISSUED = "decision_issued", _("decision issued")
    DELIVERED = "delivered", _("decision delivered")
    FINAL = "final", _("decision final")
    APPEAL_FILED = "appeal_filed", _("appeal filed")


# Steps that follow a decision: each needs one issued on or before its date.
AFTER_A_DECISION = (EventKind.DELIVERED, EventKind.FINAL, EventKind.APPEAL_FILED)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    DISCONTINUED = "discontinued", _("discontinued")


def extra_field() -> models.JSONField[Any]:
    return models.JSONField(
        _("fields from imported dossiers"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Kept unchanged and written back on export."),
    )


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A dossier imported with a non-UUID id keeps that id here, so re-importing it updates.
    external_id = models.CharField(_("external id"), max_length=200, blank=True, db_index=True)
    surname = models.CharField(_("surname (original script)"), max_length=100, blank=True)
    given_names = models.CharField(_("given names (original script)"), max_length=150, blank=True)
    surname_latin = models.CharField(
        _("surname (Latin)"),
        max_length=100,
        blank=True,
        help_text=_("Left blank, it is transliterated from the original script (ICAO 9303)."),
    )
    given_names_latin = models.CharField(_("given names (Latin)"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    citizenships = models.JSONField(
        _("citizenships"), default=list, blank=True, validators=[validate_countries]
    )
    birth_country = models.CharField(
        _("country of birth"), max_length=2, blank=True, validators=[validate_country]
    )
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    arrived_on = models.DateField(_("arrived in Poland"), null=True, blank=True)
    facts = models.JSONField(
        _("facts"), default=dict, blank=True, help_text=_("Facts the law asks about, by name.")
    )
    # False for a relative known only by who they are (a dossier's bare relative): their
    # titles are unknown, not none, so a child's routes through them read "not known".
    episodes_recorded = models.BooleanField(
        _("documents and permits recorded"),
        default=True,
        help_text=_(
            "Unticked for a relative known only by who they are (their permits unknown, not "
            "none): tick it once what they hold is recorded, or if they hold nothing."
        ),
    )
    # Denormalised: " key key … " from search_keys() of every name form, so a search in either
    # script looks at one column (trigram-indexed on PostgreSQL, migration 0002); rebuilt by
    # refresh_name_keys() on every write.
    name_keys = models.CharField(max_length=1000, blank=True, editable=False)
    extra = extra_field()
    dossier_extra = extra_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = (models.Index(fields=["surname_latin", "given_names_latin", "id"]),)
        constraints = (
            models.UniqueConstraint(
                fields=["pesel"],
                condition=~Q(pesel=""),
                name="registry_person_unique_pesel",
                violation_error_code="unique",
                violation_error_message=_("Another person in the registry has this PESEL."),
            ),
        )

    def __str__(self) -> str:
        return self.display_name

    def stored_facts(self) -> dict[str, Any]:
        """The facts the law asks about, as recorded (a stored value that is not an object
        records none)."""
        return dict(self.facts) if isinstance(self.facts, dict) else {}

    @property
    def display_name(self) -> str:
        return f"{self.surname_latin} {self.given_names_latin}".strip()

    @property
    def original_name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()

    def fill_latin_names(self) -> None:
        """Transliterates names typed only in the original script; capitalises typed Latin."""
        self.surname_latin = latin(
            self.surname_latin or self.surname,
            cyrillic_language(self.surname_latin or f"{self.surname} {self.given_names}"),
        )
        self.given_names_latin = latin(
            self.given_names_latin or self.given_names,
            cyrillic_language(self.given_names_latin or f"{self.surname} {self.given_names}"),
        )

    def refresh_name_keys(self) -> None:
        self.name_keys = name_keys_of(
            self.surname, self.given_names, self.surname_latin, self.given_names_latin
        )

    def clean(self) -> None:
        self.fill_latin_names()
        errors: dict[str, Any] = {}
        if not self.surname_latin:
            errors["surname"] = _("Enter the surname, in Cyrillic or in Latin letters.")
        errors.update(self._date_errors())
        errors.update(self._pesel_errors())
        if self.citizenships and self.stored_facts().get("stateless") is True:
            errors["citizenships"] = _(
                "The person is recorded as stateless: change that answer (facts the law asks "
                "about) before recording a citizenship."
            )
        if self.pk and "birth_date" not in errors:
            errors.update(self._family_errors())
        if self.pk and "birth_date" not in errors:
            errors.update(self._episode_errors())
        if errors:
            raise ValidationError(errors)

    def _date_errors(self) -> dict[str, Any]:
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            return {"birth_date": _("The birth date is in the future.")}
        if self.birth_date and self.arrived_on and self.arrived_on < self.birth_date:
            return {"arrived_on": _("The arrival is before the birth date.")}
        return {}

    def _pesel_errors(self) -> dict[str, Any]:
        if not self.pesel:
            return {}
        try:
            facts = parse_pesel(self.pesel)
        except PeselError as error:
            return {"pesel": str(error)}
        # A PESEL states the birth date and sex: take them when the caseworker left them blank.
        self.birth_date = self.birth_date or facts.birth_date
        self.sex = self.sex or facts.sex
        mismatches = check_pesel_matches(self.pesel, self.birth_date, self.sex)
        return {"pesel": mismatches} if mismatches else {}

    def _episode_errors(self) -> dict[str, Any]:
        """A birth date moved after the first day of a document, permit, application or stay
        abroad already recorded (each of them refuses a day before the birth)."""
        if not self.birth_date:
            return {}
        firsts = [
            Document.objects.filter(person=self).aggregate(first=models.Min("issued"))["first"],
            Title.objects.filter(person=self).aggregate(first=models.Min("valid_from"))["first"],
            Application.objects.filter(person=self).aggregate(first=models.Min("filed"))["first"],
            StayAbroad.objects.filter(person=self).aggregate(first=models.Min("left"))["first"],
        ]
        earliest = min((day for day in firsts if day is not None), default=None)
        if earliest is None or earliest >= self.birth_date:
            return {}
        message = _("Something recorded for this person is dated before this birth date (%(day)s).")
        return {"birth_date": message % {"day": earliest.isoformat()}}

    def _family_errors(self) -> dict[str, Any]:
        links = FamilyLink.objects.filter(person=self).select_related("relative")
        for link in links.exclude(relation=Relation.SPOUSE):
            message = birth_order_error(self, link.relative, link.relation)
            if message:
                return {"birth_date": message}
        return {}


@functools.lru_cache(maxsize=100_000)
def latin(name: str, language: str) -> str:
    # Cached for bulk loads, where the same names come back again and again.
    return to_latin(name, language)


def cyrillic_language(text: str) -> str:
    """The transliteration table for a name: its letters tell Russian and Ukrainian apart from
    Belarusian, the default here ("Сергей" is Russian: И; "Сяргей" could be either)."""
    upper = text.upper()
    if set(upper) & set("ЇЄҐ"):
        return "uk"
    if set(upper) & set("ИЩЪ"):
        return "ru"
    return "be"


def name_keys_of(*names: str) -> str:
    """ " key key … ": every word of every name form, as every spelling search_keys() knows."""
    keys: set[str] = set()
    for name in names:
        for word in NAME_PARTS.split(name):
            keys.update(word_keys(word))
    return f" {' '.join(sorted(keys))} " if keys else ""


@functools.lru_cache(maxsize=100_000)
def word_keys(word: str) -> frozenset[str]:
    # Names repeat (a household shares a surname, given names come from short lists), so a
    # bulk load of hundreds of thousands of persons transliterates each word once.
    return (
        frozenset(part for key in search_keys(word) for part in key.split())
        if word
        else frozenset()
    )


def birth_order_error(person: Person, relative: Person, relation: str) -> str | None:
    """A message if ``relative`` (the person's parent or child) is born in an impossible order."""
    if relation == Relation.SPOUSE or not (person.birth_date and relative.birth_date):
        return None
    parent, child = (relative, person) if relation == Relation.PARENT else (person, relative)
    assert parent.birth_date and child.birth_date
    if parent.birth_date < child.birth_date:
        return None
    return str(
        _(
            "A parent must be born before their child: the parent was born on %(parent)s, "
            "the child on %(child)s."
        )
        % {"parent": parent.birth_date.isoformat(), "child": child.birth_date.isoformat()}
    )


class FamilyLink(models.Model):
    """``relative`` is the person's ``relation``; stored in both directions by the services."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_links")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    extra = extra_field()

    class Meta:
        verbose_name = _("family link")
        verbose_name_plural = _("family links")
        constraints = (
            models.UniqueConstraint(fields=["person", "relative"], name="registry_link_once"),
            models.CheckConstraint(
                condition=~Q(person=F("relative")), name="registry_link_not_to_self"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person_id} → {self.relation} → {self.relative_id}"


def refuse_before_birth(record: Any, field: str, day: dt.date | None) -> None:
    """Nothing recorded about a person happens before their birth: a day before it is a typing
    mistake (1950 for 2015), which would read as years of stay or of a document held."""
    birth = record.person.birth_date if record.person_id else None
    if birth and day and day < birth:
        raise ValidationError(
            {
                field: _("This is before the person's birth date (%(birth)s).")
                % {"birth": birth.isoformat()}
            }
        )


def refuse_after_today(field: str, day: dt.date | None) -> None:
    """A record of what happened (an issue, a filing, a decision, a departure) cannot be dated
    after today: 2099 for 2009 is a typing mistake, which would hide the fact from every
    assessment until then. Days ahead that are known (a title from a later day, an expiry, a
    fingerprint appointment) are not refused."""
    if day and day > timezone.localdate():
        raise ValidationError({field: _("This day has not come yet.")})


class Document(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=50, choices=DocumentKind.choices)
    issuer = models.CharField(
        _("issuing state"),
        max_length=3,
        blank=True,
        validators=[validate_issuer],
        help_text=_("ISO 3166 or ICAO 9303 code, such as BY, PL or XXA."),
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    issued = models.DateField(_("issued on"), null=True, blank=True)
    expires = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Left blank, the rules derive it from the law in force on the issue date."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    mrz = models.TextField(
        _("machine-readable zone"),
        blank=True,
        help_text=_("The two or three lines at the bottom of the data page, as printed."),
    )
    extra = extra_field()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = (
            models.Index(fields=["number"]),
            models.Index(fields=["kind", "expires"]),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def clean(self) -> None:
        self.number = normalise_document_number(self.number)
        refuse_before_birth(self, "issued", self.issued)
        refuse_after_today("issued", self.issued)
        if self.issued and self.expires and self.expires < self.issued:
            raise ValidationError(
                {
                    "expires": _("The expiry date is before the issue date %(issued)s.")
                    % {"issued": self.issued.isoformat()}
                }
            )
        self._refuse_a_number_recorded_twice()

    def _refuse_a_number_recorded_twice(self) -> None:
        """One document recorded twice is two documents to the rules: the copy left valid when
        the other is marked lost still reads as held. A document without a number is never
        taken for another; one whose kind, issuer and number are as stored is not checked
        again, so a pair recorded before this check (or loaded in bulk) does not stop a
        correction of its dates or status."""
        if not self.number or self.person_id is None or not self._identity_changed():
            return
        same = Document.objects.filter(
            kind=self.kind, issuer=self.issuer, number=self.number
        ).exclude(pk=self.pk)
        if same.filter(person_id=self.person_id).exists():
            raise ValidationError(
                {
                    "number": _(
                        "A document of this kind and issuer with this number is already "
                        "recorded for this person."
                    )
                }
            )
        # A state numbers its passports and cards once; whose the other is stays unsaid (the
        # caseworker may not see that person).
        if self.issuer and self.kind not in NUMBERED_BY_OFFICE and same.exists():
            raise ValidationError(
                {
                    "number": _(
                        "A document of this kind and issuer with this number is already "
                        "recorded in the registry for another person."
                    )
                }
            )

    def _identity_changed(self) -> bool:
        """New, or its kind, issuer or number changed from what is stored."""
        if self.pk is None:
            return True
        stored = Document.objects.filter(pk=self.pk).values_list("kind", "issuer", "number")
        return stored.first() != (self.kind, self.issuer, self.number)


class Title(models.Model):
    """A residence title or protection grant and its period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=50, choices=TitleKind.choices)
    ground = models.CharField(
        _("ground"),
        max_length=64,
        blank=True,
        help_text=_("For example work, family, humanitarian_visa_belarus, protection_5_years."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Leave blank for an indefinite title.")
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    extra = extra_field()

    class Meta:
        verbose_name = _("residence title")
        verbose_name_plural = _("residence titles")
        indexes = (models.Index(fields=["kind", "valid_to"]),)

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        refuse_before_birth(self, "valid_from", self.valid_from)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {
                    "valid_to": _("The title ends before it starts (%(start)s).")
                    % {"start": self.valid_from.isoformat()}
                }
            )
        if self.valid_to is None and self.kind in TIME_LIMITED_TITLES:
            # An open end would read as legal stay for ever (UoC art. 98 ust. 1).
            raise ValidationError(
                {
                    "valid_to": _(
                        "A temporary residence permit or a visa is granted for a fixed period: "
                        "give its last day."
                    )
                }
            )


class Application(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=50, choices=ApplicationKind.choices)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    submission_number = models.CharField(_("submission number"), max_length=100, blank=True)
    filed = models.DateField(_("filed on"))
    formally_complete = models.BooleanField(_("formally complete"), null=True, blank=True)
    completed_on = models.DateField(
        _("formally complete on"),
        null=True,
        blank=True,
        help_text=_("Starts the statutory deadline for the decision."),
    )
    suspended_at_party_request = models.BooleanField(
        _("suspended at the applicant's request"), default=False
    )
    extra = extra_field()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = (models.Index(fields=["kind", "filed"]), models.Index(fields=["case_number"]))

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        refuse_before_birth(self, "filed", self.filed)
        refuse_after_today("filed", self.filed)
        if self.filed and self.completed_on and self.completed_on < self.filed:
            raise ValidationError(
                {
                    "completed_on": _(
                        "The application cannot be complete before it was filed (%(filed)s)."
                    )
                    % {"filed": self.filed.isoformat()}
                }
            )
        if self.completed_on and self.formally_complete is False:
            raise ValidationError(
                {"formally_complete": _("It has a completion date, so it is formally complete.")}
            )
        self._check_filed_before_its_steps()

    def _check_filed_before_its_steps(self) -> None:
        if not (self.pk and self.filed):
            return
        dates = self.events.filter(date__isnull=False).values_list("date", flat=True)
        first: dt.date | None = dates.order_by("date").first()
        if first is not None and first < self.filed:
            raise ValidationError(
                {
                    "filed": _("A step of this application is dated before it (%(date)s).")
                    % {"date": first.isoformat()}
                }
            )


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    # Nullable for imported decisions whose date nobody recorded; the form asks for it.
    date = models.DateField(_("date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    extra = extra_field()

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = (models.Index(fields=["kind", "date"]),)

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        if self.kind != EventKind.FINGERPRINTS:  # an appointment is made for a day ahead
            refuse_after_today("date", self.date)
        if self.kind == EventKind.DECISION_ISSUED and not self.outcome:
            raise ValidationError({"outcome": _("A decision has an outcome.")})
        if self.kind != EventKind.DECISION_ISSUED and self.outcome:
            raise ValidationError({"outcome": _("Only a decision has an outcome.")})
        filed: dt.date | None = self.application.filed if self.application_id else None
        if filed and self.date and self.date < filed:
            raise ValidationError(
                {
                    "date": _("This is before the application was filed (%(filed)s).")
                    % {"filed": filed.isoformat()}
                }
            )
        self._check_follows_a_decision()

    def _check_follows_a_decision(self) -> None:
        """A delivery, a finality or an appeal follows a decision issued on or before it (the
        dossier's reader refuses them otherwise, and the dossier would not say them); a
        decision recorded without its issue day was issued by then, whenever that was. A
        decision moved keeps every step recorded after a decision, and the steps of the
        latest decision read as the dossier reads them (an appeal after the delivery)."""
        if not self.application_id:
            return
        others = self.application.events.exclude(pk=self.pk)  # all of them for a new event
        problem = steps_problem([*others, self], edited=self)
        if problem:
            raise ValidationError({"date": problem})

    def check_removal(self) -> None:
        """Removing this event leaves the application's steps readable (a decision removed
        would leave its delivery or finality following none)."""
        problem = steps_problem(list(self.application.events.exclude(pk=self.pk)))
        if problem:
            raise ValidationError(problem)


def steps_problem(
    events: list[ApplicationEvent], edited: ApplicationEvent | None = None
) -> str | None:
    """What makes an application's events unreadable as a dossier's decision: a step with no
    decision on or before it (``edited``: the step being saved), or an appeal of the latest
    decision before its delivery. Ordered as the dossier's export orders them."""
    ordered = sorted(events, key=lambda e: (e.date or dt.date.min, e.pk or 2**62))
    decision_seen = False
    for event in ordered:
        decision_seen = decision_seen or event.kind == EventKind.DECISION_ISSUED
        if event.kind not in AFTER_A_DECISION or not event.date or decision_seen:
            continue
        if event is edited:
            return str(_("Record the decision first: this step follows a decision issued by then."))
        return str(
            _(
                "The step “%(step)s” of %(date)s would then follow no decision: move or "
                "remove that step first."
            )
            % {"step": event.get_kind_display(), "date": event.date.isoformat()}
        )
    latest = [i for i, e in enumerate(ordered) if e.kind == EventKind.DECISION_ISSUED]
    after = ordered[latest[-1] + 1 :] if latest else []
    delivered = next((e.date for e in after if e.kind == EventKind.DELIVERED), None)
    appeal = next((e.date for e in after if e.kind == EventKind.APPEAL_FILED), None)
    if appeal and delivered and appeal < delivered:
        return str(
            _("The appeal (%(appeal)s) is before the decision was delivered (%(delivered)s).")
            % {"appeal": appeal.isoformat(), "delivered": delivered.isoformat()}
        )
    return None


class StayAbroad(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stays_abroad")
    left = models.DateField(_("left Poland on"))
    returned = models.DateField(
        _("returned on"), null=True, blank=True, help_text=_("Leave blank while still abroad.")
    )
    reason = models.CharField(
        _("reason"),
        max_length=32,
        choices=StayAbroadReason.choices,
        blank=True,
        help_text=_("Some reasons are no break in stay; leave blank if not known."),
    )
    extra = extra_field()

    class Meta:
        verbose_name = _("stay abroad")
        verbose_name_plural = _("stays abroad")

    def __str__(self) -> str:
        return f"{self.left} – {self.returned or ''}"

    def clean(self) -> None:
        refuse_before_birth(self, "left", self.left)
        refuse_after_today("left", self.left)
        if self.left and self.returned and self.returned < self.left:
            raise ValidationError(
                {
                    "returned": _("The return is before leaving Poland on %(left)s.")
                    % {"left": self.left.isoformat()}
                }
            )
        other = self._overlapping()
        if other is not None:
            # A break is judged by its length (UoC arts. 211–212): one absence recorded twice
            # would be judged as two shorter ones, as the dossier reader refuses it too.
            raise ValidationError(
                {
                    "left": _(
                        "This stay abroad overlaps the one from %(left)s to %(returned)s: "
                        "record one absence once."
                    )
                    % {
                        "left": other.left.isoformat(),
                        "returned": other.returned.isoformat() if other.returned else "…",
                    }
                }
            )

    def _overlapping(self) -> StayAbroad | None:
        """Another stay of the person sharing a day with this one (one may begin on the day
        another ended: the day of return is spent in Poland)."""
        if not self.left or self.person_id is None:
            return None
        others = StayAbroad.objects.filter(person_id=self.person_id).exclude(pk=self.pk)
        if self.returned is not None:
            others = others.filter(left__lt=self.returned)
        others = others.filter(Q(returned__isnull=True) | Q(returned__gt=self.left))
        return others.order_by("left").first()
