"""The page's filters and the staff upload form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legalstay.web.statistics.labels import country_label

DEFAULT_CITIZEN = "BY"
DEFAULT_GEO = "PL"
# Larger files (a whole Eurostat dataset) go through `legalstay manage import_statistics`.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FORMATS_HELP = _(
    "Eurostat TSV, SDMX-CSV 1.0 or 2.0, JSON-stat 2.0, UNHCR Refugee Data Finder tables or a "
    "published-figures table; gzip-packed files too. The format is told from the content."
)


class FilterForm(forms.Form):
    citizen = forms.ChoiceField(label=_("Citizenship"), required=False)
    geo = forms.ChoiceField(label=_("Country of residence or asylum"), required=False)

    def __init__(self, data: Any, *, citizens: Sequence[str], geos: Sequence[str]) -> None:
        super().__init__(data)
        self._choices("citizen", citizens, DEFAULT_CITIZEN)
        self._choices("geo", geos, DEFAULT_GEO)

    def _choices(self, name: str, codes: Sequence[str], default: str) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        known = sorted({*codes, default}, key=lambda code: (code != default, country_label(code)))
        field.choices = [(code, country_label(code)) for code in known]
        field.initial = default

    def selected(self) -> tuple[str, str]:
        """The chosen citizenship and country; the defaults for what is missing or unknown."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        chosen = self.cleaned_data
        return chosen.get("citizen") or DEFAULT_CITIZEN, chosen.get("geo") or DEFAULT_GEO


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern of Django's "Uploading multiple files")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        if not files and self.required:  # no file chosen: the browser sends an empty list
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [single(each, initial) for each in files]


class ImportForm(forms.Form):
    uploads = MultipleFileField(label=_("Files"), help_text=FORMATS_HELP)
    dataset = forms.RegexField(
        label=_("Dataset code"),
        regex=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        required=False,
        help_text=_(
            "Only for a Eurostat TSV file whose name does not contain the dataset code "
            "(e.g. migr_resvalid)."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        required=False,
        help_text=_("What to record as the source, if not what the file says."),
    )
    retrieved = forms.DateField(
        label=_("Retrieved on"),
        help_text=_("The day the files were downloaded from their publisher."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_retrieved(self) -> dt.date:
        # A retrieval day ahead would date the figures as fresher than any download could be.
        retrieved: dt.date = self.cleaned_data["retrieved"]
        if retrieved > timezone.localdate():
            raise forms.ValidationError(_("The files cannot have been downloaded after today."))
        return retrieved

    def clean_uploads(self) -> list[UploadedFile[Any]]:
        files: list[UploadedFile[Any]] = self.cleaned_data["uploads"]
        for upload in files:
            if (upload.size or 0) > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _(
                        "%(name)s is larger than %(limit)s MB; import it with "
                        "`legalstay manage import_statistics`."
                    ),
                    params={"name": upload.name, "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
                )
        return files
