"""Every page with a project whose every text is Markdown bait (tests/hostile.py): nothing the user typed may
become an image, a link, math, HTML, formatting, a shortcode or reversed text wherever Streamlit renders
Markdown (PITFALLS §8: an image in a region's name made every viewer's browser fetch the author's URL).

The pages are found in app.py and every element AppTest sees is walked through all its protobuf string
fields, in the sidebar, expanders, forms and columns alike, so a new page, element or field is checked
without a change here. A field counts as Markdown unless it is one Streamlit is known to show as it is
(PLAIN below, checked in the frontend of the pinned version): those must still carry no bidi override."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from streamlit.testing.v1 import AppTest

from policy_engine.literal import BIDI_CONTROLS
from policy_engine.project.model import CrosswalkChange, Signatory
from policy_engine.project.sample import load_sample
from policy_engine.store.database import Store
from policy_engine.store.workshops import WORKSHOP_TABLES
from tests.hostile import MARKDOWN_PAYLOAD, every_text_replaced

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = re.findall(r'st\.Page\("([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
HOME = PAGES[0]
AUDIT, CLUSTERING, MONITORING = (next(p for p in PAGES if name in p) for name in ("audit", "clustering", "monitoring"))

# The payload's pieces as typed: in a Markdown field each of them must come out escaped.
RAW = [
    "](http",
    "127.0.0.1",
    "$x^2$",
    "<img",
    "**bold**",
    ":red[",
    ":smile:",
    ":material/bolt:",
    " -> ",
    *BIDI_CONTROLS,
]
# Fields that are not Markdown: ids, settings, a widget's typed value, and Vega's spec (drawn as SVG text).
SKIP = {
    "id",
    "form_id",
    "type",
    "format",
    "tag",
    "url",
    "theme",
    "autocomplete",
    "min",
    "max",
    "column_order",
    "spec",
    "default",
    "icon",
}
# Text Streamlit shows as it is (1.67: the selectbox and multiselect components do not import its Markdown
# renderer, streamlit/streamlit#7466 is open; grid headers and cells are drawn on a canvas): no Markdown to
# escape there, but no bidi control either. st.text is preformatted text. A grid column's `help` is a Markdown
# tooltip.
PLAIN = {("Selectbox", "options"), ("MultiSelect", "options"), ("Text", "body")}
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(dollarmath_plugin)


@pytest.fixture
def project_id():
    """An empty database holding one hostile project in its second cycle: the first cycle's review and KPI
    results, and the changes between the cycles, are shown too."""
    store = Store()
    with store.engine.begin() as conn:
        for table in (*WORKSHOP_TABLES, "project_version", "project_cycle", "project"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    base = load_sample("east-kazakhstan")  # a place for every kind of text the sample leaves empty
    base.signatories.append(Signatory(stage="approved", name="Signer", position="Minister"))
    base.region.municipalities[0].names = {"ru": "Усть-Каменогорск", "kk": "Өскемен", "en": "Ust-Kamenogorsk"}
    base.crosswalk.append(CrosswalkChange(code="59.11", industry="cinema", reason="A reason given", by="Someone"))
    hostile = every_text_replaced(base)
    store.close_cycle(hostile.id, store.create(hostile, MARKDOWN_PAYLOAD), MARKDOWN_PAYLOAD)
    store.close()
    return hostile.id


def opened(project_id: str, lang: str, page: str = HOME) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(project=project_id, lang=lang, by=MARKDOWN_PAYLOAD[:80])
    at.run()
    if page != HOME:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def strings(message, path=()):
    """Every string field of a protobuf message, nested messages and repeated fields included."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if field.type == field.TYPE_MESSAGE:
                yield from strings(item, (*path, field.name))
            elif field.type == field.TYPE_STRING:
                yield (*path, field.name), item


def nodes(node):
    if getattr(node, "proto", None) is not None:
        yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def rendered(at: AppTest):
    """(where, text, is_markdown) for every string AppTest holds of the page, sidebar included."""
    for node in nodes(at._tree):
        kind = type(node.proto).__name__
        for path, text in strings(node.proto):
            field, where = path[-1], f"{kind}.{'.'.join(path)}"
            if kind == "Dataframe" and field == "columns":  # the column config as JSON
                yield from grid_columns(where, json.loads(text))
            elif field not in SKIP:
                yield where, text, (kind, field) not in PLAIN


def grid_columns(where: str, config, key: str = ""):
    if isinstance(config, dict):
        for k, v in config.items():
            yield from grid_columns(f"{where}.{k}", v, k)
    elif isinstance(config, list):
        for v in config:
            yield from grid_columns(where, v, key)
    elif isinstance(config, str):
        yield where, config, key == "help"


def tokens(text: str):
    for token in MD.parse(text):
        yield token
        yield from token.children or []


