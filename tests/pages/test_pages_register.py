"""Page 1's register upload through the UI: a role two columns could hold is asked for, with nothing
preselected, codes a workbook stored as numbers are read back and the page warns about them, and a
register of many bad rows leaves the session only the first of them and the counts."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from policy_engine.diagnostics.register import REJECTED_KEPT, Rejected
from policy_engine.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AUDIT = "pages/1_identity_audit.py"


def open_new_project(region: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="author_input").input("Ольга Смирнова").run()
    at.text_input(key="create_region").input(region)
    at.button(key="FormSubmitter:create_form-Создать").click().run()
    assert not at.exception, at.exception
    at.switch_page(AUDIT).run()
    assert not at.exception, at.exception
    return at


def warnings(at: AppTest) -> str:
    """The warnings' text as shown: user text in them is Markdown-escaped with backslashes."""
    return " ".join(w.value.replace("\\", "") for w in at.warning)


def employment(at: AppTest) -> dict:
    project = Store().load(at.session_state["project"].id).project
    return {(r.municipality, r.industry): r.employees for r in project.economy.employment}


def test_two_activity_code_columns_are_asked_for_with_nothing_preselected():
    at = open_new_project("Кировская область")
    data = ("ОКВЭД;Код ОКВЭД 2;Район;Численность\n47.11;59.11;Киров;12\n47.11;90.01;Слободской;3\n").encode()
    at.file_uploader(key="register_files").set_value(("r.csv", data, "text/csv")).run()
    assert not at.exception
    assert at.selectbox(key="map_code_r.csv").value is None  # neither candidate is taken for it
    assert at.selectbox(key="map_municipality_r.csv").value == 2
    assert "'ОКВЭД', 'Код ОКВЭД 2'" in warnings(at)
    assert "import_register" not in [b.key for b in at.button]
    at.selectbox(key="map_code_r.csv").set_value(1).run()
    at.button(key="import_register").click().run()
    assert not at.exception
    assert employment(at) == {("Киров", "cinema"): 12, ("Слободской", "performing_arts"): 3}


def test_codes_stored_as_numbers_are_read_back_and_the_page_warns():
    at = open_new_project("Вологодская область")
    wb = Workbook()
    ws = wb.active
    ws.append(["Код ОКВЭД", "Район", "Численность"])
    ws.append([59.2, "Вологда", 4])  # 59.20, music
    ws.append(["59.11", "Вологда", 6])
    buf = io.BytesIO()
    wb.save(buf)
    at.file_uploader(key="register_files").set_value(
        ("r.xlsx", buf.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    at.button(key="import_register").click().run()
    assert not at.exception
    assert employment(at) == {("Вологда", "music"): 4, ("Вологда", "cinema"): 6}
    assert "строка 2: 59.2 → 59.20" in warnings(at)


def rejected_rows(value, seen: set[int]) -> set[int]:
    """The rejected rows (by identity) reachable from a session value: in results, summaries, lists."""
    if isinstance(value, Rejected):
        seen.add(id(value))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            rejected_rows(getattr(value, name), seen)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            rejected_rows(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            rejected_rows(item, seen)
    return seen


def test_a_register_of_many_bad_rows_leaves_the_session_the_first_rows_and_exact_counts():
    """3,000 rejected rows: the session keeps REJECTED_KEPT of them, the page says how many there were
    by reason, and the good row is imported."""
    at = open_new_project("Томская область")
    bad = 3 * REJECTED_KEPT
    lines = ["ОКВЭД;Район;Численность", "59.11;Томск;4"]
    lines += [f";Томск;{i}" if i % 2 else f"59.11;Томск;x{i}" for i in range(bad)]
    at.file_uploader(key="register_files").set_value(("r.csv", "\n".join(lines).encode(), "text/csv")).run()
    at.button(key="import_register").click().run()
    assert not at.exception
    assert employment(at) == {("Томск", "cinema"): 4}
    _, report, rejections, _added = at.session_state["register_report"]
    assert (rejections.count, report.rejected_count, report.rows_total) == (bad, bad, bad + 1)
    assert rejections.by_reason == {"empty_code": bad // 2, "nan_employees": bad // 2}
    kept = set()
    for _, value in at.session_state.items():
        rejected_rows(value, kept)
    assert len(kept) == REJECTED_KEPT  # the first rows, however many were rejected
    assert [r.line for r in rejections.first] == list(range(3, 3 + REJECTED_KEPT))
    shown = " ".join(c.value.replace("\\", "") for c in at.caption)  # user text is Markdown-escaped
    assert "Причины: пустой код деятельности: 1\u00a0500; численность … — не число: 1\u00a0500" in shown
    assert "отклонено: 3,000" in at.info[0].value
    (table,) = [d.value for d in at.dataframe if "Строка" in d.value.columns]
    assert table["Строка"].tolist() == list(range(3, 3 + REJECTED_KEPT))
