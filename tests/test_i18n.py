"""Interface texts: every key in Russian, Kazakh and English; every key the app uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from policy_engine import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
USED = re.compile(r"""\btr(?:_md)?\(\s*f?["']([a-z0-9_.{}]+)["']""")


def test_every_key_has_all_three_languages():
    for key, texts in i18n.strings().items():
        assert set(texts) >= set(i18n.LANGS), key
        assert all(texts[lang].strip() for lang in i18n.LANGS), key


def test_placeholders_agree_across_languages():
    for key, texts in i18n.strings().items():
        names = {lang: {n for _, n, _, _ in Formatter().parse(texts[lang]) if n} for lang in i18n.LANGS}
        assert names["ru"] == names["kk"] == names["en"], key


def test_every_key_used_by_the_app_exists():
    keys = set(i18n.strings())
    used = {m for src in SOURCES for m in USED.findall(src.read_text(encoding="utf-8"))}
    assert used, "the pattern found no tr() calls; it is broken"
    literal = {k for k in used if "{" not in k}
    assert sorted(literal - keys) == []
    for pattern in used - literal:  # f-strings like iter.{n}: at least one key must match the prefix
        prefix = pattern.split("{")[0]
        assert any(k.startswith(prefix) for k in keys), pattern


def test_kazakh_texts_use_kazakh_letters():
    kk = " ".join(texts["kk"] for texts in i18n.strings().values())
    assert set("әғқңөұүі") <= set(kk)  # һ is rare in Kazakh words


def test_a_duplicate_key_across_files_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("x.y: {ru: а, kk: ә, en: a}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("x.y: {ru: б, kk: б, en: b}\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "STRINGS_DIR", tmp_path)
    i18n.strings.cache_clear()
    try:
        with pytest.raises(ValueError, match="x.y is already defined"):
            i18n.strings()
    finally:
        i18n.strings.cache_clear()


def test_t_fills_placeholders():
    assert i18n.t("sidebar.cycle_version", "en", cycle=2, version=7) == "Cycle 2 · version 7"


def test_a_text_with_an_unquoted_comma_is_refused(tmp_path, monkeypatch):
    from policy_engine import i18n

    (tmp_path / "x.yaml").write_text("x.key: {ru: Как (каналы, порядок), kk: а, en: b}\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "STRINGS_DIR", tmp_path)
    i18n.strings.cache_clear()
    try:
        with pytest.raises(ValueError, match="unquoted comma"):
            i18n.strings()
    finally:
        i18n.strings.cache_clear()
