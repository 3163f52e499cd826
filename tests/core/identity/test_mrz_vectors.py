"""The parser against the permissively licensed vectors in fixtures/mrz_vectors.json.

Every vector has an expectation here: the fields we read, or the check we refuse it on.
Where a source calls a zone invalid only because 'UTO' (Utopia) is no real state, we read it:
state codes are the caller's business (legalstay.identity.countries), check digits are ours.
"""

import datetime
import json
from pathlib import Path

import pytest

from legalstay.identity.mrz import MrzError, parse_mrz

from .specimens import UTOPIA_TD3_FIELDS

FIXTURES = Path(__file__).parent / "fixtures"
VECTORS = {
    entry["id"]: entry
    for entry in json.loads((FIXTURES / "mrz_vectors.json").read_text(encoding="utf-8"))["entries"]
}
# A fixed "today": several specimens date from the 1990s and need it to read their birth years.
PIVOT = datetime.date(2025, 1, 1)

# The Utopia specimen as a card (TD1, TD2): same person, another number, no optional data.
ERIKSSON = {
    **{name: value for name, value in UTOPIA_TD3_FIELDS.items() if name != "format"},
    "document_code": "I",
    "document_number": "D23145890",
    "optional_data": "",
}
ERIKSSON_TD3 = UTOPIA_TD3_FIELDS
MUSTERMANN = {
    "format": "TD3",
    "document_code": "P",
    "issuing_state": "D",
    "document_number": "C01X0006H",
    "surname": "MUSTERMANN",
    "given_names": "ERIKA",
    "nationality": "D",
    "birth_date": "1964-08-12",
    "sex": "F",
    "expiry_date": "2017-10-31",
    "optional_data": "",
}
SMITH = {
    "format": "TD1",
    "document_code": "ID",
    "issuing_state": "CHE",
    "document_number": "A1234567",
    "surname": "SMITH",
    "given_names": "JOHN ALBERT",
    "nationality": "CHE",
    "birth_date": "1975-10-25",
    "sex": "M",
    "expiry_date": "2020-09-01",
    "optional_data": "",
}
CACADOR = {
    "format": "TD1",
    "document_code": "I",
    "issuing_state": "PRT",
    "surname": "CACADOR DE ARAUJO",
    "given_names": "ANDRE ESTEV",
    "nationality": "PRT",
    "birth_date": "1983-03-14",
    "sex": "M",
    "optional_data": "",
}
PRT_BO_04001 = {**CACADOR, "document_number": "007666667ZZ0", "expiry_date": "2034-05-29"}
REINARTZ = {
    "format": "TD1",
    "document_code": "ID",
    "issuing_state": "BEL",
    "document_number": "000590240601",
    "surname": "REINARTZ",
    "given_names": "ULRIKE KATIA E",
    "nationality": "BEL",
    "birth_date": "1985-12-01",
    "sex": "F",
    "expiry_date": "2013-11-04",
    "optional_data": "85120100200",
}