def unescaped(piece: str, text: str) -> bool:
    """Whether `piece` occurs in `text` with its first character not escaped by a backslash."""
    start = text.find(piece)
    while start >= 0:
        backslashes = len(text[:start]) - len(text[:start].rstrip("\\"))
        if backslashes % 2 == 0:
            return True
        start = text.find(piece, start + 1)
    return False


def markup(text: str) -> list[str]:
    """What of the payload this Markdown text would render as markup (empty when it shows literally)."""
    found = [f"raw {piece!r}" for piece in RAW if unescaped(piece, text)]
    for token in tokens(text):
        target = token.attrs.get("src") or token.attrs.get("href") or ""
        if token.type in ("image", "link_open") and "127.0.0.1" in str(target):
            found.append(f"{token.type} {target}")
        elif token.type.startswith("html") and "img" in token.content:
            found.append(f"html {token.content!r}")
        elif token.type.startswith("math"):
            found.append(f"math {token.content!r}")
        elif token.type == "text" and ("\\!\\[" in token.content or "\\$x" in token.content):
            found.append("escaped twice: backslashes shown")
    return found


def assert_literal(at: AppTest, where: str) -> None:
    problems, seen = [], 0
    for element, text, is_markdown in rendered(at):
        seen += "evil" in text
        bad = markup(text) if is_markdown else [f"bidi {c!r}" for c in BIDI_CONTROLS if c in text]
        if bad:
            problems.append(f"{element}: {', '.join(dict.fromkeys(bad))} in {text[:120]!r}")
    assert seen, f"{where}: no user text found on the page"  # the walk saw the project (the sidebar at least)
    assert not problems, f"{where}:\n" + "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_user_text_literally(project_id, page, lang):
    assert_literal(opened(project_id, lang, page), f"{page} ({lang})")


def register_csv(header_row: str, *rows: str) -> bytes:
    return "\n".join([header_row, *rows]).encode("utf-8")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_uploaded_registers_headers_municipalities_and_totals_show_literally(project_id, lang):
    at = opened(project_id, lang, AUDIT)
    bait = MARKDOWN_PAYLOAD.replace(";", ",")
    # headers nobody recognises: the mapping step shows them
    at.file_uploader(key="register_files").set_value(
        ("r.csv", register_csv(f"{bait} A;{bait} B;{bait} C", f"59.11;{bait};12"), "text/csv")
    ).run()
    assert not at.exception and at.selectbox(key="map_code_r.csv")
    assert_literal(at, f"register mapping ({lang})")
    # known headers, a municipality and a total that does not add up, then the import
    data = register_csv(
        "Код ОКВЭД;Муниципальное образование;Численность работников",
        f"59.11;{bait};12",
        f"90.01;{bait} 2;3",
        f"xx;{bait} 3;4",
        "Итого;;999",
    )
    at.file_uploader(key="register_files").set_value(("total.csv", data, "text/csv")).run()
    at.checkbox(key="register_replace_ok").check().run()  # the project holds employment data already
    at.button(key="import_register").click().run()
    assert not at.exception and at.info and at.warning  # imported, and the total said not to add up
    assert_literal(at, f"register imported ({lang})")


def test_a_refused_row_a_delete_question_and_a_conflict_show_user_text_literally(project_id):
    at = opened(project_id, "ru", AUDIT)
    at.session_state["elements_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"name": MARKDOWN_PAYLOAD, "uniqueness": 9}],
    }
    at.run()
    at.button(key="save_elements").click().run()
    assert at.error
    assert_literal(at, "refused row")

    at.switch_page(CLUSTERING).run()
    cluster = at.session_state["project"].clusters[0]
    at.button(key=f"FormSubmitter:cluster_form_{cluster.id}-Удалить кластер").click().run()
    assert at.warning
    assert_literal(at, "delete question")

    # someone else saves first: the next save shows what they changed, names and all
    store = Store()
    theirs = store.load(project_id)
    changed = theirs.project.model_copy(deep=True)
    changed.clusters[0].name = f"{MARKDOWN_PAYLOAD} renamed"
    changed.identity_elements[0].description = f"{MARKDOWN_PAYLOAD} changed"
    store.save(changed, theirs.version, MARKDOWN_PAYLOAD)
    store.close()
    at.switch_page(MONITORING).run()
    at.number_input(key="actual_year").set_value(date.today().year - 1)
    at.button(key="FormSubmitter:actual_form-Записать").click().run()
    assert at.session_state["conflict"] is not None
    assert_literal(at, "conflict")


def test_the_walk_finds_what_the_old_escaping_let_through():
    """The check itself: a page that escaped as before (no `:`, no bidi) or not at all is caught."""
    old = "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch for ch in MARKDOWN_PAYLOAD)
    assert markup(old) and markup(MARKDOWN_PAYLOAD)
    assert {"raw ':smile:'", "raw ':material/bolt:'", "raw '\\u202e'"} <= set(markup(old))
    assert any(m.startswith("image") for m in markup(MARKDOWN_PAYLOAD))
