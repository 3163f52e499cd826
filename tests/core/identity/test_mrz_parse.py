"""Parsing zones: formats, pasted input, long document numbers, names, codes and refusals."""

import datetime

import pytest

from legalstay.identity.mrz import MrzError, MrzFields, parse_mrz

from .builders import digit, mrv, td1, td2, td3
from .specimens import UTOPIA_MRV_A, UTOPIA_MRV_B, UTOPIA_TD3, UTOPIA_TD3_FIELDS

PIVOT = datetime.date(2025, 1, 1)
BELGIAN_BEL_BO_03003 = [
    "IDBEL000590240<6013<<<<<<<<<<<",
    "8512017F1311048BEL851201002007",
    "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
]
BELGIAN_BEL_BO_11005 = [
    "IDBEL600001795<0152<<<<<<<<<<<",
    "1301014F2311207BEL130101987398",
    "SPECIMEN<<SPECIMEN<<<<<<<<<<<<",
]


def refusal(lines: str | list[str], pivot: datetime.date | None = PIVOT) -> MrzError:
    with pytest.raises(MrzError) as error:
        parse_mrz(lines, pivot=pivot)
    return error.value


# --- formats ---------------------------------------------------------------------------------


def test_it_reads_a_belarusian_passport():
    fields = parse_mrz(td3(), pivot=PIVOT)
    assert fields == MrzFields(
        format="TD3",
        document_code="P",
        issuing_state="BLR",
        document_number="MP1234567",
        surname="IVANOU",
        given_names="ALES",
        nationality="BLR",
        birth_date=datetime.date(1988, 3, 14),
        sex="M",
        expiry_date=datetime.date(2030, 1, 1),
        optional_data="3140388A001PB5",
    )


def test_it_reads_a_polish_residence_card_of_a_belarusian():
    fields = parse_mrz(td1(), pivot=PIVOT)
    assert (fields.format, fields.document_code, fields.issuing_state) == ("TD1", "IR", "POL")
    assert (fields.document_number, fields.nationality) == ("RP1234567", "BLR")


def test_it_reads_the_icao_mrv_a_visa_specimen_which_has_no_composite_check_digit():
    fields = parse_mrz(UTOPIA_MRV_A, pivot=PIVOT)
    assert (fields.format, fields.document_code, fields.document_number) == (
        "MRV-A",
        "V",
        "L8988901C",
    )
    assert (fields.nationality, fields.birth_date) == ("XXX", datetime.date(1940, 9, 7))
    assert fields.optional_data == "6ZE184226B"


def test_it_reads_the_icao_mrv_b_visa_specimen():
    fields = parse_mrz(UTOPIA_MRV_B, pivot=PIVOT)
    assert (fields.format, fields.sex, fields.expiry_date) == (
        "MRV-B",
        "F",
        datetime.date(2096, 12, 10),
    )
    assert (fields.surname, fields.given_names, fields.optional_data) == (
        "ERIKSSON",
        "ANNA MARIA",
        "",
    )


def test_it_tells_a_td2_card_from_an_mrv_b_visa_by_the_leading_v():
    assert parse_mrz(td2(), pivot=PIVOT).format == "TD2"
    assert parse_mrz(mrv(width=36), pivot=PIVOT).format == "MRV-B"
    assert parse_mrz(mrv(width=44), pivot=PIVOT).format == "MRV-A"


def test_its_json_dict_has_the_documented_keys_and_iso_dates():
    assert parse_mrz(UTOPIA_TD3).to_json_dict() == UTOPIA_TD3_FIELDS
    assert list(UTOPIA_TD3_FIELDS) == list(parse_mrz(UTOPIA_TD3).to_json_dict())


# --- pasted input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "\n".join(UTOPIA_TD3),
        "\r\n".join(UTOPIA_TD3) + "\r\n",
        "\n\n   " + UTOPIA_TD3[0] + "  \n\n\t" + UTOPIA_TD3[1] + "\n\n",
        "\n".join(UTOPIA_TD3).lower(),
        UTOPIA_TD3,
        tuple(UTOPIA_TD3),
        ["", UTOPIA_TD3[0], "  ", UTOPIA_TD3[1]],
        ["\n".join(UTOPIA_TD3)],
    ],
)
def test_it_accepts_a_pasted_block_or_a_list_of_lines(pasted):
    assert parse_mrz(pasted) == parse_mrz(UTOPIA_TD3)


