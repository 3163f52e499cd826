"""Answers of yes, no or not known on a form: a value the form's own widget does not post is
refused, naming the field and the values allowed.

Django's ``NullBooleanSelect`` reads any value it does not know ("maybe", a script's typo) as
unknown: a recorded answer would be erased without a word, and an eligibility that read it
would turn to "cannot tell yet".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# What TriStateSelect posts (NullBooleanSelect's options), and an empty value as unknown.
POSTED_ANSWERS: Mapping[str, bool | None] = {
    "unknown": None,
    "": None,
    "true": True,
    "false": False,
}


def not_allowed(label: Any, value: object, choices: Any) -> ValidationError:
    """The refusal of ``value``, naming the field and each value allowed (``choices``, the
    field's or its widget's pairs of value and label) with its label."""
    allowed = ", ".join(
        _("“%(value)s” (%(label)s)") % {"value": option, "label": text} for option, text in choices
    )
    return ValidationError(
        _("%(field)s: “%(value)s” is not one of the values allowed: %(allowed)s."),
        code="invalid_choice",
        params={"field": capfirst(label), "value": value, "allowed": allowed},
    )


class TriStateSelect(forms.NullBooleanSelect):
    """Django's select of unknown, yes and no, handing what was posted to the field as it came."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class TriStateField(forms.NullBooleanField):
    """Yes (``True``), no (``False``) or not known (``None``), as :class:`TriStateSelect`
    posts them (``true``, ``false``, ``unknown``; nothing posted is unknown too)."""

    widget = TriStateSelect

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value is None or isinstance(value, bool):  # a form bound in code
            return value
        if isinstance(value, str) and value in POSTED_ANSWERS:
            return POSTED_ANSWERS[value]
        raise not_allowed(self.label, value, self.widget.choices)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return super().has_changed(initial, data)
        except ValidationError:
            return True


class AnswerField(forms.ChoiceField):
    """One of a few answers (a fact's yes, no or not recorded): a value outside them is refused
    naming the field and the values allowed, where Django's message names neither."""

    def validate(self, value: Any) -> None:
        if value not in self.empty_values and not self.valid_value(value):
            raise not_allowed(self.label, value, self.choices)
        super().validate(value)
