"""`legalstay mrz LINE1 LINE2 [LINE3]`: JSON on success, `error: …` and exit 2 on refusal."""

import json

import pytest

from legalstay.cli import main

from .specimens import UTOPIA_MRV_B, UTOPIA_TD1, UTOPIA_TD3, UTOPIA_TD3_FIELDS


def test_it_prints_the_fields_as_json_and_exits_0(capsys):
    assert main(["mrz", *UTOPIA_TD3]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out) == UTOPIA_TD3_FIELDS
    assert list(json.loads(out))[-1] == "format"


def test_it_takes_three_lines_of_a_card(capsys):
    assert main(["mrz", *UTOPIA_TD1]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "TD1"


def test_it_takes_one_argument_holding_newlines(capsys):
    assert main(["mrz", "\n".join(UTOPIA_TD1) + "\n"]) == 0
    assert json.loads(capsys.readouterr().out)["document_number"] == "D23145890"


def test_it_prints_the_failing_check_and_exits_2(capsys):
    assert main(["mrz", UTOPIA_TD3[0], UTOPIA_TD3[1][:19] + "3" + UTOPIA_TD3[1][20:]]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: The birth date check digit is 3")
    assert err.endswith("\n")


def test_it_refuses_a_wrong_number_of_lines_with_exit_2(capsys):
    assert main(["mrz", UTOPIA_TD3[0]]) == 2
    assert "expected 3 lines of 30" in capsys.readouterr().err


def test_the_today_option_decides_the_birth_century(capsys):
    assert main(["mrz", "--today", "2025-01-01", *UTOPIA_MRV_B]) == 0
    assert json.loads(capsys.readouterr().out)["birth_date"] == "1940-09-07"


def test_it_has_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["mrz", "--help"])
    assert exit_.value.code == 0
    assert "machine-readable zone" in capsys.readouterr().out
