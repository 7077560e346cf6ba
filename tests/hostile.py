"""Texts a user may type that break naive renderers, and a project that carries them everywhere.

Used by the PDF and DOCX tests: each string must come out literally (escaped, wrapped or split
across pages, never crashing the renderer).
"""

from __future__ import annotations

from policy_engine.project.model import CustomKpi, Event, KpiTrack, Member, Project

MARKUP = [
    '<script>alert("x")</script>',
    "S&P & Co",
    "\"double\" 'single' «ёлки»",
    "<b>unclosed tag",
    "</para><para>",
    "&amp; &lt; literally",
    "a < b > c",
]
EMOJI = "emoji 😀🎨🚀 end"
KAZAKH = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
LONG_WORD = "Шығармашылықиндустриялар" * 12  # 288 letters without a space
LONG_TEXT = " ".join(
    ["Очень длинный текст пользователя, абзац без конца."] * 190
)  # several pages in one cell, under the 10,000-character limit


def hostile_project(base: Project) -> Project:
    """`base` with hostile strings in every kind of place the roadmap prints."""
    p = base.model_copy(deep=True)
    p.region.name = f"{MARKUP[0]} {KAZAKH}"
    p.region.positioning = f"{MARKUP[1]} {EMOJI}"
    p.working_group.append(Member(name=MARKUP[6], role=MARKUP[3], organisation=LONG_WORD))
    p.identity_elements[0].name = MARKUP[1]
    p.identity_elements[0].description = LONG_TEXT
    p.identity_elements[1].name = LONG_WORD
    p.clusters[0].name = MARKUP[2]
    p.clusters[0].target_image = f"{MARKUP[3]} {EMOJI}"
    p.measures[0].owner = MARKUP[4]
    p.measures[0].note = "line one\nline two\x00\x07"
    p.pilots[0].success_story = MARKUP[5]
    p.promotion.narrative = EMOJI
    p.promotion.events.append(Event(name=MARKUP[6], start=p.promotion.events[0].start, venue=KAZAKH))
    p.kpis.append(
        KpiTrack(
            kpi="hostile-kpi",
            custom=CustomKpi(name=MARKUP[0], family="reputational", unit="%"),
            baseline_year=2024,
            baseline=1,
            targets={2025: 2},
        )
    )
    return p


# What a user may type to make a Markdown renderer fetch a URL, typeset, format or reverse text: an image
# and a link to a port nothing listens on, math, HTML, emphasis, a Streamlit colour directive, emoji and
# icon shortcodes, an arrow, and bidi overrides and isolates (PITFALLS §8).
MARKDOWN_PAYLOAD = (
    "# ![img](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/) $x^2$ <img src=x> **bold** "
    ":red[red] :smile: :material/bolt: a -> b \u2066iso\u2069 \u202eevil"
)


def every_text_replaced(base: Project, payload: str = MARKDOWN_PAYLOAD) -> Project:
    """`base` with every string in it replaced by `payload` (numbered per distinct string, so names stay
    unique and a name used in two places, such as a municipality, still matches itself), except where
    the model or the store's checks refuse it: ids, codes, dates, choices and references keep their
    value. Nothing here lists fields, so a text field added to the project later is covered too."""
    from pydantic import ValidationError

    from policy_engine.method.catalogue import default_catalogue
    from policy_engine.project.validation import check

    original = base.model_dump(mode="json")
    numbered: dict[str, str] = {}
    replaced: set[tuple] = set()

    def swap(value, path):
        if isinstance(value, str):
            replaced.add(path)
            return numbered.setdefault(value, f"{payload} {len(numbered) + 1}")
        if isinstance(value, dict):
            return {k: swap(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v, (*path, i)) for i, v in enumerate(value)]
        return value

    data = swap(original, ())

    def restore(loc: tuple) -> None:
        """Put back the refused text at `loc` (a field, or a list of references named as a whole)."""
        paths = [next((loc[:n] for n in range(len(loc), 0, -1) if loc[:n] in replaced), None)]
        paths = [p for p in paths if p] or [p for p in replaced if p[: len(loc)] == loc]
        if not paths:
            raise AssertionError(f"refused, but not a replaced text: {loc}")
        for path in paths:
            into, source = data, original
            for step in path[:-1]:
                into, source = into[step], source[step]
            into[path[-1]] = source[path[-1]]

    for _ in range(100):
        try:
            project = Project.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                restore(tuple(error["loc"]))
            continue
        issues = check(project, default_catalogue())
        if not issues:
            return project
        for issue in issues:
            restore(tuple(issue.path))
    raise AssertionError("the hostile project never became valid")
