"""Forms: parse what a caseworker typed; the models' ``clean()`` hold the rules.

(Django's form and admin classes are generic only in django-stubs; subclassing them with type
arguments needs django-stubs-ext at run time, so base classes carry ``type: ignore[type-arg]``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legalstay.dossier import (
    PERMANENT_RESIDENCE_GROUNDS,
    TEMPORARY_RESIDENCE_GROUNDS,
    VISA_GROUNDS,
    normalise_document_number,
)
from legalstay.identity.mrz import MrzError, MrzFields, parse_mrz
from legalstay.web.registry.answers import AnswerField, TriStateField
from legalstay.web.registry.codes import (
    country_alpha2,
    issuing_state_code,
    language_alpha2,
    split_codes,
)
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    DocumentKind,
    Person,
    StayAbroad,
    Title,
)

# Sensitive data: browsers should neither remember nor suggest it.
PRIVATE = {"autocomplete": "off"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_widgets(*names: str) -> dict[str, forms.Widget]:
    return {name: DateInput() for name in names}


class CodeListField(forms.CharField):
    """Codes typed as "BY, PL" (commas or spaces), cleaned into a list such as ["BY", "PL"]."""

    def __init__(self, *, normalise: Callable[[str], str], **kwargs: Any) -> None:
        self.normalise = normalise
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        codes = split_codes(super().to_python(value) or "")
        errors, cleaned = [], []
        for code in codes:
            try:
                cleaned.append(self.normalise(code))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(cleaned))

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


class CodeField(forms.CharField):
    """One code typed in either ISO form, stored normalised (``BLR`` → ``BY``)."""

    def __init__(self, *, normalise: Callable[[str], str], **kwargs: Any) -> None:
        self.normalise = normalise
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        return self.normalise(text) if text else ""


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    citizenships = CodeListField(
        normalise=country_alpha2,
        label=_("Citizenships"),
        help_text=_("ISO country codes separated by commas, such as BY, PL."),
    )
    birth_country = CodeField(normalise=country_alpha2, label=_("Country of birth"))
    languages = CodeListField(
        normalise=language_alpha2,
        label=_("Languages"),
        help_text=_("ISO 639-1 codes separated by commas, such as be, ru, pl."),
    )

    class Meta:
        model = Person
        fields = (
            "surname",
            "given_names",
            "surname_latin",
            "given_names_latin",
            "birth_date",
            "sex",
            "citizenships",
            "birth_country",
            "pesel",
            "languages",
            "phone",
            "email",
            "address",
            "arrived_on",
            "episodes_recorded",
        )
        widgets: ClassVar[dict[str, forms.Widget]] = {
            **date_widgets("birth_date", "arrived_on"),
            "address": forms.Textarea(attrs={"rows": 2, **PRIVATE}),
            "pesel": forms.TextInput(attrs={"inputmode": "numeric", **PRIVATE}),
            "phone": forms.TextInput(attrs={"type": "tel", **PRIVATE}),
            "email": forms.EmailInput(attrs=PRIVATE),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surname"].widget.attrs.update(PRIVATE)
        self.fields["given_names"].widget.attrs.update(PRIVATE)
        if self.instance.pk is None or self.instance.episodes_recorded:
            # Only a relative known by who they are is ever unticked (a dossier's bare
            # relative); for anyone else an unticked box would only mislead.
            del self.fields["episodes_recorded"]


class DocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    issuer = CodeField(normalise=issuing_state_code, label=_("Issuing state"))

    class Meta:
        model = Document
        fields = ("mrz", "kind", "issuer", "number", "issued", "expires", "status")
        widgets: ClassVar[dict[str, forms.Widget]] = {
            **date_widgets("issued", "expires"),
            "mrz": forms.Textarea(
                attrs={"rows": 3, "spellcheck": "false", "class": "mrz", **PRIVATE}
            ),
        }

    zone: MrzFields | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A pasted MRZ can supply the kind; clean() asks for it only when nothing does.
        self.fields["kind"].required = False

    def clean_mrz(self) -> str:
        lines = [line.strip().upper() for line in self.cleaned_data["mrz"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mrz"):
            self.zone = self._parse_mrz(cleaned["mrz"])
        if self.zone is not None:
            self._compare_with_mrz(cleaned, self.zone)
        if not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Choose the kind of document."))
        return cleaned

    def _parse_mrz(self, text: str) -> MrzFields | None:
        try:
            zone = parse_mrz(text, pivot=timezone.localdate())
        except MrzError as error:
            self.add_error("mrz", _("MRZ: %(problem)s") % {"problem": error})
            return None
        contradiction = self._not_this_persons(zone)
        if contradiction:
            self.add_error("mrz", contradiction)
            return None
        return zone

    def _not_this_persons(self, zone: MrzFields) -> str | None:
        """Another person's zone pasted by mistake: its birth date, or its sex (F or M on both
        sides), is not this person's. Names are not compared: their Latin spellings differ
        between a Belarusian passport and a Polish card."""
        person = self.instance.person if self.instance.person_id else None
        if person is None:
            return None
        if zone.birth_date and person.birth_date and zone.birth_date != person.birth_date:
            return _("MRZ: the birth date %(mrz)s is not this person's (%(person)s).") % {
                "mrz": zone.birth_date.isoformat(),
                "person": person.birth_date.isoformat(),
            }
        if {zone.sex, person.sex} <= {"F", "M"} and zone.sex != person.sex:
            return _("MRZ: the sex %(mrz)s is not this person's (%(person)s).") % {
                "mrz": zone.sex,
                "person": person.sex,
            }
        return None

    def _compare_with_mrz(self, cleaned: dict[str, Any], zone: MrzFields) -> None:
        """Fills blank fields from the zone; refuses typed values that contradict it."""
        for name, value in mrz_document_values(zone).items():
            typed = cleaned.get(name)
            if typed in (None, ""):
                cleaned[name] = value
            elif typed != value and name != "kind":  # the kind is only a guess
                self.add_error(name, _("The MRZ says %(value)s.") % {"value": display_value(value)})

    def filled_from_mrz(self) -> DocumentForm:
        """This form with its blank fields filled from the pasted MRZ, to check before saving."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        self.is_valid()
        if self.zone is not None:
            for name, value in mrz_document_values(self.zone).items():
                if not data.get(name):
                    data[name] = display_value(value)
        filled = DocumentForm(data, instance=self.instance)
        filled.is_valid()
        # Filling is not saving: a field still blank is not yet an error worth showing.
        for name in [name for name in filled.errors if name != "mrz"]:
            del filled.errors[name]
        return filled


