"""Register import: encodings × delimiters × number styles × header languages, XLSX, partial
rejection with line numbers, missing columns, longest-match codes and crosswalk changes.

Every file here is generated from a list of records whose industry is known by construction,
and the expected totals are summed from those records, not from the code under test.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from policy_engine.diagnostics.register import (
    NON_CREATIVE,
    REJECTED_KEPT,
    RegisterError,
    RegisterLayout,
    crosswalk,
    industry_of,
    inspect_register,
    match_columns,
    parse_number,
    read_register,
)
from policy_engine.project.model import CrosswalkChange

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
        ["utf-8", "utf-8-sig", "cp1251"],
        [",", ";", "\t"],
        ["plain", "space", "nbsp", "decimal_comma"],
        ["en", "ru", "kk"],
    )
    if not (enc == "cp1251" and lang == "kk")  # Kazakh letters cannot be written in Windows-1251
]


@pytest.mark.parametrize(
    "encoding, delimiter, style, lang",
    MATRIX,
    ids=[f"{e}-{'tab' if d == chr(9) else d}-{s}-{lang}" for e, d, s, lang in MATRIX],
)
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
    data = "ОКВЭД;Наименование;Выручка\n59.11;ТОО Кино;100\n".encode()
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    msg = str(err.value)
    assert "no column for municipality, employees" in msg
    assert "columns found: 'ОКВЭД', 'Наименование', 'Выручка'" in msg


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"just one column\nvalue\n", "no line splits"),
        (b"title;;;\n;;;\nnotes;;;\n", "no line splits"),
    ],
)
def test_unusable_files(catalogue, data, message):
    with pytest.raises(RegisterError, match=message):
        read_register(data, catalogue)


def test_crosswalk_changes_move_add_and_drop_codes(catalogue):
    data = b"code;municipality;employees\n47.11;A;10\n59.11;A;5\n32.99;A;7\n"
    changes = [
        CrosswalkChange(code="47.11.2", industry="gastronomy", reason="Krasnodar-style regional list"),
        CrosswalkChange(code="47.11", industry="gastronomy", reason="farm shops sell local produce"),
        CrosswalkChange(code="59.11", industry=None, reason="only TV news here, not film"),
        CrosswalkChange(code="32.99", industry="folk_crafts", reason="the class is all crafts in this region"),
    ]
    before = as_dict(read_register(data, catalogue))
    after = read_register(data, catalogue, changes)
    assert before == {("A", NON_CREATIVE): (2, 17.0), ("A", "cinema"): (1, 5.0)}
    assert as_dict(after) == {
        ("A", "gastronomy"): (1, 10.0),
        ("A", NON_CREATIVE): (1, 5.0),
        ("A", "folk_crafts"): (1, 7.0),
    }
    assert after.crosswalk_changes == 4


# The longest code of the crosswalk that a code starts with decides, whatever order the table holds the
# codes in: OKVED2 32.99 ("other manufacturing n.e.c.") is not creative while its sub-class 32.99.8 (folk
# art and craft articles) is, and a project may move a class while the catalogue keeps a sub-class of it.
# A lookup that took the shortest or the first matching code would pass every case where class and
# sub-class share an industry; these are the ones where they do not.
LONGEST_MATCH = [
    # table (code -> industry, None = not creative), code, industry
    pytest.param(
        {"32.99": None, "32.99.8": "folk_crafts"}, "32.99.8", "folk_crafts", id="sub-class listed after its class"
    ),
    pytest.param(
        {"32.99.8": "folk_crafts", "32.99": None}, "32.99.8", "folk_crafts", id="sub-class listed before its class"
    ),
    pytest.param(
        {"32.99": None, "32.99.8": "folk_crafts"}, "32.99.1", NON_CREATIVE, id="another sub-class falls to the class"
    ),
    pytest.param(
        {"32.99": "design", "32.99.8": "folk_crafts"}, "32.99.8", "folk_crafts", id="class and sub-class both creative"
    ),
    pytest.param({"32.99": "design", "32.99.8": "folk_crafts"}, "32.99", "design", id="the class itself"),
    pytest.param({"32.99.8": "folk_crafts"}, "32.99", NON_CREATIVE, id="a class is not its sub-class"),
]


@pytest.mark.parametrize("table, code, industry", LONGEST_MATCH)
def test_industry_of_takes_the_longest_matching_code(table, code, industry):
    assert industry_of(code, table) == industry


# The same through the catalogue's crosswalk with a project's changes (the table the import uses):
# the catalogue lists 59.11 (cinema) and 32.99.8 (folk crafts); a change adds a finer or a coarser code.
CROSSWALK_CHANGES = [
    # change (code, industry), code of a register row, its industry
    pytest.param(("59.11.1", "media"), "59.11.1", "media", id="a finer code added after its class"),
    pytest.param(("59.11.1", "media"), "59.11", "cinema", id="the class keeps its industry"),
    pytest.param(("59.11.1", "media"), "59.11.2", "cinema", id="another sub-class keeps the class's"),
    pytest.param(("32.99", "design"), "32.99.8", "folk_crafts", id="a coarser code added: the sub-class keeps its"),
    pytest.param(("32.99", "design"), "32.99.1", "design", id="a coarser code added: its other sub-classes follow it"),
    pytest.param(("59.11", None), "59.11.1", NON_CREATIVE, id="a class dropped takes its sub-classes"),
]


@pytest.mark.parametrize("change, code, industry", CROSSWALK_CHANGES)
def test_crosswalk_changes_and_the_longest_match(catalogue, change, code, industry):
    moved = CrosswalkChange(code=change[0], industry=change[1], reason="the region's own list says so")
    assert industry_of(code, crosswalk(catalogue, [moved])) == industry


def test_the_import_takes_the_longest_match(catalogue):
    data = b"code;municipality;employees\n32.99.8;A;12\n32.99;A;2500\n32.99.1;A;3\n"
    moved = CrosswalkChange(code="32.99", industry="design", reason="other manufacturing is design workshops here")
    assert as_dict(read_register(data, catalogue, [moved])) == {
        ("A", "folk_crafts"): (1, 12.0),
        ("A", "design"): (2, 2503.0),
    }


def test_crosswalk_change_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        CrosswalkChange(code="47.11", industry="gastronomy", reason=" ")


@pytest.mark.parametrize(
    "headers, roles",
    [
        (["ОКЭД", "Город", "Среднесписочная численность работников"], {"code": 0, "municipality": 1, "employees": 2}),
        (
            ["nace", "district", "employees (FTE)", "turnover"],
            {"code": 0, "municipality": 1, "employees": 2, "revenue": 3},
        ),
        (["Код ОКВЭД 2", "Муниципалитет", "Численность"], {"code": 0, "municipality": 1, "employees": 2}),
        (["\ufeffOKVED", "Қала", "Қызметкерлер саны"], {"code": 0, "municipality": 1, "employees": 2}),
        (["Наименование", "Адрес"], {}),
    ],
)
def test_header_aliases(headers, roles):
    assert match_columns(headers) == roles


@pytest.mark.parametrize(
    "text, value",
    [
        ("1 234", 1234.0),
        ("1\u00a0234,5", 1234.5),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1\u202f000", 1000.0),
        (" 7 ", 7.0),
        ("-3", -3.0),
        ("н/д", None),
        ("", None),
        ("1.234,5", None),
        ("1_000", None),
        (None, None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_rejection_reasons_in_russian_and_kazakh(catalogue):
    data = "код;район;численность\n;Риддер;-3\nабв;Алтай;x\n".encode()
    rejected = read_register(data, catalogue).rejected
    assert [r.describe("ru") for r in rejected] == [
        "пустой код деятельности; численность '-3' отрицательна",
        "код деятельности 'абв' не похож на код вида 59.11 или 32.99.8; численность 'x' — не число",
    ]
    assert rejected[0].describe("kk") == "қызмет коды бос; '-3' қызметкерлер саны теріс"
    assert rejected[0].describe("en") == rejected[0].reason == "empty activity code; employees '-3' is negative"


# --- registers as Excel exports them: title rows, total rows, column mapping, coded errors -------

TITLE = ["Реестр субъектов МСП Пермского края", "по состоянию на 01.01.2026"]
RU_HEADER = ["№", "ОКВЭД", "Муниципальное образование", "Численность работников, чел."]


def exported_rows(records=RECORDS, wrong_by: int = 7) -> tuple[list[list], dict]:
    """The rows of an official export: two title rows, a blank row, the header, the data (one bad
    row), a blank row, a right "Итого" and a wrong "Всего:". Returns the rows and what to expect,
    with file lines counted here as the rows are laid out."""
    rows: list[list] = [[TITLE[0]], [TITLE[1]], [], RU_HEADER]
    for n, (code, muni, emp, _) in enumerate(records, start=1):
        rows.append([n, code, muni, emp])
    rows.append([len(records) + 1, "59.11", "", 40])  # no municipality: rejected, its 40 not used
    bad_line = len(rows)
    rows.append([])
    used = sum(emp for _, _, emp, _ in records)
    rows.append(["Итого", None, None, used])
    right_line = len(rows)
    rows.append(["Всего:", None, None, used + wrong_by])
    wrong_line = len(rows)
    return rows, {
        "header_line": 4,
        "bad_line": bad_line,
        "used": used,
        "right_line": right_line,
        "wrong_line": wrong_line,
        "wrong": used + wrong_by,
    }


def totals_of(result) -> list[tuple]:
    return [(x.line, x.label, x.kind, x.stated, x.computed, x.matches) for x in result.totals]


def workbook_bytes(rows: list[list]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_export_with_title_rows_and_totals(catalogue):
    rows, want = exported_rows()
    result = read_register(workbook_bytes(rows), catalogue, name="реестр.xlsx")
    assert result.header_line == want["header_line"] == 4
    assert result.columns == {
        "code": "ОКВЭД",
        "municipality": "Муниципальное образование",
        "employees": "Численность работников, чел.",
    }
    assert as_dict(result) == expected_cells(RECORDS)
    assert (result.rows_used, result.rows_total) == (len(RECORDS), len(RECORDS) + 1)
    assert [(r.line, r.reason) for r in result.rejected] == [(want["bad_line"], "empty municipality")]
    assert totals_of(result) == [
        (want["right_line"], "Итого", "grand", want["used"], want["used"], True),
        (want["wrong_line"], "Всего:", "grand", want["wrong"], want["used"], False),
    ]
    assert [x.line for x in result.totals_mismatched] == [want["wrong_line"]]
    assert result.totals[1].rejected_employees == 40  # the rejected row's head count may explain a gap
    ru_number = lambda n: f"{n:,}".replace(",", "\u00a0")  # noqa: E731 — 16 461, as officials write it
    assert result.totals[1].describe("ru") == (
        f"Строка {want['wrong_line']} («Всего:»): в файле итог {ru_number(want['wrong'])}, а использованные строки "
        f"дают {ru_number(want['used'])} — проверьте файл. В отклонённых строках указано ещё 40."
    )
    assert (
        result.totals[0]
        .describe("en")
        .startswith(f"Line {want['right_line']} (“Итого”): the total of {want['used']:,} matches")
    )


def test_xlsx_header_in_first_row_and_blank_rows_keep_sheet_row_numbers(catalogue):
    rows = [
        ["code", "municipality", "employees"],
        ["59.11", "A", 3],
        [],
        ["59.11", "A", "x"],
        [None, None, None],
        ["90.01", "B", 4],
    ]
    result = read_register(workbook_bytes(rows), catalogue)
    assert result.header_line == 1 and result.totals == []
    assert [(r.line, r.reason) for r in result.rejected] == [(4, "employees 'x' is not a number")]
    assert as_dict(result) == {("A", "cinema"): (1, 3.0), ("B", "performing_arts"): (1, 4.0)}
    assert (result.rows_used, result.rows_total) == (2, 3)


def export_csv(rows: list[list], encoding: str, delimiter: str, pad_titles: bool) -> bytes:
    width = len(RU_HEADER)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        if not row:
            buf.write("\r\n")
            continue
        cells = ["" if c is None else str(c) for c in row]
        w.writerow(cells + [""] * (width - len(cells)) if pad_titles or len(cells) > 1 else cells)
    return buf.getvalue().encode(encoding)


CSV_CASES = [
    ("utf-8", ";", False),
    ("utf-8", ",", True),
    ("cp1251", ";", True),
    ("cp1251", "\t", False),
    ("utf-8-sig", ";", True),
]


@pytest.mark.parametrize(
    "encoding, delimiter, pad",
    CSV_CASES,
    ids=[f"{e}-{'tab' if d == chr(9) else d}-{'padded' if p else 'bare'}" for e, d, p in CSV_CASES],
)
def test_csv_export_with_title_rows_and_totals(catalogue, encoding, delimiter, pad):
    records = [(c, CP1251_SAFE.get(m, m) if encoding == "cp1251" else m, e, i) for c, m, e, i in RECORDS]
    rows, want = exported_rows(records)
    data = export_csv(rows, encoding, delimiter, pad)
    result = read_register(data, catalogue)
    assert result.delimiter == delimiter
    assert result.encoding == ("cp1251" if encoding == "cp1251" else "utf-8")
    assert result.header_line == 4
    assert as_dict(result) == expected_cells(records)
    assert [(r.line, r.reason) for r in result.rejected] == [(want["bad_line"], "empty municipality")]
    assert totals_of(result) == [
        (want["right_line"], "Итого", "grand", want["used"], want["used"], True),
        (want["wrong_line"], "Всего:", "grand", want["wrong"], want["used"], False),
    ]
    layout = inspect_register(data)
    assert (layout.header_line, layout.title_lines, layout.delimiter) == (4, 3, delimiter)
    assert layout.headers == RU_HEADER and layout.missing == [] and layout.header_found
    assert layout.roles == {"code": 1, "municipality": 2, "employees": 3}
    assert layout.preview[0] == ["1"] + [str(c) for c in rows[4][1:]]


def test_csv_title_rows_with_malformed_lines_keep_true_line_numbers(catalogue):
    lines = [
        '"Реестр МСП, выгрузка из ЕГРЮЛ, Пермский край',
        "",
        "код;район;численность",  # 1-3
        "59.11;Риддер;10",  # 4
        "59.11;Риддер",  # 5 too few fields: the slow path
        "",  # 6
        "90.01;Алтай;x",  # 7
        "ИТОГО:;;10",
    ]  # 8
    result = read_register(("\n".join(lines) + "\n").encode("cp1251"), catalogue)
    assert result.delimiter == ";" and result.header_line == 3
    assert [(r.line, r.reason) for r in result.rejected] == [
        (5, "2 fields where the header has 3"),
        (7, "employees 'x' is not a number"),
    ]
    assert totals_of(result) == [(8, "ИТОГО:", "grand", 10.0, 10.0, True)]
    assert (result.rows_used, result.rows_total) == (1, 3)


def test_many_rows_under_a_title_with_blank_lines_keep_line_numbers(catalogue):
    lines = ["Реестр субъектов МСП", "по состоянию на 01.01.2026", "", "code;municipality;employees"]
    lines += ["62.01;Риддер;2"] * 30_000
    lines[20_000] = ""  # a blank line inside the data (file line 20 001)
    lines[25_000] = "62.01;;2"  # file line 25 001
    lines += ["", "Total;;59996"]
    result = read_register("\r\n".join(lines).encode("utf-8"), catalogue)
    assert [r.line for r in result.rejected] == [25_001]
    assert result.rows_used == 29_998
    assert totals_of(result) == [(len(lines), "Total", "grand", 59_996.0, 59_996.0, True)]


def test_sub_totals_are_checked_against_their_block_or_left_unchecked(catalogue):
    rows = [
        RU_HEADER,
        [1, "59.11", "Риддер", 10],
        [2, "62.01", "Риддер", 5],
        ["Итого по Риддеру", None, None, 15],  # 2-4
        [3, "90.01", "Алтай", 7],
        ["Итого по району Алтай", None, None, 8],  # 5-6: off by one, unchecked
        ["Итого по краю", None, None, 22],  # 7: adds up to the whole file
        ["Барлығы", None, None, 22],
        ["Grand total:", None, None, 21],
    ]  # 8-9
    result = read_register(workbook_bytes(rows), catalogue)
    assert result.rows_used == 3 and result.rejected == []
    assert totals_of(result) == [
        (4, "Итого по Риддеру", "sub", 15.0, 15.0, True),
        (6, "Итого по району Алтай", "sub", 8.0, None, None),
        (7, "Итого по краю", "grand", 22.0, 22.0, True),
        (8, "Барлығы", "grand", 22.0, 22.0, True),
        (9, "Grand total:", "grand", 21.0, 22.0, False),
    ]
    assert result.totals[1].describe("kk") == (
        "6-жол («Итого по району Алтай»): 8 аралық жиыны тексерілмеді — қай жолдарды қосатыны белгісіз."
    )


@pytest.mark.parametrize(
    "label, is_total",
    [
        ("Итого", True),
        ("ИТОГО:", True),
        ("всего", True),
        ("Всего по району:", True),
        ("Барлығы", True),
        ("Жиыны:", True),
        ("Total", True),
        ("GRAND TOTAL", True),
        ("Итого по Пермскому краю", True),
        ("Итоговый", False),
        ("Totalizer", False),
        ("Всеволожск", False),
    ],
)
def test_total_labels_in_the_municipality_column(catalogue, label, is_total):
    data = f"code;municipality;employees\n59.11;Риддер;10\n;{label};10\n".encode()
    result = read_register(data, catalogue)
    assert [x.label for x in result.totals] == ([label] if is_total else [])
    assert [r.line for r in result.rejected] == ([] if is_total else [3])
    assert result.rows_total == (1 if is_total else 2)


def test_a_total_row_without_a_number_is_reported_not_rejected(catalogue):
    data = "код;район;численность\n59.11;Риддер;10\nИтого;;\n".encode()
    result = read_register(data, catalogue)
    assert result.rejected == []
    assert totals_of(result) == [(3, "Итого", "grand", None, 10.0, None)]
    assert result.totals[0].describe("ru") == "Строка 3 («Итого»): строка итога без численности, она не учтена."


UNNAMED = ["Колонка A", "Колонка B", "Колонка C", "Колонка D"]


def unnamed_rows() -> list[list]:
    rows: list[list] = [[TITLE[0]], [TITLE[1]], [], UNNAMED]
    for code, muni, emp, _ in RECORDS:
        rows.append([code, muni, emp, "ООО «" + "Очень длинное наименование " * 4 + "»"])
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_unrecognised_columns_are_mapped_by_hand(catalogue, kind):
    rows = unnamed_rows()
    data = workbook_bytes(rows) if kind == "xlsx" else export_csv(rows, "utf-8", ";", pad_titles=False)
    layout = inspect_register(data)
    assert isinstance(layout, RegisterLayout)
    assert (layout.format, layout.header_line, layout.title_lines, layout.header_found) == (kind, 4, 3, False)
    assert layout.headers == UNNAMED and layout.roles == {}
    assert layout.missing == ["code", "municipality", "employees"]
    assert len(layout.preview) == 5
    assert layout.preview[0][:3] == [RECORDS[0][0], RECORDS[0][1], str(RECORDS[0][2])]
    assert len(rows[4][3]) > 60 and len(layout.preview[0][3]) == 60 and layout.preview[0][3].endswith("…")

    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    assert err.value.code == "missing_columns"
    assert err.value.values["missing"] == "code,municipality,employees"
    assert err.value.values["note"] == "no_header" and err.value.values["line"] == "4"

    result = read_register(data, catalogue, columns={"code": 0, "municipality": 1, "employees": 2})
    assert as_dict(result) == expected_cells(RECORDS)
    assert result.columns == {"code": "Колонка A", "municipality": "Колонка B", "employees": "Колонка C"}
    assert result.header_line == 4 and result.rejected == []


def test_a_mapping_overrides_a_detected_role(catalogue):
    data = "code;municipality;employees;Колонка D\n59.11;A;1;10\n90.01;B;2;20\n".encode()
    assert inspect_register(data).roles == {"code": 0, "municipality": 1, "employees": 2}
    assert inspect_register(data.rstrip(b"\n")).preview == [["59.11", "A", "1", "10"], ["90.01", "B", "2", "20"]]
    result = read_register(data, catalogue, columns={"employees": 3})
    assert as_dict(result) == {("A", "cinema"): (1, 10.0), ("B", "performing_arts"): (1, 20.0)}
    assert result.columns["employees"] == "Колонка D"


@pytest.mark.parametrize(
    "columns, code, values",
    [
        ({"code": 0, "municipality": 1, "staff": 2}, "mapping_role", {"role": "staff"}),
        (
            {"code": 0, "municipality": 1, "employees": 4},
            "mapping_index",
            {"role": "employees", "number": "5", "count": "4"},
        ),
        ({"code": 0, "municipality": 1, "employees": -1}, "mapping_index", {"role": "employees", "count": "4"}),
        ({"code": 0, "municipality": 0, "employees": 2}, "mapping_twice", {"role": "code", "other": "municipality"}),
        ({"code": 0, "employees": 2}, "missing_columns", {"missing": "municipality"}),
    ],
)
def test_a_bad_mapping_is_refused(catalogue, columns, code, values):
    data = "Колонка A;Колонка B;Колонка C;Колонка D\n59.11;A;1;x\n".encode()
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue, columns=columns)
    assert err.value.code == code
    assert {k: err.value.values[k] for k in values} == values


def test_missing_column_below_a_title_says_the_title_was_skipped(catalogue):
    data = "Реестр субъектов МСП\nпо состоянию на 01.01.2026\nОКВЭД;Район;Наименование\n59.11;Риддер;ТОО\n"
    with pytest.raises(RegisterError) as err:
        read_register(data.encode("cp1251"), catalogue)
    e = err.value
    assert (e.code, e.values["missing"], e.values["line"], e.values["note"]) == (
        "missing_columns",
        "employees",
        "3",
        "title_skipped",
    )
    assert str(e).startswith(
        "the file has no column for employees (columns found: 'ОКВЭД', 'Район', "
        "'Наименование'). The header was taken from line 3; the lines above it were skipped"
    )
    assert e.describe("ru").startswith(
        "в файле нет столбца: численность работников (найдены столбцы: 'ОКВЭД', "
        "'Район', 'Наименование'). Заголовок таблицы взят из строки 3, строки над ним "
        "пропущены как название. Подходят, например, для кода:"
    )
    assert e.describe("kk").startswith(
        "файлда мына баған жоқ: қызметкерлер саны (табылған бағандар: 'ОКВЭД', "
        "'Район', 'Наименование'). Кесте тақырыбы 3-жолдан алынды"
    )


def test_error_messages_echo_only_a_short_excerpt(catalogue):
    headers = [f"Колонка {i} " + "очень длинный заголовок " * 10 for i in range(40)]
    data = (";".join(headers) + "\n" + ";".join("x" for _ in headers) + "\n").encode("utf-8")
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    found = err.value.values["found"]
    quoted = found.split("', '")
    assert len(quoted) == 20 and found.endswith(", … (+20)")
    assert all(len(q.strip("'")) <= 80 for q in quoted[:-1])
    assert len(str(err.value)) < 20 * 84 + 800


@pytest.mark.parametrize(
    "data, code, ru, kk",
    [
        (b"", "empty", "файл пуст", "файл бос"),
        (
            b"just one column\nvalue\n",
            "no_table",
            "не найдены столбцы: ни одна строка не делится знаком ';', ',', табуляцией или '|' на два и более заполненных поля",
            "бағандар табылмады: бірде-бір жол ';', ',', табуляция немесе '|' арқылы екі не одан көп толтырылған өріске бөлінбейді",
        ),
    ],
)
def test_errors_in_russian_and_kazakh(catalogue, data, code, ru, kk):
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    assert err.value.code == code
    assert (err.value.describe("ru"), err.value.describe("kk")) == (ru, kk)
    assert err.value.describe("en") == str(err.value)


def test_mapping_errors_name_roles_in_the_language(catalogue):
    data = "Колонка A;Колонка B;Колонка C\n59.11;A;1\n".encode()
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue, columns={"code": 0, "municipality": 0, "employees": 2})
    assert err.value.describe("ru") == "столбец №1 указан и для роли «код деятельности», и для роли «муниципалитет»"
    assert err.value.describe("kk") == "№1 баған әрі «қызмет коды», әрі «муниципалитет» рөлі үшін берілген"
    assert str(err.value) == "column #1 is given to both code and municipality"


def test_an_unreadable_path_and_a_plain_error_still_describe_themselves(catalogue, tmp_path):
    with pytest.raises(RegisterError) as err:
        read_register(tmp_path / "absent.csv", catalogue)
    assert err.value.code == "unreadable" and "cannot read" in str(err.value)
    assert err.value.describe("ru").endswith("не удаётся прочитать (No such file or directory)")
    plain = RegisterError("the benchmark has no total row")
    assert (plain.code, plain.describe("kk")) == ("", "the benchmark has no total row")


def test_the_page_keeps_a_summary_of_rejections_not_every_row(catalogue):
    """A million rejected rows were 1.4 GB in a session; the page keeps counts by reason and the first rows."""
    bad = "".join(f";Риддер;{i}\n" if i % 2 else f"59.11;Риддер;x{i}\n" for i in range(3000))
    result = read_register(("ОКВЭД;Район;Численность\n59.11;Риддер;3\n" + bad).encode(), catalogue)
    summary = result.rejections(keep=100)
    assert summary.count == 3000 and len(summary.first) == 100 and len(result.summary(100).rejected) == 100
    assert summary.by_reason == {"empty_code": 1500, "nan_employees": 1500}
    assert summary.describe_counts("ru") == "пустой код деятельности: 1\u00a0500; численность … — не число: 1\u00a0500"
    assert "1,500" in summary.describe_counts("en")


# A register of bad rows by turns, with a revenue column; each kind's reasons by construction.
BAD_KINDS = [
    (";Риддер;{i};1", ["empty_code"], "empty activity code"),
    ("59.11;;;1", ["empty_municipality", "empty_employees"], "empty municipality; empty employees"),
    ("59.11;Риддер;x{i};1", ["nan_employees"], "employees 'x{i}' is not a number"),
    (
        "59.11;Риддер;5;1e16",
        ["implausible_revenue"],
        "revenue '1e16' is not a plausible amount (beyond ±1 000 000 000 000 000)",
    ),
]
WRONG_WIDTH = ("59.11;Риддер", ["field_count"], "2 fields where the header has 4")


@pytest.mark.parametrize("slow", [False, True], ids=["fast reader", "csv module (lines of the wrong width)"])
def test_an_import_keeps_the_first_rejected_rows_and_counts_every_one_by_reason(catalogue, slow):
    """Rejected rows are kept as rows only up to REJECTED_KEPT, the first by line, whichever reader set
    them aside; the counts, in all and by reason, cover every one."""
    kinds = BAD_KINDS + [WRONG_WIDTH] if slow else BAD_KINDS
    lines, expected, counts = ["ОКВЭД;Район;Численность;Выручка"], [], defaultdict(int)
    for i in range(3 * REJECTED_KEPT):
        if i % (len(kinds) + 1) == 0:
            lines.append("59.11;Риддер;2;1")  # a good row
            continue
        text, reasons, reason = kinds[i % (len(kinds) + 1) - 1]
        lines.append(text.format(i=i))
        expected.append((len(lines), reason.format(i=i)))
        for key in reasons:
            counts[key] += 1
    result = read_register(("\n".join(lines) + "\n").encode(), catalogue)
    assert len(result.rejected) == REJECTED_KEPT < len(expected)
    assert [(r.line, r.reason) for r in result.rejected] == expected[:REJECTED_KEPT]
    assert result.rejected_count == len(expected) and result.rejected_by_reason == counts
    assert (result.rows_used, result.rows_total) == (len(lines) - 1 - len(expected), len(lines) - 1)
    summary = result.rejections()
    assert (summary.count, summary.by_reason, summary.first) == (len(expected), counts, result.rejected)


CHILD = """
import json, resource, sys, time
from policy_engine.diagnostics.register import read_register
from policy_engine.method.catalogue import default_catalogue
catalogue = default_catalogue()
t0 = time.perf_counter()
result = read_register(sys.argv[1], catalogue)
seconds = time.perf_counter() - t0
print(json.dumps({
    "seconds": seconds,
    "peak_mb": int(next(x for x in open("/proc/self/status") if x.startswith("VmHWM:")).split()[1]) / 1024,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "count": result.rejected_count,
    "by_reason": result.rejected_by_reason,
    "lines": [r.line for r in result.rejected],
    "cells": [(c.municipality, c.industry, c.firms, c.employees) for c in result.cells],
    "rows": [result.rows_total, result.rows_used],
}))
"""


def test_a_million_bad_rows_are_counted_in_bounded_memory_and_time(tmp_path):
    """1,000,000 rejected rows (24 MB) peaked at 1.3 GB and took 17 s, a rejected row as an object
    each; now they are flags and counts (0.7 s, under 400 MB). Measured in a fresh process: its own
    peak resident set (VmHWM: its ru_maxrss would start from this test process's peak, which it
    inherits on Linux), libraries and the file's bytes included."""
    rows = 1_000_000
    kinds = [  # (row, its reasons): every reason by turns, employees' text different in each row
        (";Риддер;{i};1", ["empty_code"]),
        ("59.11;Риддер;x{i};1", ["nan_employees"]),
        ("90.01;;-{i};1", ["empty_municipality", "negative_employees"]),
        ("кино;Алтай;{i};1", ["bad_code"]),
        ("59.11;Алтай;3;1e16", ["implausible_revenue"]),
    ]
    body = "\n".join(kinds[i % 5][0].format(i=i + 1) for i in range(rows))
    path = tmp_path / "bad.csv"
    path.write_bytes((f"ОКВЭД;Район;Численность;Выручка\n{body}\n" + "59.11;Риддер;2;1\n" * 10).encode())
    del body
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=root, capture_output=True, text=True, timeout=120, check=True
    )
    got = json.loads(done.stdout)
    assert got["count"] == rows and got["rows"] == [rows + 10, 10]
    assert got["by_reason"] == {key: rows // 5 for _, keys in kinds for key in keys}
    assert got["lines"] == list(range(2, 2 + REJECTED_KEPT))
    assert got["cells"] == [["Риддер", "cinema", 10, 20.0]]
    assert got["peak_mb"] < 600, got
    assert got["seconds"] < 10, got


# --- a CSV read in batches --------------------------------------------------------------------------
# A CSV is read a batch of whole rows at a time (register.BATCH_BYTES, 32 MiB); with batches of a few
# bytes, every rule meets a batch boundary. The result must be the whole-file path's, field for field.


def whole_file(raw: bytes, catalogue, columns=None):
    """The import as the whole-file path makes it (the batched reader's fallback)."""
    from policy_engine.diagnostics import register

    return register._aggregate(register._read_csv(raw, columns), crosswalk(catalogue), 0)


def batched(source, catalogue, monkeypatch, batch: int, fallback: bool = False):
    """The import with batches of `batch` bytes; fails if it fell back to the whole-file path (unless
    `fallback`: then it must have)."""
    from policy_engine.diagnostics import register

    fell = []
    whole = register._read_csv

    def read_whole(raw, columns=None):
        fell.append(True)
        return whole(raw, columns)

    with monkeypatch.context() as patch:
        patch.setattr(register, "BATCH_BYTES", batch)
        patch.setattr(register, "_read_csv", read_whole)
        result = read_register(source, catalogue)
    assert bool(fell) == fallback
    return result


def batched_register(rows: int = 300) -> bytes:
    """A Windows-1251 register whose first lines are ASCII (its first byte past ASCII is far down), under
    a title, with bad rows, blank lines, quoted values across line breaks, sub-totals and a grand total."""
    lines = ["Register of firms", "as of 2026-01-01", "", "code;municipality;employees;revenue;note"]
    used = 0
    for i in range(rows):
        muni = "Ridder" if i < rows // 3 else ("Риддер" if i % 2 else "Усть-Каменогорск")
        code = ["59.11", "90.01", "47.11", "62.01.9"][i % 4]
        emp = i % 37 + 1
        note = f'"line {i}\nnext ""quoted"" line"' if i % 11 == 0 else f"n{i}"
        if i % 17 == 5:
            lines.append(f";{muni};{emp};1;{note}")  # empty code
        elif i % 29 == 7:
            lines.append(f"{code};{muni};x{i};1;{note}")  # not a number
        else:
            lines.append(f"{code};{muni};{emp} 000,5;{i},25;{note}")
            used += emp * 1000 + 0.5
        if i % 23 == 0:
            lines.append("")
        if i % 100 == 99:
            label = "Total Ridder" if i < rows // 3 else "Итого по району"
            lines.append(f"{label};;{used:.1f};;")
            used = 0
    lines.append("Итого;;0;;")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


@pytest.mark.parametrize("head", [False, True], ids=["whole file in the head", "a small head"])
@pytest.mark.parametrize("batch", [1, 40, 333, 2048])
def test_a_csv_read_in_batches_is_read_as_the_whole_file(catalogue, monkeypatch, tmp_path, batch, head):
    """The header is found in the top of the file (register.PREFIX_BYTES): with `head` that top is made
    small, so the header is read before the file's first byte past ASCII is seen."""
    from policy_engine.diagnostics import register

    if head:
        for name, value in (("HEAD_BYTES", 256), ("MAX_LINE_BYTES", 1024), ("PREFIX_BYTES", 256 + 1024 + 2)):
            monkeypatch.setattr(register, name, value)
    raw = batched_register()
    first_cyrillic = next(i for i, b in enumerate(raw) if b >= 0x80)
    assert first_cyrillic > 2048  # the encoding is decided only in a later batch
    path = tmp_path / "register.csv"
    path.write_bytes(raw)
    want = whole_file(raw, catalogue)
    assert want.encoding == "cp1251" and want.header_line == 4 and len(want.totals) == 4
    assert want.rejected and all(t.matches for t in want.totals[:3])
    assert {c.municipality for c in want.cells} == {"Ridder", "Риддер", "Усть-Каменогорск"}
    for source in (path, raw):
        got = batched(source, catalogue, monkeypatch, batch)
        assert got.model_dump() == want.model_dump()


def test_a_quoted_line_break_across_a_batch_boundary_keeps_rows_and_lines(catalogue, monkeypatch):
    head = "code;municipality;employees;note\n59.11;A;1;n\n"
    cut = len(head) + len('59.11;A;2;"first')  # the batch would end inside the quoted value
    raw = (head + '59.11;A;2;"first\nsecond\nthird"\n;A;3;n\n59.11;A;4;"x\ny"\n90.01;;5;n\n').encode()
    want = whole_file(raw, catalogue)
    assert [(r.line, r.reason) for r in want.rejected] == [(6, "empty activity code"), (9, "empty municipality")]
    for batch in (cut - 3, cut, cut + 5, len(head), 1):
        assert batched(raw, catalogue, monkeypatch, batch).model_dump() == want.model_dump()


@pytest.mark.parametrize(
    "raw",
    [
        # UTF-8 text, then a Windows-1251 line far below: mixed, naming both lines
        ("code;municipality;employees\n" + "59.11;Пермь;1\n" * 200 + "59.11;Кунгур;2\n").encode()
        + "59.11;Пермь;3\n".encode("cp1251"),
        # Windows-1251, then a municipality written in UTF-8 far below
        ("code;municipality;employees\n" + "59.11;Perm;1\n" * 200).encode()
        + "59.11;Пермь;1\n".encode("cp1251")
        + b"59.11;Perm;1\n" * 50
        + "59.11;Кунгур;2\n".encode(),
        # a byte-order mark says UTF-8; a line far below is not
        b"\xef\xbb\xbf"
        + ("code;municipality;employees\n" + "59.11;Пермь;1\n" * 200).encode()
        + "59.11;Пермь;3\n".encode("cp1251"),
    ],
    ids=["utf8 then cp1251", "cp1251 then a utf8 value", "bom then cp1251"],
)
def test_encoding_errors_found_in_a_later_batch_are_the_whole_files(catalogue, monkeypatch, raw):
    with pytest.raises(RegisterError) as whole:
        whole_file(raw, catalogue)
    for batch in (1, 100, 1000):
        with pytest.raises(RegisterError) as got:
            batched(raw, catalogue, monkeypatch, batch)
        assert (got.value.code, got.value.values) == (whole.value.code, whole.value.values)


@pytest.mark.parametrize(
    "tail",
    [
        "59.11;Пермь\n",  # a line of the wrong width: the csv module's path
        '59.11;Пермь;1;ООО "Кадр\n',  # a quote inside a value
        "59.11;Пермь;1;n\r;Пермь;1;n\r\n",  # a lone carriage return
    ],
    ids=["wrong width", "stray quote", "lone CR"],
)
def test_a_later_batch_the_fast_reader_cannot_read_sends_the_file_to_the_whole_file_path(catalogue, monkeypatch, tail):
    rows = "".join(f"{['59.11', '', '90.01'][i % 3]};Пермь;{i};n\n" for i in range(100))
    raw = ("code;municipality;employees;note\n" + rows + tail + rows).encode("cp1251")
    want = whole_file(raw, catalogue)
    got = batched(raw, catalogue, monkeypatch, 200, fallback=True)
    assert got.model_dump() == want.model_dump() and got.rejected_count > 60


def test_a_path_is_streamed_past_the_upload_limit_and_bytes_are_not(catalogue, tmp_path, monkeypatch):
    """A regular file named on the command line is read in batches, whatever its size; bytes (an upload)
    and a path that is not a regular file (/dev/zero) stay under the upload limit."""
    from policy_engine.diagnostics import uploads

    raw = ("code;municipality;employees\n" + "59.11;Пермь;1\n" * 100_000).encode()
    path = tmp_path / "big.csv"
    path.write_bytes(raw)
    monkeypatch.setattr(uploads, "LIMITS", uploads.Limits(upload_bytes=2**20))
    monkeypatch.setattr(uploads.check_size, "__defaults__", (uploads.LIMITS,))
    monkeypatch.setattr(uploads.read_capped, "__defaults__", (uploads.LIMITS,))
    assert len(raw) > 2**20
    result = batched(path, catalogue, monkeypatch, 1 << 16)
    assert result.rows_used == 100_000 and result.cells[0].employees == 100_000
    for source in (raw, "/dev/zero"):
        with pytest.raises(RegisterError) as refused:
            read_register(source, catalogue)
        assert refused.value.code == "upload_too_large"