READ = {
    "icao9303-p4-td3-specimen": ERIKSSON_TD3,
    "icao9303-p6-td2-specimen": {**ERIKSSON, "format": "TD2"},
    "icao9303-p5-td1-specimen": {**ERIKSSON, "format": "TD1"},
    "PassportEye:td1-aut": {
        "format": "TD1",
        "document_code": "ID",
        "issuing_state": "AUT",
        "document_number": "10000999",
        "surname": "MUSTERFRAU",
        "given_names": "ISOLDE",
        "nationality": "AUT",
        "birth_date": "1971-09-09",
        "sex": "F",
        "expiry_date": "2011-12-31",
        "optional_data": "",
    },
    "PassportEye:td2-uto": {**ERIKSSON, "format": "TD2"},
    "PassportEye:mrva-usa": {
        "format": "MRV-A",
        "document_code": "VI",
        "issuing_state": "USA",
        "document_number": "555123ABC",
        "surname": "TRAVELER",
        "given_names": "HAPPYPERSON",
        "nationality": "GBR",
        "birth_date": "1965-02-05",
        "sex": "F",
        "expiry_date": "2004-12-23",
        "optional_data": "1FLNDDDAM5803085",
    },
    "PassportEye:td3-pol": {
        "format": "TD3",
        "document_code": "P",
        "issuing_state": "POL",
        "document_number": "AA0000000",
        "surname": "KOWALSKA KWIATKOWSKA",
        "given_names": "JOANNA",
        "nationality": "POL",
        "birth_date": "1960-02-08",
        "sex": "F",
        "expiry_date": "2014-12-31",
        "optional_data": "",
    },
    "cheminfo:td3:Utopia example": ERIKSSON_TD3,
    "cheminfo:td3:Use autocorrection": ERIKSSON_TD3,
    "cheminfo:td3:German example": MUSTERMANN,
    "cheminfo:td3:No last name": {
        **MUSTERMANN,
        "issuing_state": "IND",
        "surname": "",
        "given_names": "FIRST NAME",
    },
    "cheminfo:td3:CHN PO": {
        "format": "TD3",
        "document_code": "PO",
        "issuing_state": "CHN",
        "document_number": "E59659321",
        "surname": "ABULIKEMU",
        "given_names": "ABULA",
        "nationality": "CHN",
        "birth_date": "1997-01-07",
        "sex": "M",
        "expiry_date": "2025-10-07",
        "optional_data": "LAKCLCLMMBKGG9",
    },
    "cheminfo:td3:CHN PT": {
        "format": "TD3",
        "document_code": "PT",
        "issuing_state": "CHN",
        "document_number": "G62292599",
        "surname": "CESHI",
        "given_names": "YANGBEN",
        "nationality": "CHN",
        "birth_date": "1983-10-29",
        "sex": "F",
        "expiry_date": "2019-04-22",
        "optional_data": "LCOCMKNENBPJB9",
    },
    "cheminfo:td1:swiss ID - valid": SMITH,
    "cheminfo:td1:Use autocorrection": SMITH,
    "cheminfo:td1:Portuguese ID - valid": {
        **CACADOR,
        "document_number": "007777779ZZ9",
        "expiry_date": "2034-05-28",
    },
    "cheminfo:td1:Portuguese ID PRT-BO-04001 - valid": PRT_BO_04001,
    "cheminfo:td1:PRADO Portugal ID PRT-BO-04001 - valid": PRT_BO_04001,
    "cheminfo:td1:Belgium ID BEL-BO-11005 - valid": {
        "format": "TD1",
        "document_code": "ID",
        "issuing_state": "BEL",
        "document_number": "600001795015",
        "surname": "SPECIMEN",
        "given_names": "SPECIMEN",
        "nationality": "BEL",
        "birth_date": "2013-01-01",
        "sex": "F",
        "expiry_date": "2023-11-20",
        "optional_data": "13010198739",
    },
    "cheminfo:td1:Finland ID FIN-BO-12001 - valid": {
        "format": "TD1",
        "document_code": "I",
        "issuing_state": "FIN",
        "document_number": "XA1000058",
        "surname": "SPECIMEN TRAVEL",
        "given_names": "VILMA SOFIA",
        "nationality": "FIN",
        "birth_date": "1995-01-01",
        "sex": "F",
        "expiry_date": "2028-03-13",
        "optional_data": "010195 112X",
    },
    "cheminfo:td1:Utopia example": {**ERIKSSON, "format": "TD1", "optional_data": "ABC"},
    "cheminfo:td1:Document number field details": {
        **ERIKSSON,
        "format": "TD1",
        "document_number": "D23145890123",
    },
    "cheminfo:td1:parse document number ICAO Doc 9303 Sample": {
        "format": "TD1",
        "document_code": "I",
        "issuing_state": "UTO",
        "document_number": "D23145890734",
        "surname": "STEVENSON",
        "given_names": "PETER JOHN",
        "nationality": "UTO",
        "birth_date": "1934-07-12",
        "sex": "M",
        "expiry_date": "2095-07-12",  # expiry years are always 20YY (module docstring)
        "optional_data": "",
    },
    "cheminfo:td1:No last name": {
        **ERIKSSON,
        "format": "TD1",
        "issuing_state": "CHE",
        "nationality": "CHE",
        "surname": "",
        "optional_data": "ABC",
    },
    "cheminfo:td1:Belgium ID BEL-BO-03003 with embedded document check digit": REINARTZ,
    "cheminfo:td2:Utopia example": {**ERIKSSON, "format": "TD2"},
    "cheminfo:td2:Use autocorrect": {**ERIKSSON, "format": "TD2"},
}