def mrz_document_values(zone: MrzFields) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": document_kind_of(zone),
        "issuer": issuing_state_code(zone.issuing_state),
        "number": normalise_document_number(zone.document_number),
    }
    if zone.expiry_date:
        values["expires"] = zone.expiry_date
    return values


def document_kind_of(zone: MrzFields) -> str:
    """A first guess from the document code; the caseworker confirms it."""
    issued_by_poland_to_foreigner = zone.issuing_state == "POL" and zone.nationality != "POL"
    code = zone.document_code[:1]
    if code == "V":
        return DocumentKind.VISA
    if code == "P":
        if issued_by_poland_to_foreigner:
            return DocumentKind.TRAVEL_DOCUMENT_FOR_FOREIGNERS
        return DocumentKind.NATIONAL_PASSPORT
    if issued_by_poland_to_foreigner:
        return DocumentKind.RESIDENCE_CARD
    return DocumentKind.NATIONAL_ID_CARD


def display_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


GROUND_SUGGESTIONS = sorted(
    {*TEMPORARY_RESIDENCE_GROUNDS, *VISA_GROUNDS, *PERMANENT_RESIDENCE_GROUNDS}
)


class TitleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Title
        fields = ("kind", "ground", "valid_from", "valid_to", "decision_number")
        widgets: ClassVar[dict[str, forms.Widget]] = {
            **date_widgets("valid_from", "valid_to"),
            "ground": forms.TextInput(attrs={"list": "grounds"}),
        }


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Application
        fields = (
            "kind",
            "authority",
            "case_number",
            "channel",
            "submission_number",
            "filed",
            "formally_complete",
            "completed_on",
            "suspended_at_party_request",
        )
        widgets: ClassVar[dict[str, forms.Widget]] = date_widgets("filed", "completed_on")
        field_classes: ClassVar[dict[str, type[forms.Field]]] = {"formally_complete": TriStateField}


class ApplicationEventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ApplicationEvent
        fields = ("kind", "date", "outcome")
        widgets = date_widgets("date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].required = True


class StayAbroadForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StayAbroad
        fields = ("left", "returned", "reason")
        widgets = date_widgets("left", "returned")


def changes_of(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """The fields the caseworker changed, for ``save(update_fields=…)`` in the services."""
    return {name: form.cleaned_data[name] for name in form.changed_data}


# Facts the law asks about that no document shows: what the person says or proves. A fact
# not recorded is unknown, and an eligibility that depends on it says "cannot tell yet".
LEGAL_FACT_LABELS: dict[str, Any] = {
    "karta_polaka": _("holds the Karta Polaka"),
    "polish_origin": _("of Polish origin"),
    "stable_income_3_years": _("stable income over the last 3 years"),
    "health_insurance": _("health insurance"),
    "housing_and_registration": _("right to housing and registered stay"),
    "polish_language": _("knows Polish at the level required"),
    "without_parental_care": _("without parental care"),
    "trafficking_victim": _("presumed victim of trafficking"),
    "stateless": _("stateless"),
    "cannot_obtain_passport": _("cannot obtain a passport"),
    "married_to_polish_citizen": _("married to a Polish citizen"),
    "granted_asylum": _("granted asylum in Poland"),
}
MARRIED = "married_to_polish_citizen"
MARRIAGE_FACT = "married_to_polish_citizen_since"
_ANSWERS = (("", _("not recorded")), ("yes", _("yes")), ("no", _("no")))


class LegalFactsForm(forms.Form):
    """The person's answers to the facts the law asks about (``Person.facts``)."""

    def __init__(self, data: QueryDict | None = None, *, person: Person) -> None:
        self.person = person
        recorded = person.stored_facts()
        initial: dict[str, Any] = {name: _answer(recorded.get(name)) for name in LEGAL_FACT_LABELS}
        initial[MARRIAGE_FACT] = recorded.get(MARRIAGE_FACT)
        super().__init__(data, initial=initial)
        for name, label in LEGAL_FACT_LABELS.items():
            # The values shown go back with the answers (hidden), so only what the caseworker
            # changed is written (see update).
            self.fields[name] = AnswerField(
                choices=_ANSWERS,
                required=False,
                label=label,
                widget=forms.RadioSelect,
                show_hidden_initial=True,
            )
        self.fields[MARRIAGE_FACT] = forms.DateField(
            required=False,
            show_hidden_initial=True,
            label=_("Married to a Polish citizen since"),
            help_text=_("The date of the marriage, if married to a Polish citizen."),
            widget=DateInput(),
        )

    def clean_married_to_polish_citizen_since(self) -> dt.date | None:
        married: dt.date | None = self.cleaned_data.get(MARRIAGE_FACT)
        if married and married > timezone.localdate():
            raise ValidationError(_("The marriage date cannot be in the future."))
        birth = self.person.birth_date
        if married and birth and married < birth:
            raise ValidationError(_("The marriage date cannot be before the person's birth."))
        return married

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(MARRIAGE_FACT) and data.get(MARRIED) == "no":
            self.add_error(
                MARRIAGE_FACT,
                _("A marriage date is given, but the person is recorded as not married."),
            )
        if data.get("stateless") == "yes" and self.person.citizenships:
            self.add_error(
                "stateless",
                _(
                    "The person's citizenships list one: correct them before recording "
                    "statelessness."
                ),
            )
        return data

    def update(self, current: dict[str, Any]) -> dict[str, Any]:
        """``current`` (the facts as stored now) with only the answers changed on this form, so
        an answer another caseworker saved meanwhile is not undone; a marriage date implies the
        marriage."""
        facts = dict(current)
        for name in self.changed_data:
            value = self.cleaned_data[name]
            if name == MARRIAGE_FACT:
                value = value.isoformat() if value else None
            elif value:
                value = value == "yes"
            if value is None or value == "":
                facts.pop(name, None)
            else:
                facts[name] = value
        if facts.get(MARRIAGE_FACT):
            facts[MARRIED] = True
        return dict(sorted(facts.items()))


def recorded_facts(person: Person) -> list[tuple[Any, str]]:
    """The facts the law asks about that are recorded for the person, in words."""
    recorded = person.stored_facts()
    shown: list[tuple[Any, str]] = [
        (label, str(_("yes") if recorded[name] else _("no")))
        for name, label in LEGAL_FACT_LABELS.items()
        if isinstance(recorded.get(name), bool)
    ]
    if recorded.get(MARRIAGE_FACT):
        shown.append((_("Married to a Polish citizen since"), str(recorded[MARRIAGE_FACT])))
    return shown


def _answer(value: object) -> str:
    return "yes" if value is True else "no" if value is False else ""


class LinkExistingForm(forms.Form):
    relative = forms.UUIDField(
        label=_("Person"),
        error_messages={"required": _("Choose a person from the search results.")},
    )