def test_it_refuses_an_empty_input():
    error = refusal("  \n \n")
    assert error.field == "format"
    assert "empty" in str(error)


@pytest.mark.parametrize(
    "lines",
    [
        [UTOPIA_TD3[0][:-1], UTOPIA_TD3[1][:-1]],
        [UTOPIA_TD3[0]],
        [*UTOPIA_TD3, UTOPIA_TD3[1]],
        [UTOPIA_TD3[0], UTOPIA_TD3[1][:36]],
        ["IDAUT10000999<6<<<<<<<<<<<<<<<", "7109094F1112315AUT<<<<<<<<<<<4"],
    ],
)
def test_it_refuses_wrong_line_counts_and_lengths(lines):
    error = refusal(lines)
    assert error.field == "format"
    assert "expected 3 lines of 30 (TD1)" in str(error)


@pytest.mark.parametrize("bad", [" ", "-", "«", "ﬁ", "Ö", "0\u0301", "К"])
def test_it_refuses_characters_outside_the_mrz_alphabet(bad):
    line = UTOPIA_TD3[1][:20] + bad + UTOPIA_TD3[1][20 + len(bad) :]
    error = refusal([UTOPIA_TD3[0], line])
    assert error.field == "format"
    assert "Line 2 contains" in str(error)


def test_it_names_the_old_french_identity_card_which_is_no_icao_zone():
    error = refusal(
        ["IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2"]
    )
    assert error.field == "format"
    assert "French national identity card" in str(error)


# --- check digits ----------------------------------------------------------------------------


def test_it_refuses_a_bad_document_number_check_digit():
    error = refusal([UTOPIA_TD3[0], "L898902C37" + UTOPIA_TD3[1][10:]])
    assert error.field == "document_number_check_digit"
    assert str(error) == (
        "The document number check digit is 7, but 6 is computed from the document number "
        "'L898902C3': a character or the check digit is misread or altered."
    )


def test_it_refuses_a_bad_birth_date_check_digit():
    error = refusal([UTOPIA_TD3[0], UTOPIA_TD3[1][:19] + "3" + UTOPIA_TD3[1][20:]])
    assert error.field == "birth_date_check_digit"
    assert "birth date check digit is 3" in str(error)
    assert "'740812'" in str(error)


def test_it_refuses_a_bad_expiry_date_check_digit():
    error = refusal([UTOPIA_TD3[0], UTOPIA_TD3[1][:27] + "8" + UTOPIA_TD3[1][28:]])
    assert error.field == "expiry_date_check_digit"


def test_it_refuses_a_letter_where_a_check_digit_belongs():
    error = refusal([UTOPIA_TD3[0], UTOPIA_TD3[1][:19] + "Z" + UTOPIA_TD3[1][20:]])
    assert error.field == "birth_date_check_digit"
    assert "'Z', not a digit" in str(error)


def test_it_refuses_a_bad_composite_check_digit():
    error = refusal([UTOPIA_TD3[0], UTOPIA_TD3[1][:43] + "1"])
    assert error.field == "composite_check_digit"


def test_it_refuses_a_bad_td1_composite_check_digit():
    lines = td1()
    lines[1] = lines[1][:29] + str((int(lines[1][29]) + 1) % 10)
    assert refusal(lines).field == "composite_check_digit"


def test_it_refuses_a_bad_personal_number_check_digit():
    error = refusal(td3(personal_check="9" if digit("3140388A001PB5") != "9" else "8"))
    assert error.field == "optional_data_check_digit"
    assert "personal number check digit" in str(error)


@pytest.mark.parametrize("check", ["<", "0"])
def test_an_empty_personal_number_may_have_a_filler_or_zero_check_digit(check):
    assert parse_mrz(td3(personal="", personal_check=check), pivot=PIVOT).optional_data == ""


def test_a_personal_number_needs_a_real_check_digit_not_a_filler():
    assert refusal(td3(personal_check="<")).field == "optional_data_check_digit"


# --- long document numbers (TD1 and TD2) -----------------------------------------------------


def test_it_reads_a_long_td1_number_whose_check_digit_skips_the_filler_as_icao_says():
    fields = parse_mrz(BELGIAN_BEL_BO_11005, pivot=PIVOT)
    assert fields.document_number == "600001795015"
    assert fields.optional_data == "13010198739"


def test_it_reads_a_long_td1_number_whose_check_digit_counts_the_printed_filler():
    fields = parse_mrz(BELGIAN_BEL_BO_03003, pivot=PIVOT)
    assert fields.document_number == "000590240601"
    assert fields.optional_data == "85120100200"


