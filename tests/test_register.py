"""Register import: encodings × delimiters × number styles × header languages, XLSX, partial
rejection with line numbers, missing columns, longest-match codes and crosswalk changes.

Every file here is generated from a list of records whose industry is known by construction,
and the expected totals are summed from those records, not from the code under test.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict

import pytest

from policy_engine.project import CrosswalkChange
from policy_engine.register import NON_CREATIVE, RegisterError, match_columns, parse_number, read_register

# (code, municipality, employees, industry by construction)
RECORDS = [
    ("59.11", "Өскемен", 1234, "cinema"),
    ("59.11.1", "Өскемен", 3, "cinema"),  # a sub-class of a creative class
    ("32.99.8", "Риддер", 12, "folk_crafts"),  # a creative sub-class of a non-creative class
    ("32.99", "Риддер", 2500, NON_CREATIVE),
    ("47.11", "Өскемен", 10450, NON_CREATIVE),
    ("90.01", "Алтай", 45, "performing_arts"),
    ("62.01", "Өскемен", 310, "software"),
    ("62.01", "Өскемен", 7, "software"),
    ("01.11", "Алтай", 1900, NON_CREATIVE),
]
CP1251_SAFE = {"Өскемен": "Усть-Каменогорск"}  # Windows-1251 has no Kazakh letters

HEADERS = {
    "en": ["Code", "Municipality", "Employees", "Revenue"],
    "ru": ["ОКВЭД", "Муниципальное образование", "Численность работников, чел.", "Выручка"],
    "kk": ["ЭҚЖЖ коды", "Аудан", "Жұмыскерлер саны", "Табыс"],
}


def styled(n: int, style: str) -> str:
    if style == "plain":
        return str(n)
    if style == "space":
        return f"{n:,}".replace(",", " ")
    if style == "nbsp":
        return f"{n:,}".replace(",", "\u00a0")
    if style == "decimal_comma":
        return f"{n:,}".replace(",", " ") + ",0"
    raise ValueError(style)


def make_csv(encoding: str, delimiter: str, style: str, lang: str, records=RECORDS) -> tuple[bytes, list]:
    rows = []
    for code, muni, emp, ind in records:
        if encoding == "cp1251":
            muni = CP1251_SAFE.get(muni, muni)
        rows.append((code, muni, emp, ind))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(HEADERS[lang])
    for code, muni, emp, _ in rows:
        w.writerow([code, muni, styled(emp, style), styled(emp * 1000 + 7, style)])
    return buf.getvalue().encode(encoding), rows


def expected_cells(rows) -> dict:
    out = defaultdict(lambda: [0, 0.0])
    for _, muni, emp, ind in rows:
        out[(muni, ind)][0] += 1
        out[(muni, ind)][1] += emp
    return {k: tuple(v) for k, v in out.items()}


def as_dict(result) -> dict:
    return {(c.municipality, c.industry): (c.firms, c.employees) for c in result.cells}


MATRIX = [
    (enc, delim, style, lang)
    for enc, delim, style, lang in itertools.product(
        ["utf-8", "utf-8-sig", "cp1251"], [",", ";", "\t"], ["plain", "space", "nbsp", "decimal_comma"], ["en", "ru", "kk"])
    if not (enc == "cp1251" and lang == "kk")  # Kazakh letters cannot be written in Windows-1251
]


@pytest.mark.parametrize("encoding, delimiter, style, lang", MATRIX,
                         ids=[f"{e}-{'tab' if d == chr(9) else d}-{s}-{lang}" for e, d, s, lang in MATRIX])
def test_import_matrix(catalogue, encoding, delimiter, style, lang):
    data, rows = make_csv(encoding, delimiter, style, lang)
    result = read_register(data, catalogue)
    assert result.rejected == []
    assert (result.rows_total, result.rows_used) == (len(rows), len(rows))
    assert as_dict(result) == expected_cells(rows)
    assert result.delimiter == delimiter
    assert result.encoding == ("cp1251" if encoding == "cp1251" else "utf-8")
    assert set(result.columns) == {"code", "municipality", "employees", "revenue"}
    revenue = {(c.municipality, c.industry): c.revenue for c in result.cells}
    assert revenue[(rows[5][1], "performing_arts")] == 45 * 1000 + 7


def test_xlsx(catalogue, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS["kk"])
    for code, muni, emp, _ in RECORDS:
        ws.append([code, muni, emp, emp * 10.5])
    ws.append(["59.11", "Өскемен", "көп", 1])  # line 11: not a number
    path = tmp_path / "register.xlsx"
    wb.save(path)
    result = read_register(path, catalogue)
    assert as_dict(result) == expected_cells(RECORDS)
    assert [(r.line, r.reason) for r in result.rejected] == [(11, "employees 'көп' is not a number")]


def test_partial_rejection_names_each_line_and_reason(catalogue):
    lines = [
        "код;район;численность",  # 1
        "59.11;Риддер;10",  # 2
        ";Риддер;5",  # 3 empty code
        "59.11;;5",  # 4 empty municipality
        "59.11;Риддер;н/д",  # 5 not a number
        "59.11;Риддер;-3",  # 6 negative
        "",  # 7 blank line
        "59.11;Риддер",  # 8 too few fields
        "abc;Риддер;4",  # 9 not a code
        "90.01;Алтай;1 500,5",  # 10 fine
        "90.01;Алтай;",  # 11 empty employees
        "90.01;;",  # 12 two problems at once
    ]
    data = ("\n".join(lines) + "\n").encode("cp1251")
    result = read_register(data, catalogue)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "empty activity code"),
        (4, "empty municipality"),
        (5, "employees 'н/д' is not a number"),
        (6, "employees '-3' is negative"),
        (8, "2 fields where the header has 3"),
        (9, "activity code 'abc' is not a code like 59.11 or 32.99.8"),
        (11, "empty employees"),
        (12, "empty municipality; empty employees"),
    ]
    assert result.rows_used == 2 and result.rows_total == 10
    assert as_dict(result) == {("Риддер", "cinema"): (1, 10.0), ("Алтай", "performing_arts"): (1, 1500.5)}


def test_a_million_row_style_file_keeps_line_numbers_of_rare_bad_rows(catalogue):
    good = "62.01;Риддер;1"
    lines = ["code;municipality;employees"] + [good] * 50_000
    lines[12_345] = "62.01;Риддер;x"
    lines[40_001] = "62.01;;1"
    result = read_register(("\n".join(lines)).encode("utf-8"), catalogue)
    assert [r.line for r in result.rejected] == [12_346, 40_002]
    assert result.rows_used == 49_998


def test_missing_required_column_is_refused_naming_what_was_found(catalogue):
    data = "ОКВЭД;Наименование;Выручка\n59.11;ТОО Кино;100\n".encode("utf-8")
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    msg = str(err.value)
    assert "no column for municipality, employees" in msg
    assert "columns found: 'ОКВЭД', 'Наименование', 'Выручка'" in msg


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"just one column\nvalue\n", "no line splits"),
])
def test_unusable_files(catalogue, data, message):
    with pytest.raises(RegisterError, match=message):
        read_register(data, catalogue)


def test_crosswalk_changes_move_add_and_drop_codes(catalogue):
    data = "code;municipality;employees\n47.11;A;10\n59.11;A;5\n32.99;A;7\n".encode("utf-8")
    changes = [
        CrosswalkChange(code="47.11.2", industry="gastronomy", reason="Krasnodar-style regional list"),
        CrosswalkChange(code="47.11", industry="gastronomy", reason="farm shops sell local produce"),
        CrosswalkChange(code="59.11", industry=None, reason="only TV news here, not film"),
        CrosswalkChange(code="32.99", industry="folk_crafts", reason="the class is all crafts in this region"),
    ]
    before = as_dict(read_register(data, catalogue))
    after = read_register(data, catalogue, changes)
    assert before == {("A", NON_CREATIVE): (2, 17.0), ("A", "cinema"): (1, 5.0)}
    assert as_dict(after) == {("A", "gastronomy"): (1, 10.0), ("A", NON_CREATIVE): (1, 5.0),
                              ("A", "folk_crafts"): (1, 7.0)}
    assert after.crosswalk_changes == 4


def test_crosswalk_change_needs_a_reason():
    with pytest.raises(ValueError, match="recorded reason"):
        CrosswalkChange(code="47.11", industry="gastronomy", reason=" ")


@pytest.mark.parametrize("headers, roles", [
    (["ОКЭД", "Город", "Среднесписочная численность работников"], {"code": 0, "municipality": 1, "employees": 2}),
    (["nace", "district", "employees (FTE)", "turnover"], {"code": 0, "municipality": 1, "employees": 2, "revenue": 3}),
    (["Код ОКВЭД 2", "Муниципалитет", "Численность"], {"code": 0, "municipality": 1, "employees": 2}),
    (["\ufeffOKVED", "Қала", "Қызметкерлер саны"], {"code": 0, "municipality": 1, "employees": 2}),
    (["Наименование", "Адрес"], {}),
])
def test_header_aliases(headers, roles):
    assert match_columns(headers) == roles


@pytest.mark.parametrize("text, value", [
    ("1 234", 1234.0), ("1\u00a0234,5", 1234.5), ("12,5", 12.5), ("12.5", 12.5), ("1\u202f000", 1000.0),
    (" 7 ", 7.0), ("-3", -3.0), ("н/д", None), ("", None), ("1.234,5", None), ("1_000", None), (None, None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_rejection_reasons_in_russian_and_kazakh(catalogue):
    data = "код;район;численность\n;Риддер;-3\nабв;Алтай;x\n".encode("utf-8")
    rejected = read_register(data, catalogue).rejected
    assert [r.describe("ru") for r in rejected] == [
        "пустой код деятельности; численность '-3' отрицательна",
        "код деятельности 'абв' не похож на код вида 59.11 или 32.99.8; численность 'x' — не число"]
    assert rejected[0].describe("kk") == "қызмет коды бос; '-3' қызметкерлер саны теріс"
    assert rejected[0].describe("en") == rejected[0].reason == "empty activity code; employees '-3' is negative"
