"""Workshop mode end to end: a facilitator's screen and a participant's phone, from an empty database.

The facilitator (Chromium, 1920×1080, as on a projector) creates a project for a region of no sample,
adds two identity elements, creates a workshop and opens a "rate" question; the participant (a phone,
390×844, touch) opens the QR code's address, joins, rates one element, changes the answer and reloads;
the facilitator sees the answer counted, reveals the results and takes the room's scores into the
project, whose new version the store shows with the workshop named in its history.

Screenshots of both at each step go to the test's tmp_path; the final ones are also copied to
/tmp/ws-e2e-shots/ to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from policy_engine.project.model import Scores
from policy_engine.store.database import Store
from tests.e2e import conftest
from tests.e2e.conftest import TIMEOUT_MS, wait_for_app
from tests.e2e.test_new_region import Walk, fill, go, key, open_expander, submit

pytestmark = pytest.mark.e2e

REGION = "Тверская область"
ELEMENTS = [  # (name, layer, industry)
    ("Торжокское золотное шитьё", "Исторический", "Народные художественные промыслы и ремёсла"),
    ("Исток Волги и озеро Селигер", "Природный", "Рекреация и индустрия развлечений"),
]
WORKSHOP = "Стратегическая сессия в Твери"
QUESTION = "Оцените элементы идентичности региона"  # the default title of a "rate" question
USE = "оценки зала (средние, округлённые до целого) заменили оценки аудита"
SHOTS = Path("/tmp/ws-e2e-shots")
HIDDEN = "Результаты скрыты, чтобы ответы"  # the board's note while results are hidden
BOARD_WAIT_MS = 20_000  # the board refreshes itself every 3 s


@pytest.fixture
def empty_app(tmp_path):
    """The app as the README starts it, on a fresh SQLite file of this test's own."""
    conftest._require_browser()
    database = f"sqlite:///{tmp_path / 'workshop.db'}"
    with conftest.running_app(tmp_path, database) as (url, _):
        yield url, database


# The height of what scrolls in the page: Streamlit scrolls its main area inside the viewport, so a
# "full page" screenshot of it is only the viewport.
CONTENT_HEIGHT = "Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"