def test_it_keeps_optional_data_that_follows_a_long_number():
    fields = parse_mrz(td1(number="ABC123456789", optional1="X1", optional2="Y2"), pivot=PIVOT)
    assert (fields.document_number, fields.optional_data) == ("ABC123456789", "X1 Y2")


def test_it_reads_a_long_td2_number():
    fields = parse_mrz(td2(number="D231458901", optional="AB"), pivot=PIVOT)
    assert (fields.document_number, fields.optional_data) == ("D231458901", "AB")


def test_it_refuses_a_long_number_with_a_wrong_check_digit():
    lines = td1(number="ABC123456789")
    wrong = str((int(lines[0][18]) + 1) % 10)
    lines[0] = lines[0][:18] + wrong + lines[0][19:]
    assert refusal(lines).field == "document_number_check_digit"


def test_it_refuses_a_filler_check_digit_with_nothing_continuing_the_number():
    error = refusal(
        [
            "I<UTOD23145890<<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ]
    )
    assert error.field == "document_number_check_digit"
    assert "longer than nine characters" in str(error)


def test_it_refuses_a_filler_check_digit_after_a_short_number():
    lines = td1(number="AB12345")
    lines[0] = lines[0][:14] + "<" + "12<" + lines[0][18:]
    assert refusal(lines).field == "document_number_check_digit"


def test_a_passport_has_no_long_number_convention():
    lines = td3()
    lines[1] = lines[1][:9] + "<" + lines[1][10:]
    error = refusal(lines)
    assert error.field == "document_number_check_digit"
    assert "TD3 has no convention" in str(error)


def test_a_visa_has_no_long_number_convention():
    lines = mrv(width=36)
    lines[1] = lines[1][:9] + "<" + lines[1][10:]
    assert refusal(lines).field == "document_number_check_digit"


# --- names, codes, sex -----------------------------------------------------------------------


def test_it_reads_compound_names_with_fillers_as_spaces():
    fields = parse_mrz(td3(names="KOWALSKA<KWIATKOWSKA<<ANNA<MARIA"), pivot=PIVOT)
    assert (fields.surname, fields.given_names) == ("KOWALSKA KWIATKOWSKA", "ANNA MARIA")


def test_a_name_without_a_double_filler_is_all_surname():
    fields = parse_mrz(td3(names="MEGAN<ELLA<RUTH<BIN<ISMAEL"), pivot=PIVOT)
    assert (fields.surname, fields.given_names) == ("MEGAN ELLA RUTH BIN ISMAEL", "")


def test_it_refuses_a_digit_in_a_name():
    error = refusal(td3(names="IVAN0U<<ALES"))
    assert error.field == "surname"
    assert "contains a digit" in str(error)


def test_it_refuses_a_digit_in_the_given_names():
    assert refusal(td3(names="IVANOU<<ALE5")).field == "given_names"


@pytest.mark.parametrize(("printed", "read"), [("F", "F"), ("M", "M"), ("X", "X"), ("<", "X")])
def test_it_reads_the_sex_with_a_filler_as_unspecified(printed, read):
    assert parse_mrz(td3(sex=printed), pivot=PIVOT).sex == read


def test_it_refuses_an_unknown_sex_code():
    error = refusal(td3(sex="Q"))
    assert error.field == "sex"
    assert "'Q'" in str(error)


def test_it_reads_germanys_one_letter_state_code():
    fields = parse_mrz(td3(state="D<<", nationality="D<<"), pivot=PIVOT)
    assert (fields.issuing_state, fields.nationality) == ("D", "D")


@pytest.mark.parametrize(("field", "code"), [("issuing_state", "BL1"), ("nationality", "<BY")])
def test_it_refuses_a_malformed_state_code(field, code):
    error = refusal(td3(**{"state" if field == "issuing_state" else "nationality": code}))
    assert error.field == field


def test_it_refuses_a_document_code_that_does_not_start_with_a_letter():
    assert refusal(td3(code="1<")).field == "document_code"


def test_it_strips_the_filler_from_a_one_letter_document_code():
    assert parse_mrz(td1(code="I<"), pivot=PIVOT).document_code == "I"


def test_errors_are_value_errors_with_a_field():
    error = refusal(td3(sex="Q"))
    assert isinstance(error, ValueError)
    assert error.field == "sex"
