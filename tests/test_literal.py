"""md_literal against a real CommonMark parser (markdown-it-py with GFM tables, strikethrough and `$` math,
as Streamlit's remark-gfm and remark-math read it): user text comes out as one paragraph of plain text that
reads exactly as typed (less the bidi controls), and the plugins Streamlit runs on parsed text (emoji
shortcodes, `:material/…:`, arrows) find nothing to replace."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from policy_engine.i18n import t, t_md
from policy_engine.literal import BIDI_CONTROLS, WORD_JOINER, md_literal, plain

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(dollarmath_plugin)
INLINE_TEXT = {"text", "softbreak", "hardbreak"}
# What Streamlit's text plugins match after parsing (StreamlitMarkdown.tsx; remark-emoji)
SHORTCODE = re.compile(r":\+1:|:-1:|:[\w-]+:|:material_\w+:|:[A-Za-z][\w-]*\[")
ARROW = re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")

PAYLOADS = [
    "![img](http://127.0.0.1:9/x.png)",
    "[link](http://127.0.0.1:9/) <http://127.0.0.1:9/> www.example.com mail@example.com",
    "$x^2$ and $$y$$",
    "<img src=x onerror=alert(1)> <b>bold</b> &amp; &#60;",
    "**bold** *it* _it_ ~~gone~~ `code` ``code``",
    ":red[red] :blue-background[x] :smile: :+1: :material/home: :streamlit:",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "+ item",
    "| a | b |\n|---|---|",
    "Setext\n===",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "\u202eevil\u202c \u2066isolated\u2069 \u202aembedded\u202c",
    "back\\slash \\* \\\\ trailing\\",
    "Шығыс Қазақстан «облысы» — 10:30, 1 234,5 млн ₸ 😀",
    '[ref]: http://127.0.0.1:9/ "title"',
    "[^note] and [x][ref]",
]


def tokens(text: str) -> list:
    out = []
    for token in MD.parse(text):
        out.append(token)
        out.extend(token.children or [])
    return out


def visible(text: str) -> str:
    """What a reader sees: the paragraphs' text, line breaks as newlines."""
    parts = []
    for token in tokens(text):
        if token.type == "paragraph_open" and parts:
            parts.append("\n\n")  # a blank line the user typed
        elif token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts).replace(WORD_JOINER, "")


def assert_plain_paragraph(text: str) -> None:
    kinds = [tok.type for tok in tokens(text)]
    assert set(kinds) <= {"paragraph_open", "paragraph_close", "inline"} | INLINE_TEXT, kinds
    shown = "".join(tok.content for tok in tokens(text) if tok.type == "text")
    assert not SHORTCODE.search(shown) and not ARROW.search(shown), shown


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_markdown_construct_is_plain_text_that_reads_as_typed(payload):
    escaped = md_literal(payload)
    assert_plain_paragraph(escaped)
    assert not set(BIDI_CONTROLS) & set(escaped)
    expected = "\n".join(line.rstrip() for line in plain(payload).split("\n"))
    assert visible(escaped) == expected


def test_inside_the_apps_own_markdown_the_user_text_stays_plain():
    """As the sidebar writes it: bold around an i18n text with the escaped name interpolated."""
    name = "![x](http://127.0.0.1:9/t.png) **a** $b$ \u202eevil"
    body = f"**{t_md('sidebar.project', 'ru', region=name)}**"
    kinds = [tok.type for tok in tokens(body)]
    assert "image" not in kinds and "link_open" not in kinds and "math_inline" not in kinds
    assert kinds.count("strong_open") == 1  # the app's bold, not the user's
    assert visible(body) == t("sidebar.project", "ru", region=plain(name))


def test_indented_lines_are_not_code_and_line_breaks_are_kept():
    escaped = md_literal("first\n\n    not code\n\tnor this")
    assert_plain_paragraph(escaped)
    # (the parser trims a paragraph's first no-break spaces, as browsers collapse nothing else)
    assert [line.strip("\u00a0") for line in visible(escaped).split("\n")] == ["first", "", "not code", "nor this"]


def test_t_md_escapes_the_values_not_the_numbers():
    assert t_md("pilots.total", "en", total="1 234.5", unit="$ :red[x]") == t(
        "pilots.total", "en", total="1 234\\.5", unit="\\$ \\:\u2060red\\[x\\]"
    )
    assert t_md("monitoring.closed", "en", cycle=1, next=2) == t("monitoring.closed", "en", cycle=1, next=2)


@pytest.mark.parametrize("value, shown", [("", ""), (None, "None"), (12.5, "12.5"), ("обычный текст", "обычный текст")])
def test_empty_and_non_text_values(value, shown):
    assert visible(md_literal(value)) == shown


def test_plain_drops_only_the_bidi_controls():
    assert plain("a\u202eb\u2066c\u2069 [x](y) $z$") == "abc [x](y) $z$"


LINE = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + string.punctuation + " ёЖқ😀" + BIDI_CONTROLS),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_any_line_is_one_plain_paragraph_that_reads_as_typed(text):
    escaped = md_literal(text)
    if not plain(text).strip():
        return  # nothing to show
    assert_plain_paragraph(escaped)
    assert visible(escaped).lstrip("\u00a0") == plain(text).strip(" ")  # a paragraph's edges are trimmed
