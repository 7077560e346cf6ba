"""The register importer's rules (policy_engine/diagnostics/register.py docstring), one group per rule, each from a
file a probe found read silently wrong: which column is which, codes stored as numbers, one encoding
per file, one number parser, plausible values, true line numbers, long lines, and an import that
never destroys data. Every file is built here, small, from its text or cells.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re

import pyarrow as pa
import pytest

from policy_engine.cli import main as cli_main
from policy_engine.diagnostics import register
from policy_engine.diagnostics.register import (
    RegisterError,
    inspect_register,
    match_columns,
    parse_number,
    read_register,
)
from policy_engine.wizard import frame
from tests.diagnostics.test_register import as_dict, workbook_bytes


def rejected(result) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in result.rejected]


# --- 1. columns: an alias names a whole header, or the header's name before a unit -----------------


@pytest.mark.parametrize(
    "headers, roles",
    [
        (["Код района", "Код ОКВЭД", "Район", "Численность"], {"code": 1, "municipality": 2, "employees": 3}),
        (
            ["Численность работников, чел.", "Выручка (тыс. руб.)", "Код", "Город"],
            {"employees": 0, "revenue": 1, "code": 2, "municipality": 3},
        ),
        (
            ["Employees (FTE)", "Revenue, thousand RUB", "OKVED", "District"],
            {"employees": 0, "revenue": 1, "code": 2, "municipality": 3},
        ),
        (["Кодекс", "Городской округ", "Численность населения", "Доходность"], {}),
        (["Код района, ОКТМО", "Район"], {"municipality": 1}),
    ],
)
def test_an_alias_must_name_the_whole_header_or_its_name_before_a_unit(headers, roles):
    assert match_columns(headers) == roles


def test_no_alias_names_two_roles():
    assert len(register.ALIAS_ROLE) == sum(len(aliases) for aliases in register.ALIASES.values())
    assert all(register.normalise_header(alias) == alias for alias in register.ALIAS_ROLE)  # comparable


def test_a_district_code_column_before_the_activity_code_is_not_taken_for_it(catalogue):
    data = (
        "Код района;Код ОКВЭД;Район;Численность работников, чел.\n57701;59.11;Пермь;10\n57702;90.01;Кунгур;3\n"
    ).encode()
    result = read_register(data, catalogue)
    assert result.columns["code"] == "Код ОКВЭД" and result.rejected == []
    assert as_dict(result) == {("Пермь", "cinema"): (1, 10.0), ("Кунгур", "performing_arts"): (1, 3.0)}


@pytest.mark.parametrize(
    "header, role, candidates",
    [
        ("ОКВЭД;Код ОКВЭД 2;Район;Численность", "code", [0, 1]),
        ("ОКВЭД;Район;Численность;Численность работников, чел.", "employees", [2, 3]),
        ("ОКВЭД;Район;Численность;Выручка, 2023;Выручка, 2024", "revenue", [3, 4]),
    ],
)
def test_two_candidate_columns_for_a_role_are_ambiguous_not_the_first(catalogue, header, role, candidates):
    width = header.count(";") + 1
    data = (header + "\n" + ";".join(["59.11", "Пермь", "10", "20", "30"][:width]) + "\n").encode("utf-8")
    layout = inspect_register(data)
    assert layout.ambiguous == {role: candidates} and role not in layout.roles and layout.missing == []
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    e = err.value
    assert e.code == "ambiguous_columns" and e.values["role"] == role
    names = header.split(";")
    assert e.values["found"] == ", ".join(repr(names[i]) for i in candidates)
    assert f"several columns could hold {role}: {e.values['found']}" in str(e)
    assert e.describe("ru").startswith("на роль «") and e.values["found"] in e.describe("ru")
    assert e.describe("kk")
    mapping = {role: candidates[-1]}
    result = read_register(data, catalogue, columns=mapping)
    assert result.columns[role] == names[candidates[-1]]


# --- 2. a code cell stored as a number -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("59.2", "59.20"),
        ("59.11", "59.11"),
        ("90", "90"),
        ("1.11", "01.11"),
        ("5", "05"),
        ("1.1", "01.10"),
        ("59.199999999999996", "59.20"),
        ("59.111", "59.111"),
        ("0.5", "0.5"),
        ("100", "100"),
        ("-59.2", "-59.2"),
        ("1e+300", "1e+300"),
        ("true", "true"),
    ],
)
def test_a_number_in_a_code_cell_is_read_with_its_classifications_digits(text, code):
    assert register.code_from_number(text) == code


def numeric_code_workbook() -> bytes:
    return workbook_bytes(
        [
            ["Код ОКВЭД", "Район", "Численность"],
            [59.2, "Пермь", 3],  # row 2: music, 59.20, stored as a number
            ["59.2", "Пермь", 4],  # row 3: typed as text: the group 59.2, used as typed
            [59.11, "Пермь", 2],  # a number that keeps its digits
            [90, "Кунгур", 5],  # the division 90
            [1.11, "Кунгур", 6],  # 01.11, its leading zero lost too
        ]
    )


def test_numeric_code_cells_are_formatted_back_and_the_import_warns(catalogue):
    result = read_register(numeric_code_workbook(), catalogue, name="r.xlsx")
    assert as_dict(result) == {
        ("Пермь", "music"): (1, 3.0),
        ("Пермь", "non_creative"): (1, 4.0),
        ("Пермь", "cinema"): (1, 2.0),
        ("Кунгур", "non_creative"): (2, 11.0),
    }
    assert result.rejected == []
    [warning] = result.warnings
    assert warning.code == "numeric_codes" and warning.values == {
        "count": "2",
        "line": "2",
        "before": "59.2",
        "after": "59.20",
    }
    assert warning.describe("en").startswith("2 activity codes were stored in the workbook as numbers")
    assert "59.2 → 59.20" in warning.describe("ru") and "59.2 → 59.20" in warning.describe("kk")


def test_the_command_line_prints_the_numeric_codes_warning(tmp_path, capsys):
    path = tmp_path / "r.xlsx"
    path.write_bytes(numeric_code_workbook())
    assert cli_main(["register", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: 2 activity codes were stored in the workbook as numbers" in out
    assert cli_main(["register", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"][0].startswith("2 activity codes")


# --- 3. one encoding per file; invisible characters in names --------------------------------------


@pytest.mark.parametrize("chunk", [1 << 20, 5])  # 5: the first bad byte is found across scan chunks
def test_a_file_mixing_utf8_and_windows_1251_is_refused_naming_the_line(catalogue, monkeypatch, chunk):
    monkeypatch.setattr(register, "CHUNK", chunk)
    lines = ["код;район;численность", "59.11;Пермь;1", "90.01;Кунгур;2"]
    data = "\n".join(lines).encode("utf-8") + "\n59.11;Пермь;3\n".encode("cp1251")
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    assert err.value.code == "mixed_encoding" and err.value.values["line"] == "4"
    assert "line 4" in str(err.value) and "строка 4" in err.value.describe("ru")


def test_a_windows_1251_file_with_a_utf8_line_is_refused_too(catalogue):
    data = "код;район;численность\n59.11;Пермь;1\n".encode("cp1251") + "59.11;Пермь;3\n".encode()
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    assert err.value.code == "mixed_encoding"  # line 1 is not UTF-8, line 3 is
    assert (err.value.values["line"], err.value.values["other"]) == ("1", "3")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_one_encoding_decodes_the_whole_file(catalogue, encoding):
    data = "код;район;численность\n59.11;Пермь;1\n90.01;Кунгур;2\n".encode(encoding)
    result = read_register(data, catalogue)
    assert result.encoding == ("cp1251" if encoding == "cp1251" else "utf-8")
    assert {c.municipality for c in result.cells} == {"Пермь", "Кунгур"}


def test_old_mac_line_ends_are_line_breaks(catalogue):
    data = "code;municipality;employees\r59.11;Пермь;1\r;Пермь;2\r90.01;Пермь;3\r".encode()
    result = read_register(data, catalogue)
    assert rejected(result) == [(3, "empty activity code")] and result.rows_used == 2


def test_a_bom_or_zero_width_character_inside_a_name_does_not_split_a_municipality(catalogue):
    data = (
        "code;municipality;employees\n59.11;\ufeffПермь;1\n59.11;Пермь;2\n59.11;Пер\u200bмь ;3\n"
        "59.11;Нижний\u00a0 Новгород;4\n59.11;Нижний Новгород;5\n\ufeff59.11;Пермь;6\n"
    ).encode("utf-8")
    result = read_register(data, catalogue)
    assert result.rejected == []
    assert as_dict(result) == {("Пермь", "cinema"): (4, 12.0), ("Нижний Новгород", "cinema"): (2, 9.0)}


# --- 4. one number parser for every path ----------------------------------------------------------

NUMBERS = [
    ("٣", None),
    ("３", None),
    ("1 234", 1234.0),
    ("1\u00a0234,5", 1234.5),
    ("1\u202f000", 1000.0),
    ("12,5", 12.5),
    ("+7", 7.0),
    ("1e3", 1000.0),
    ("inf", None),
    ("nan", None),
    ("Infinity", None),
    ("0x10", None),
    ("1_000", None),
    ("1.234,5", None),
    ("", None),
    ("\u2009", None),
    (" 7 ", 7.0),
    ("-3", -3.0),
    ("1e400", math.inf),
]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_the_dictionary_and_the_vectorized_number_paths_agree(encoding):
    cases = []
    for text, value in NUMBERS:
        try:
            cases.append((text.encode(encoding), value))
        except UnicodeEncodeError:  # Windows-1251 has no Arabic-Indic or full-width digits, no thin spaces
            continue
    values = [raw for raw, _ in cases]
    few = pa.array(values * 3, pa.binary())  # few distinct values: parsed once each, on the dictionary
    many = pa.array(values + [str(i).encode() for i in range(20_000)], pa.binary())  # mostly distinct
    want = [value for _, value in cases]
    assert register._numbers(few, encoding).to_list()[: len(values)] == want
    assert register._numbers(many, encoding).to_list()[: len(values)] == want


def test_the_parser_accepts_exactly_the_number_pattern():
    """The parser checks bytes and leaves the grammar to polars' float parser: on every string of
    number bytes (a seeded sample of up to six), it accepts exactly what NUMBER_PATTERN does."""
    rnd = random.Random(2026)
    texts = {"".join(p) for n in range(1, 4) for p in itertools.product("1+-.eE", repeat=n)}
    texts |= {"".join(rnd.choice("019+-.eE") for _ in range(rnd.randint(1, 6))) for _ in range(20_000)}
    texts = sorted(texts)
    parsed = register._parse_numbers(pa.array([t.encode() for t in texts], pa.binary()), "utf-8").to_list()
    pattern = re.compile(register.NUMBER_PATTERN)
    assert [t for t, v in zip(texts, parsed) if (v is not None) != bool(pattern.match(t))] == []


def test_parse_number_is_the_same_parser():
    assert [parse_number(text) for text, _ in NUMBERS] == [value for _, value in NUMBERS]


@pytest.mark.parametrize("distinct", [3, 9000])
def test_non_ascii_digits_are_refused_in_both_paths(catalogue, distinct):
    rows = ["59.11;Пермь;٣", "59.11;Пермь;３"] + [f"59.11;Пермь;{i % distinct}" for i in range(20_000)]
    result = read_register(("code;municipality;employees\n" + "\n".join(rows) + "\n").encode("utf-8"), catalogue)
    assert rejected(result) == [(2, "employees '٣' is not a number"), (3, "employees '３' is not a number")]


# --- 5. finite, plausible values ------------------------------------------------------------------


def test_implausible_and_non_finite_values_are_rejected_and_sums_stay_finite(catalogue, tmp_path, capsys):
    data = (
        "code;municipality;employees;revenue\n"
        "59.11;Пермь;1e308;1\n59.11;Пермь;1e308;1\n"  # 2-3: together they were inf
        "59.11;Пермь;20 000 000;1\n"  # 4: more than any firm employs
        "59.11;Пермь;1e400;1\n"  # 5: not a finite number
        "59.11;Пермь;5;2e15\n"  # 6: revenue past any firm's
        "59.11;Пермь;5;-1e400\n"  # 7
        "59.11;Пермь;7;100\n"  # 8: fine
        "Итого;;1e308;\n"
    ).encode()
    result = read_register(data, catalogue)
    limit = "10 000 000"
    assert rejected(result) == [
        (2, f"employees '1e308' is more than {limit} for one row"),
        (3, f"employees '1e308' is more than {limit} for one row"),
        (4, f"employees '20 000 000' is more than {limit} for one row"),
        (5, f"employees '1e400' is more than {limit} for one row"),
        (6, "revenue '2e15' is not a plausible amount (beyond ±1 000 000 000 000 000)"),
        (7, "revenue '-1e400' is not a plausible amount (beyond ±1 000 000 000 000 000)"),
    ]
    assert as_dict(result) == {("Пермь", "cinema"): (1, 7.0)}
    assert register.MAX_EMPLOYEES == 10_000_000 and register.MAX_REVENUE == 1e15
    assert all(math.isfinite(x.rejected_employees) for x in result.totals)
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    assert cli_main(["register", str(path), "--format", "json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


# --- 6. true line numbers -------------------------------------------------------------------------

QUOTED = (
    "code;municipality;employees;name\n"  # 1
    '59.11;Пермь;1;"ООО ""Кадр""\n'  # 2: a name over three lines
    "филиал\n"  # 3
    'в Кунгуре"\n'  # 4
    "59.11;;2;x\n"  # 5: empty municipality
    "\n"  # 6
    '90.01;Пермь;x;"a\r\nb"\n'  # 7-8: not a number
    "90.01;Пермь;3;y\n"
)  # 9


def test_line_numbers_count_the_newlines_inside_quoted_values(catalogue):
    result = read_register(QUOTED.encode("utf-8"), catalogue)
    assert rejected(result) == [(5, "empty municipality"), (7, "employees 'x' is not a number")]
    assert as_dict(result) == {("Пермь", "cinema"): (1, 1.0), ("Пермь", "performing_arts"): (1, 3.0)}


def test_line_numbers_after_a_quoted_newline_on_the_malformed_lines_path(catalogue):
    data = QUOTED + "59.11;Пермь\n" + '59.11;Пермь;4;"z\nz"\n' + ";Пермь;1;w\n"  # 10: two fields; 11-12; 13
    result = read_register(data.encode("cp1251"), catalogue)
    assert rejected(result) == [
        (5, "empty municipality"),
        (7, "employees 'x' is not a number"),
        (10, "2 fields where the header has 4"),
        (13, "empty activity code"),
    ]
    assert result.rows_used == 3 and result.encoding == "cp1251"


def test_a_stray_quote_inside_a_value_does_not_shift_line_numbers(catalogue):
    data = (
        'code;municipality;employees;name\n59.11;Пермь;1;ООО "Кадр\n59.11;Пермь;2;"a\nb"\n;Пермь;1;x\n59.11;Пермь;1;y\n'
    )
    result = read_register(data.encode("utf-8"), catalogue)
    assert rejected(result) == [(5, "empty activity code")] and result.rows_used == 3


def test_xlsx_line_numbers_are_sheet_rows_with_empty_rows_and_multiline_cells(catalogue):
    rows = [
        ["Реестр"],
        [],
        ["code", "municipality", "employees", "name"],
        ["59.11", "A", 3, "ООО\nКадр"],
        [],
        [],
        ["59.11", None, 4, "x"],
        [None, None, None, None],
        ["90.01", "B", "x", "a\nb\nc"],
        ["90.01", "B", 2],
    ]
    result = read_register(workbook_bytes(rows), catalogue)
    assert rejected(result) == [(7, "empty municipality"), (9, "employees 'x' is not a number")]
    assert result.header_line == 3 and result.rows_used == 2


# --- 7. long lines --------------------------------------------------------------------------------


def test_a_header_longer_than_64_kib_is_read_whole(catalogue):
    notes = [f"Примечание {i} " + "x" * 40 for i in range(1500)]  # about 80 KiB of header
    header = ";".join(notes + ["code", "municipality", "employees"])
    row = ";".join(["n"] * len(notes) + ["59.11", "Пермь", "3"])
    result = read_register(f"{header}\n{row}\n{row}\n".encode(), catalogue)
    assert len(header.encode()) > 1 << 16
    assert result.rejected == [] and as_dict(result) == {("Пермь", "cinema"): (2, 6.0)}


def test_a_first_line_past_the_line_limit_is_refused_naming_the_limit(catalogue):
    MAX_LINE_BYTES = register.MAX_LINE_BYTES
    data = ("code;municipality;employees;" + "x" * (MAX_LINE_BYTES + 10) + "\n59.11;A;1;n\n").encode("utf-8")
    with pytest.raises(RegisterError) as err:
        read_register(data, catalogue)
    assert err.value.code == "line_too_long" and err.value.values["line"] == "1"
    assert f"{MAX_LINE_BYTES // 2**20} MB" in str(err.value)


def test_a_data_line_longer_than_a_read_block_is_read(catalogue):
    data = ("code;municipality;employees;note\n59.11;A;1;" + "y" * (5 << 20) + "\n;A;2;n\n59.11;A;2;n\n").encode()
    result = read_register(data, catalogue)
    assert rejected(result) == [(3, "empty activity code")] and result.rows_used == 2


# --- 8. an import never destroys data -------------------------------------------------------------

NO_ROWS = "code;municipality;employees\n;Пермь;1\n59.11;;2\n59.11;Пермь;x\n".encode()


def test_a_register_with_no_usable_row_changes_nothing(catalogue, sample):
    result = read_register(NO_ROWS, catalogue)
    assert result.rows_used == 0 and result.cells == []
    edit = frame.import_register(sample, catalogue, result.cells)
    assert not edit.ok and [i.code for i in edit.issues] == ["register_empty"]
    assert edit.project.economy.employment == sample.economy.employment and len(sample.economy.employment) > 0


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_command_line_exits_1_when_no_row_could_be_used(tmp_path, capsys, fmt):
    path = tmp_path / "r.csv"
    path.write_bytes(NO_ROWS)
    assert cli_main(["register", str(path), "--format", fmt]) == 1
    captured = capsys.readouterr()
    assert "error: no row of the register could be used (3 rejected)" in captured.err
