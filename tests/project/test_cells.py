"""What a cell of an editable table holds (policy_engine/project/cells.py): the empty values Streamlit's
data editor hands back (None, blank text, NaN, NaT, pandas NA), dates as the grid gives them, lists
typed into one cell, ids made from names, and labels pasted in place of ids."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from policy_engine.project.cells import blank, choice, choices, day, items, slug, text, whole


@pytest.mark.parametrize(
    "value, empty",
    [
        (None, True),
        ("", True),
        ("  \t\n", True),
        (float("nan"), True),
        (np.float64("nan"), True),
        (pd.NaT, True),
        (pd.NA, True),
        (0, False),  # zero is a value, not an empty cell
        (0.0, False),
        (False, False),  # an unticked checkbox is a value too
        ("0", False),
        (" x ", False),
        (pd.Timestamp("2027-03-01"), False),
        (date(2027, 3, 1), False),
    ],
)
def test_blank(value, empty):
    assert blank(value) is empty


@pytest.mark.parametrize(
    "value, expected",
    [(None, ""), (float("nan"), ""), (pd.NA, ""), ("  Дом ремёсел \n", "Дом ремёсел"), (12, "12"), (1.5, "1.5")],
)
def test_text_is_stripped_and_empty_for_blank_cells(value, expected):
    assert text(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        (pd.NaT, None),
        ("", None),
        (date(2027, 3, 1), date(2027, 3, 1)),
        (datetime(2027, 3, 1, 23, 59), date(2027, 3, 1)),  # the grid's time of day is dropped
        (pd.Timestamp("2027-03-01 10:30"), date(2027, 3, 1)),
        ("2027-03-01", date(2027, 3, 1)),
        (" 2027-03-01T00:00:00 ", date(2027, 3, 1)),  # ISO text with a time, as a pasted cell may hold
    ],
)
def test_day_reads_what_a_date_cell_holds(value, expected):
    assert day(value) == expected


@pytest.mark.parametrize("value", ["01.03.2027", "весной", "2027-13-01", "2027-02-30"])
def test_day_refuses_text_that_is_not_an_iso_date(value):
    with pytest.raises(ValueError):
        day(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Музей; Колледж", ["Музей", "Колледж"]),
        ("Музей, Колледж ;  Школа", ["Музей", "Колледж", "Школа"]),
        (" ; ,, ", []),
        (None, []),
        (float("nan"), []),
        ("Один", ["Один"]),
    ],
)
def test_items_split_on_commas_and_semicolons(value, expected):
    assert items(value) == expected


@pytest.mark.parametrize(
    "value, expected", [(3.0, 3), (-2.0, -2), (3.5, 3.5), ("3", "3"), (None, None), (7, 7), (True, True)]
)
def test_whole_turns_integral_floats_into_ints_only(value, expected):
    out = whole(value)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(
    "name, ident",
    [
        ("Школа резьбы", "shkola_rezby"),
        ("Шығыс Қазақстан өңірі", "shygys_kazakstan_oniri"),  # Kazakh letters too
        ("Фестиваль «Ёлка» — 2027!", "festival_elka_2027"),
        ("Design Week", "design_week"),
        ("  ", "item"),  # nothing usable: still an id
        ("!!!", "item"),
        ("объявление" * 10, "obyavlenie" * 4),  # cut to 40 characters (ъ is dropped)
    ],
)
def test_slug(name, ident):
    assert slug(name) == ident
    assert len(slug(name)) <= 40


STATUS = {"planned": {"ru": "запланирован", "kk": "жоспарланған", "en": "planned"}, "running": "идёт"}


@pytest.mark.parametrize(
    "value, ident",
    [
        ("planned", "planned"),
        ("PLANNED", "planned"),
        (" Запланирован ", "planned"),  # a Russian label, any case
        ("жоспарланған", "planned"),  # a Kazakh one
        ("идёт", "running"),  # options given as a plain label
        (None, None),
        ("", None),
        (float("nan"), None),
    ],
)
def test_choice_reads_an_id_or_a_label_in_any_language(value, ident):
    assert choice(value, STATUS) == ident


def test_choice_reads_catalogue_texts(catalogue):
    measure = catalogue.measures[0]
    options = {m.id: m.title for m in catalogue.measures}
    assert choice(measure.title.kk, options) == choice(measure.title.en.upper(), options) == measure.id


def test_choice_refuses_what_names_no_option():
    with pytest.raises(ValueError, match="Балет"):
        choice("Балет", STATUS)


@pytest.mark.parametrize(
    "value, ids",
    [
        (["planned", "идёт"], ["planned", "running"]),
        (("идёт",), ["running"]),
        (np.array(["запланирован", "running"]), ["planned", "running"]),  # a multiselect cell from pandas
        (pd.Series(["planned", None, "PLANNED"]), ["planned"]),  # blanks dropped, repeats once
        ("planned; идёт, planned", ["planned", "running"]),
        ("", []),
        (None, []),
    ],
)
def test_choices(value, ids):
    assert choices(value, STATUS) == ids


def test_choices_refuse_a_list_with_an_unknown_option():
    with pytest.raises(ValueError, match="soon"):
        choices(["planned", "soon"], STATUS)
