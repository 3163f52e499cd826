"""Names: women's forms of surnames, and both languages of each name."""

from __future__ import annotations

import pytest

from legalstay.synthetic.names import FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine, in_language


@pytest.mark.parametrize(
    ("surname", "language", "woman"),
    [
        ("Іваноў", "be", "Іванова"),
        ("Иванов", "ru", "Иванова"),
        ("Зайцаў", "be", "Зайцава"),
        ("Кісялёў", "be", "Кісялёва"),
        ("Нікіцін", "be", "Нікіціна"),
        ("Жукоўскі", "be", "Жукоўская"),
        ("Жуковский", "ru", "Жуковская"),
        ("Заблоцкі", "be", "Заблоцкая"),
        ("Чорны", "be", "Чорная"),
        ("Чёрный", "ru", "Чёрная"),
        ("Кавальчук", "be", "Кавальчук"),
        ("Навумчык", "be", "Навумчык"),
        ("Мацкевіч", "be", "Мацкевіч"),
        ("Каваленка", "be", "Каваленка"),
        ("Кавалёнак", "be", "Кавалёнак"),
        ("Кравец", "ru", "Кравец"),
    ],
)
def test_a_womans_surname_takes_the_feminine_form_where_the_language_has_one(
    surname, language, woman
):
    assert feminine(surname, language) == woman


def test_an_entry_gives_its_belarusian_and_russian_forms():
    assert in_language("Аляксандр|Александр", "be") == "Аляксандр"
    assert in_language("Аляксандр|Александр", "ru") == "Александр"
    assert in_language("Павел", "ru") == "Павел"


def test_there_are_enough_distinct_names():
    assert len(set(MALE_NAMES)) >= 60 and len(set(FEMALE_NAMES)) >= 60
    assert len(set(SURNAMES)) >= 150
