"""Which format a file is, read from its content; a table's codes of each classification."""

from __future__ import annotations

import io
import zipfile

import pytest

from policy_engine.diagnostics.register import RegisterError
from policy_engine.diagnostics.registers import detect, plan, read_registers
from policy_engine.method.catalogue import default_catalogue

CAT = default_catalogue()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


def test_a_table_is_a_table_in_a_zip_or_not_whatever_its_name():
    csv = "ОКЭД;Район;Численность\n59110;Риддер;10\n47111;Риддер;90\n".encode()
    assert detect(csv) == "table" and detect(_zip("export.csv", csv)) == "table"
    assert plan([("export.zip", _zip("export.csv", csv))]).layout.roles.keys() >= {"code", "municipality", "employees"}
    result = read_registers([("export.zip", _zip("export.csv", csv))], CAT)
    assert {(c.municipality, c.industry) for c in result.cells} == {("Риддер", "cinema"), ("Риддер", "non_creative")}


def test_a_tables_codes_without_dots_and_nomis_style_codes_reach_their_class():
    csv = b"code;municipality;employees\n59110;A;10\n5911;A;5\n5911 : Motion picture;A;1\n9001;B;3\n"
    result = read_registers([("t.csv", csv)], CAT)
    cells = {(c.municipality, c.industry): c.employees for c in result.cells}
    assert cells == {("A", "cinema"): 16.0, ("B", "performing_arts"): 3.0}


def test_a_zip_of_something_else_and_a_foreign_xml_are_refused_shortly():
    with pytest.raises(RegisterError) as err:
        detect(_zip("photo.png", b"\x89PNG" + b"x" * 1000))
    assert err.value.code == "not_a_table"
    with pytest.raises(RegisterError):
        detect(b"<html><body>" + b"x" * 100000 + b"</body></html>")


def test_two_tables_at_once_are_refused():
    csv = b"code;municipality;employees\n59.11;A;1\n"
    with pytest.raises(RegisterError) as err:
        read_registers([("a.csv", csv), ("b.csv", csv)], CAT)
    assert err.value.code == "one_file"