class Shots:
    """Screenshots into tmp_path, numbered in the order taken: the viewport (what the projector shows)
    and, with `whole`, the whole page at the same width (the viewport made as tall as the content)."""

    def __init__(self, folder: Path):
        self.folder, self.n = folder, 0

    def __call__(self, page, name: str, whole: bool = False) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}_{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if whole:
            size = page.viewport_size
            page.set_viewport_size(
                {"width": size["width"], "height": max(size["height"], page.evaluate(CONTENT_HEIGHT))}
            )
            page.wait_for_timeout(500)  # the charts redraw at the new size
            path = self.folder / f"{self.n:02d}_{name}_whole.png"
            page.screenshot(path=str(path), full_page=True)
            page.set_viewport_size(size)
        return path


def criterion(card, name: str, score: int):
    """The button `score` of criterion `name` in an element's card on the phone."""
    return card.get_by_role("group", name=name).get_by_role("button", name=str(score), exact=True)


def tap_score(phone, card, name: str, score: int, sends: bool) -> None:
    """Taps a score; when the ballot is complete the tap sends it: wait for the server's answer."""
    from playwright.sync_api import expect

    button = criterion(card, name, score)
    expect(button).to_be_enabled()
    if sends:
        with phone.expect_response(lambda r: "/ballot?" in r.url and r.request.method == "POST") as sent:
            button.tap()
        assert sent.value.ok, sent.value.text()
        expect(card.locator(".st")).to_have_text("Сохранено")
    else:
        button.tap()
    expect(button).to_have_attribute("aria-pressed", "true")


def test_a_room_rates_an_element_and_the_facilitator_takes_the_result(empty_app, browser, tmp_path):
    from playwright.sync_api import expect

    url, database = empty_app
    store = Store(database)
    assert store.list_projects() == []
    shot = Shots(tmp_path)
    for stale in SHOTS.glob("failure_*.png"):  # from an earlier failed run: they would mislead
        stale.unlink()
    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    phone_ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36",
    )
    for ctx in (screen_ctx, phone_ctx):
        ctx.set_default_timeout(TIMEOUT_MS)
    screen, phone = screen_ctx.new_page(), phone_ctx.new_page()
    try:
        # --- 1 the facilitator: a project, two elements, a workshop, a question opened -------------
        screen.goto(url)
        wait_for_app(screen)
        fill(screen, "author_input", "Ирина Ведущая")
        screen.keyboard.press("Tab")
        screen.wait_for_url(re.compile(r"by="))
        wait_for_app(screen)
        open_expander(screen, "Новый проект")
        fill(screen, "create_region", REGION)
        wait_for_app(screen)
        submit(screen, "create_form")
        try:
            expect(screen.get_by_test_id("stSidebar")).to_contain_text(REGION, timeout=10_000)
        except AssertionError:  # a click that landed while the author's rerun was being drawn: once more
            submit(screen, "create_form")
            expect(screen.get_by_test_id("stSidebar")).to_contain_text(REGION)
        wait_for_app(screen)
        (summary,) = store.list_projects()
        pid = summary.id
        walk = Walk(screen)

        go(screen, "1 Аудит идентичности")
        for name, layer, industry in ELEMENTS:
            open_expander(screen, "Добавить элемент идентичности")
            walk.form("add_element_form", {"el_name_new": name}, {"el_layer_new_ru": layer, "el_ind_new_ru": industry})
        before = store.load(pid).project
        assert [e.name for e in before.identity_elements] == [n for n, _, _ in ELEMENTS]
        assert all(e.scores == Scores(uniqueness=3, recognition=3, vitality=3) for e in before.identity_elements)

        go(screen, "Семинар с залом")
        shot(screen, "screen_workshop_empty")
        fill(screen, "ws_title", WORKSHOP)
        screen.locator("[class*='st-key-FormSubmitter-ws_new-']").get_by_role("button").click()
        add = key(screen, "ws_add_q").get_by_role("button")
        expect(add).to_be_visible()
        wait_for_app(screen)
        kind = key(screen, "ws_kind_ru").locator("input")
        expect(kind).to_have_value("Оценка элементов идентичности")  # the default kind
        add.click()
        opener = key(screen, "ws_open").get_by_role("button")
        expect(opener).to_be_visible()
        wait_for_app(screen)
        opener.click()
        expect(key(screen, "ws_close").get_by_role("button")).to_be_visible()
        wait_for_app(screen)
        code = screen.get_by_test_id("stCode").first
        expect(code).to_contain_text("/ws/")
        join_url = code.locator("code").inner_text().strip()
        assert re.fullmatch(re.escape(url) + r"/ws/[A-Za-z0-9_-]{16,}\?lang=ru", join_url), join_url
        expect(screen.get_by_text(HIDDEN, exact=False)).to_be_visible()
        shot(screen, "screen_question_open")

        # --- 2 the participant: join, rate one element, change the answer, reload ------------------
        phone.goto(join_url)
        expect(phone.get_by_role("heading", name="Добро пожаловать!")).to_be_visible()
        shot(phone, "phone_join")
        phone.locator("#name").fill("Анна")
        phone.locator("label.radio", has_text="Бизнес").tap()
        phone.get_by_role("button", name="Присоединиться").tap()
        expect(phone.get_by_role("heading", name=QUESTION)).to_be_visible()
        expect(phone.locator("#me")).to_have_text("Бизнес · Анна")
        element = ELEMENTS[0][0]
        card = phone.locator("section.card", has=phone.get_by_role("heading", name=element))
        expect(card).to_be_visible()
        shot(phone, "phone_question")
        tap_score(phone, card, "Уникальность", 5, sends=False)
        expect(card.locator(".st")).to_have_text("Отметьте все три критерия")
        tap_score(phone, card, "Узнаваемость", 4, sends=False)
        tap_score(phone, card, "Жизнеспособность", 2, sends=True)
        shot(phone, "phone_first_ballot")
        tap_score(phone, card, "Уникальность", 1, sends=True)  # a change of mind: the ballot is replaced
        expect(criterion(card, "Уникальность", 5)).to_have_attribute("aria-pressed", "false")
        phone.reload()
        card = phone.locator("section.card", has=phone.get_by_role("heading", name=element))
        expect(card.locator(".st")).to_have_text("Сохранено")
        for name, score in (("Уникальность", 1), ("Узнаваемость", 4), ("Жизнеспособность", 2)):
            expect(criterion(card, name, score)).to_have_attribute("aria-pressed", "true")
        pressed = card.locator("button[aria-pressed='true']")
        expect(pressed).to_have_count(3)
        other = phone.locator("section.card", has=phone.get_by_role("heading", name=ELEMENTS[1][0]))
        expect(other.locator("button[aria-pressed='true']")).to_have_count(0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        phone_final = shot(phone, "phone_changed_ballot_after_reload")

        # --- 3 the facilitator: the answer counted, the results revealed and accepted --------------
        answered = screen.get_by_test_id("stMetric").filter(has_text="Ответили").get_by_test_id("stMetricValue")
        expect(answered).to_have_text("1", timeout=BOARD_WAIT_MS)  # no click: the board refreshed itself
        joined = screen.get_by_test_id("stMetric").filter(has_text="Присоединились").get_by_test_id("stMetricValue")
        expect(joined).to_have_text("1")
        expect(screen.get_by_text(HIDDEN, exact=False)).to_be_visible()
        expect(screen.get_by_text("Группы согласны", exact=False)).to_have_count(0)
        wait_for_app(screen)
        shot(screen, "screen_answered_hidden", whole=True)
        key(screen, "ws_reveal").get_by_role("button", name="Показать результаты").click()
        expect(key(screen, "ws_reveal").get_by_role("button", name="Скрыть результаты")).to_be_visible()
        expect(screen.get_by_text("Группы согласны", exact=False)).to_be_visible(timeout=BOARD_WAIT_MS)
        expect(screen.get_by_text(HIDDEN, exact=False)).to_have_count(0)
        chart = screen.get_by_test_id("stVegaLiteChart").first
        expect(chart).to_be_visible()
        expect(chart.locator("canvas, svg").first).to_be_visible()
        wait_for_app(screen)
        screen_revealed = shot(screen, "screen_board_revealed", whole=True)

        use = screen.locator("[class*='st-key-ws_use_']")
        use.get_by_text(USE, exact=True).click()
        expect(use.get_by_role("radio", name=USE)).to_be_checked()
        wait_for_app(screen)
        key(screen, "ws_accept").get_by_role("button", name="Принять результат").click()
        walk.saved()  # the sidebar shows the version the accepted result made
        shot(screen, "screen_accepted", whole=True)

        # --- the store: the new version has the room's scores and names the workshop --------------
        loaded = store.load(pid)
        assert loaded.version == walk.version
        first, second = loaded.project.identity_elements
        assert first.scores == Scores(uniqueness=1, recognition=4, vitality=2)  # the changed ballot
        assert second.scores == Scores(uniqueness=3, recognition=3, vitality=3)  # nobody rated it
        (record,) = loaded.project.workshops
        assert (record.workshop, record.question, record.participants, record.use) == (
            WORKSHOP,
            QUESTION,
            1,
            "scores_replaced",
        )
        last = store.history(pid)[-1]
        assert last.version == loaded.version
        assert last.note == f"Семинар «{WORKSHOP}», вопрос «{QUESTION}»: {USE}"
        assert last.author == "Ирина Ведущая"
        assert screen.get_by_test_id("stException").count() == 0

        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screen_revealed, SHOTS / "facilitator_board_revealed.png")
        viewport = screen_revealed.with_name(screen_revealed.name.replace("_whole", ""))
        shutil.copyfile(viewport, SHOTS / "facilitator_board_revealed_viewport.png")
        shutil.copyfile(phone_final, SHOTS / "participant_changed_ballot.png")
    except BaseException:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for name, p in (("facilitator", screen), ("participant", phone)):
            try:
                p.screenshot(path=str(SHOTS / f"failure_{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - the browser may be gone; the failure itself is what matters
                pass
        raise
    finally:
        screen_ctx.close()
        phone_ctx.close()
        store.close()
