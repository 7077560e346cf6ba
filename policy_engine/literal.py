"""User text shown as typed: escaped for Streamlit's Markdown, and without bidi overrides.

Streamlit renders Markdown in st.markdown, captions, alerts, headings, expander and tab labels,
widget labels, radio options, metric labels and help tooltips (PITFALLS §8). A region named
`![x](http://host/t.png)` made every viewer's browser fetch the author's URL, `$…$` was typeset and
U+202E reversed the sidebar. Streamlit's renderer (react-markdown with remark-math, remark-gfm,
remark-directive and remark-emoji, plus its own `:material/…:`, `:streamlit:` and arrow plugins)
is beaten in two ways:

- every ASCII punctuation character gets a backslash, which CommonMark turns back into the plain
  character: no link, image, emphasis, heading, list, table, code, HTML, entity, `$` math, `:red[…]`
  directive, GFM autolink (`www.`, `http://`, e-mail) or strikethrough can start;
- the plugins that run on the parsed text (emoji shortcodes such as `:smile:`, `:material/icon:`,
  `:streamlit:`, and `->`, `<=`, `--` turned into arrows and dashes) see the text after the
  backslashes are gone, so an invisible WORD JOINER (U+2060) is put after a `:` that begins such a
  code and between the two characters of such an arrow.

Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed, here and
in `plain`, for the places that do not render Markdown (selectbox options, grid headers): one name
must not reverse the text after it.
"""

from __future__ import annotations

import string

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
WORD_JOINER = "\u2060"
_DROP_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
_PUNCTUATION = frozenset(string.punctuation)  # CommonMark: any ASCII punctuation may be backslash-escaped
_CODE_START = frozenset(string.ascii_letters + string.digits + "_+-")  # :smile: :+1: :red[ :material/
_ARROW_FIRST, _ARROW_SECOND = frozenset("<>-~"), frozenset("->=")  # -> <- <-> -- >= <= ~=


def plain(text: object) -> str:
    """Text for a place that shows it as it is (no Markdown), with bidi controls removed."""
    return str(text).translate(_DROP_BIDI)


def md_literal(text: object) -> str:
    """Text for any place Streamlit renders as Markdown that shows exactly what was typed.

    Line breaks stay line breaks (as Markdown hard breaks), and a line's leading spaces become
    no-break spaces, so an indented line is never a code block."""
    lines = plain(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_escape_line(line) for line in lines)


def _escape_line(line: str) -> str:
    body = line.lstrip(" \t")
    out = ["\u00a0" * (len(line) - len(body))]
    for i, ch in enumerate(body):
        following = body[i + 1] if i + 1 < len(body) else ""
        out.append("\\" + ch if ch in _PUNCTUATION else ch)
        if (ch == ":" and following in _CODE_START) or (ch in _ARROW_FIRST and following in _ARROW_SECOND):
            out.append(WORD_JOINER)
    return "".join(out)
