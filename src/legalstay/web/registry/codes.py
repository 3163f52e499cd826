"""Country, issuing-state and language codes: normalising and validating what a caseworker types."""

from __future__ import annotations

import re

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from legalstay.identity.countries import issuing_state, to_alpha2

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str) -> list[str]:
    """``"by, pl"`` → ``["BY", "PL"]``: caseworkers separate codes with commas or spaces."""
    return [code.upper() for code in CODE_SEPARATORS.split(text.strip()) if code]


def country_alpha2(code: str) -> str:
    """The ISO 3166 alpha-2 code for an alpha-2 or alpha-3 code; refuses anything else."""
    alpha2 = to_alpha2(code) if code.strip() else None
    if alpha2 is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166 country code (such as BY or BLR)."),
            code="unknown_country",
            params={"code": code},
        )
    return alpha2


def issuing_state_code(code: str) -> str:
    """An issuer as stored: ISO alpha-2 where one exists, else the ICAO 9303 code (``XXA``)."""
    stored = issuing_state(code)
    if stored is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166 or ICAO 9303 state code (such as BY, BLR or XXA)."),
            code="unknown_issuer",
            params={"code": code},
        )
    return stored


def language_alpha2(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code.strip().lower())
    if language is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 639-1 language code (such as be, ru or pl)."),
            code="unknown_language",
            params={"code": code},
        )
    return str(language.alpha_2)


def validate_country(value: str) -> None:
    if value and country_alpha2(value) != value:
        raise ValidationError(
            _("Use the two-letter code %(code)s."), params={"code": to_alpha2(value)}
        )


def validate_countries(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of country codes."))
    for code in value:
        validate_country(str(code))


def validate_issuer(value: str) -> None:
    if value and issuing_state_code(value) != value:
        raise ValidationError(
            _("Use the code %(code)s."), params={"code": issuing_state_code(value)}
        )


def validate_languages(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of language codes."))
    for code in value:
        if language_alpha2(str(code)) != code:
            raise ValidationError(_("Use the lower-case code %(code)s."), params={"code": code})
