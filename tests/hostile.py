"""Texts a user may type that break naive renderers, and a project that carries them everywhere.

Used by the PDF and DOCX tests: each string must come out literally (escaped, wrapped or split
across pages, never crashing the renderer).
"""

from __future__ import annotations

from policy_engine.project import CustomKpi, Event, KpiTrack, Member, Project

MARKUP = ['<script>alert("x")</script>', "S&P & Co", "\"double\" 'single' «ёлки»", "<b>unclosed tag",
          "</para><para>", "&amp; &lt; literally", "a < b > c"]
EMOJI = "emoji 😀🎨🚀 end"
KAZAKH = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
LONG_WORD = "Шығармашылықиндустриялар" * 12  # 288 letters without a space
LONG_TEXT = " ".join(["Очень длинный текст пользователя, абзац без конца."] * 500)  # several pages in one cell


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
    p.kpis.append(KpiTrack(kpi="hostile-kpi", custom=CustomKpi(name=MARKUP[0], family="reputational", unit="%"),
                           baseline_year=2024, baseline=1, targets={2025: 2}))
    return p