REFUSED = {
    "PassportEye:td1-aut-bad-composite": "composite_check_digit",
    "PassportEye:ocr-noisy-td1": "format",  # OCR text only: its 'mrz' list is empty
    "PassportEye:ocr-cleaner-td3-pol": "format",
    "cheminfo:td3:Utopia example - wrong personal number check digit": (
        "optional_data_check_digit"
    ),
    "cheminfo:td1:Belgium ID BEL-BO-03003, with wrong document number check digit": (
        "document_number_check_digit"
    ),
    "cheminfo:td1:Belgium ID BEL-BO-03003, with wrong birth date check digit": (
        "birth_date_check_digit"
    ),
    "cheminfo:errors:More than 3 lines": "format",
    "cheminfo:errors:Wrong format": "format",
    # The French identity card before 2021 and driving licences are not ICAO 9303 zones.
    "cheminfo:frenchNationalId:valid MRZ": "format",
    "cheminfo:frenchNationalId:valid MRZ with no administrative code": "format",
    "cheminfo:frenchNationalId:invalid MRZ": "format",
    "cheminfo:frenchNationalId:Use autocorrect": "format",
    "cheminfo:frenchDrivingLicense:valid MRZ": "format",
    "cheminfo:swissDrivingLicense:valid MRZ": "format",
    "cheminfo:swissDrivingLicense:invalid text": "format",
    "cheminfo:swissDrivingLicense:Use autocorrect": "format",
}

# OCR output with misread characters: we refuse it rather than guess the correction.
OCR_NOISE = {
    "cheminfo:td3:Use autocorrection": "birth_date_check_digit",
    "cheminfo:td1:Use autocorrection": "birth_date_check_digit",
    "cheminfo:td2:Use autocorrect": "birth_date_check_digit",
    "cheminfo:frenchNationalId:Use autocorrect": "document_number_check_digit",
    "cheminfo:swissDrivingLicense:Use autocorrect": "format",
}


def test_every_vector_in_the_fixture_has_an_expectation():
    assert set(READ) | set(REFUSED) == set(VECTORS)
    assert not set(READ) & set(REFUSED)


@pytest.mark.parametrize("vector_id", sorted(READ))
def test_it_reads_the_fields_of_each_valid_vector(vector_id):
    fields = parse_mrz(VECTORS[vector_id]["mrz"], pivot=PIVOT).to_json_dict()
    expected = READ[vector_id]
    assert {name: fields[name] for name in expected} == expected


@pytest.mark.parametrize("vector_id", sorted(READ))
def test_it_reads_every_valid_vector_as_the_research_recomputation_does(vector_id):
    computed = VECTORS[vector_id]["computed_by_research_7_3_1"]
    assert computed["all_check_digits_ok"] is True
    fields = parse_mrz(VECTORS[vector_id]["mrz"], pivot=PIVOT)
    assert fields.format.replace("-", "") == computed["format"]


@pytest.mark.parametrize("vector_id", sorted(REFUSED))
def test_it_refuses_each_invalid_vector_naming_the_failing_check(vector_id):
    with pytest.raises(MrzError) as error:
        parse_mrz(VECTORS[vector_id]["mrz"], pivot=PIVOT)
    assert error.value.field == REFUSED[vector_id]


@pytest.mark.parametrize("vector_id", sorted(OCR_NOISE))
def test_it_refuses_noisy_ocr_instead_of_correcting_it(vector_id):
    with pytest.raises(MrzError) as error:
        parse_mrz(VECTORS[vector_id]["ocr_noisy_mrz"], pivot=PIVOT)
    assert error.value.field == OCR_NOISE[vector_id]


@pytest.mark.parametrize(
    "vector_id", ["PassportEye:ocr-noisy-td1", "PassportEye:ocr-cleaner-td3-pol"]
)
def test_it_refuses_raw_ocr_text_with_stray_lines(vector_id):
    with pytest.raises(MrzError) as error:
        parse_mrz(VECTORS[vector_id]["raw_ocr_text"], pivot=PIVOT)
    assert error.value.field == "format"
