"""Words the page shows for codes: country names in the reader's language, measures, outcomes.

The core names things in English inside its drawings and report (it never imports Django);
the page's own headings, captions and table headers are translated here and in the templates.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.functional import Promise
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from legalstay.stats import eurostat_to_iso
from legalstay.web.registry.models import DocumentKind, TitleKind

SPECIAL_COUNTRIES: dict[str, Promise] = {
    "EU27_2020": _("EU-27 (from 2020)"),
    "EU28": _("EU-28"),
    "EXT_EU27_2020": _("outside the EU-27"),
    "TOTAL": _("all countries"),
    "STLS": _("stateless"),
    "UNK": _("unknown"),
    "RNC": _("recognised non-citizens"),
}

MEASURES: dict[str, Promise] = {
    "residence_permit_holders": _("Residence permits held on 31 December"),
    "first_permits": _("First residence permits issued in the year"),
    "asylum_applications": _("New asylum applications in the year"),
    "protection_granted": _("International protection granted in the year"),
}

OUTCOMES: dict[str, Promise] = {
    "recognized": _("refugee status"),
    "other": _("complementary protection"),
    "rejected": _("rejected"),
    "closed": _("closed without decision"),
}

CASELOAD_TABLES: dict[str, Promise] = {
    "caseload_stay_basis": _("Persons by basis of legal stay"),
    "caseload_travel_document": _("Persons by valid travel document"),
    "caseload_indicators": _("Persons with each flag"),
}


# Caseload codes that are not a registry title or document kind.
CASELOAD_CODES: dict[str, Promise] = {
    "pending_application": _("pending application"),
    "pending_protection_application": _("pending protection application"),
    "visa_free": _("visa-free stay"),
    "none": _("none"),
    "unknown": _("unknown"),
    "TOTAL": _("all"),
    "irregular_stay": _("irregular stay"),
    "no_valid_travel_document": _("no valid travel document"),
    "child_without_identity_document": _("child without an identity document"),
    "authority_late": _("authority late with its decision"),
}


def caseload_label(code: str) -> str:
    """A legal-stay basis, travel document kind or flag in words (the registry's words where
    the code is one of its title or document kinds)."""
    for labels in (CASELOAD_CODES, dict(TitleKind.choices), dict(DocumentKind.choices)):
        if code in labels:
            return str(labels[code])
    return code.replace("_", " ")


def country_name(code: str) -> str:
    """``BY`` → "Belarus" (in the active language where pycountry has it); Eurostat's own
    codes (EL, UK, STLS …) too; an unknown code stays a code."""
    if code in SPECIAL_COUNTRIES:
        return str(SPECIAL_COUNTRIES[code])
    iso = eurostat_to_iso(code) or code
    country = pycountry.countries.get(alpha_2=iso) if len(iso) == 2 else None
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    return _country_catalogue(to_locale(get_language() or "en")).gettext(name)


def country_label(code: str) -> str:
    """``BY`` → "Belarus (BY)", for choices and headings."""
    name = country_name(code)
    return name if name == code else f"{name} ({code})"


@cache
def _country_catalogue(locale: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


FLAGS: dict[str, Promise] = {
    "b": _("break in time series (Eurostat)"),
    "c": _("confidential or withheld"),
    "d": _("definition differs, see metadata (Eurostat)"),
    "e": _("estimated (Eurostat)"),
    "p": _("provisional (Eurostat)"),
    "u": _("low reliability (Eurostat)"),
    "z": _("not applicable (Eurostat)"),
    ":": _("not available"),
    "~": _("about (the published figure was rounded)"),
    ">": _("more than"),
    ">=": _("at least"),
}
