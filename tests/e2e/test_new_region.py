"""A region the app has never seen, from an empty database to a signed roadmap, through the UI alone.

A facilitator preparing a session for a Russian region, in the Russian interface, with a register as
Excel exports it (title rows above the header, a total row at the end). The app runs on its own
empty database (not the one the other browser tests share). Screenshots: /tmp/e2e_new_region_*.png;
the roadmap's pages: /tmp/e2e_new_region_pdf-NN.png.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from policy_engine.store.database import Store
from tests.e2e import conftest
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
REGION = "Пермский край"


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory):
    """The app as the README starts it, on a database of its own that starts empty."""
    conftest._require_browser()
    tmp = tmp_path_factory.mktemp("e2e-empty")
    database = f"sqlite:///{tmp / 'empty.db'}"
    with conftest.running_app(tmp, database) as (url, _):
        yield url, database


def shoot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/e2e_new_region_{name}.png", full_page=True)


def key(page, name: str):
    return page.locator(f".st-key-{name}")


def fill(page, name: str, text: str) -> None:
    key(page, name).locator("input, textarea").first.fill(text)


def choose(page, name: str, option: str) -> None:
    """Pick `option` (its label, as the user sees it) in the selectbox or multiselect with key `name`."""
    from playwright.sync_api import expect

    widget = key(page, name)
    box = widget.locator("input").first
    if box.input_value() == option:  # a selectbox that shows it already
        return
    for attempt in range(3):  # a rerun that lands while the list is open closes it: open it again
        box.click()
        box.fill(option)  # the list filters as one types
        wanted = page.get_by_role("option", name=option).first
        try:
            wanted.click(timeout=5_000 if attempt < 2 else 30_000)
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the last attempt raises
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)
            continue
        page.wait_for_timeout(200)
        if box.input_value() == option:  # a selectbox shows its choice in its input
            return
        page.keyboard.press("Escape")  # a multiselect keeps its list open: close it
        if widget.get_by_text(option, exact=True).count() > 0:
            return
    expect(widget).to_contain_text(option)


def set_date(page, name: str, when: date) -> None:
    """Types a date into a date field (its day, month and year segments), as a person would."""
    key(page, name).get_by_role("spinbutton").first.click()
    page.keyboard.type(when.strftime("%d%m%Y"))
    page.keyboard.press("Escape")


def submit(page, form: str, label: str | None = None) -> None:
    buttons = page.locator(f"[class*='st-key-FormSubmitter-{form}-'], .st-key-{form}_submit").get_by_role("button")
    (buttons.filter(has_text=label) if label else buttons).first.click()


def saved(page, version: int) -> None:
    """Waits until the sidebar shows the version the last action saved (not a passing message)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"версия {version}")
    wait_for_app(page)


def go(page, title: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    wait_for_app(page)


def open_expander(page, label: str) -> None:
    """Opens the expander whose title is `label`, unless it is open already."""
    details = page.locator("details", has=page.locator("summary", has_text=label)).first
    body = details.get_by_test_id("stExpanderDetails")
    if not body.is_visible():
        details.locator("summary").first.click()
    body.wait_for(state="visible")


def register_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Реестр субъектов малого и среднего предпринимательства Пермского края"])
    ws.append(["по состоянию на 01.01.2026"])
    ws.append([])
    ws.append(["Код ОКВЭД", "Муниципальное образование", "Численность работников"])
    rows = [
        ("32.99.8", "Кудымкар", 14),
        ("32.99.8", "Кудымкар", 9),
        ("59.11", "Пермь", 40),
        ("90.01", "Пермь", 25),
        ("47.11", "Пермь", 300),
        ("62.01", "Пермь", 120),
        ("47.11", "Кудымкар", 60),
        ("90.01", "Кунгур", 6),
        ("47.11", "Кунгур", 80),
    ]
    for row in rows:
        ws.append(list(row))
    ws.append(["Итого", None, sum(r[2] for r in rows)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ELEMENTS = [  # (name, layer, industry): one element in each of the five layers
    ("Пермский звериный стиль", "Исторический", "Народные художественные промыслы и ремёсла"),
    ("Строгановская школа иконописи", "Культурный", "Народные художественные промыслы и ремёсла"),
    ("Река Кама и Уральские горы", "Природный", "Рекреация и индустрия развлечений"),
    ("Дягилевский фестиваль", "Социальный", "Исполнительские искусства"),
    ("Пермская школа кино", "Технологический", "Кинематография"),
]


class Walk:
    """The facilitator's hands: fills a form (texts, choices, dates), submits it and waits until the
    sidebar shows the version that save made, so each step starts from the stored project."""

    def __init__(self, page, version: int = 1):
        self.page, self.version = page, version

    def form(
        self,
        form: str,
        texts: dict | None = None,
        picks: dict | None = None,
        dates: dict | None = None,
        label: str | None = None,
    ) -> None:
        for name, value in (picks or {}).items():
            choose(self.page, name, value)
        for name, value in (texts or {}).items():
            fill(self.page, name, value)
        for name, value in (dates or {}).items():
            set_date(self.page, name, value)
        submit(self.page, form, label)
        self.saved()

    def saved(self) -> None:
        self.version += 1
        saved(self.page, self.version)


def test_a_new_russian_region_from_an_empty_database_to_the_roadmap(empty_app, page, tmp_path):
    from playwright.sync_api import expect

    url, database = empty_app
    store = Store(database)
    assert store.list_projects() == []
    page.goto(url)
    wait_for_app(page)
    fill(page, "author_input", "Ольга Смирнова")
    page.keyboard.press("Tab")
    page.wait_for_url(re.compile(r"by="))  # the name is kept (in the address, so a reload keeps it too)
    wait_for_app(page)
    open_expander(page, "Новый проект")
    fill(page, "create_region", REGION)
    wait_for_app(page)
    submit(page, "create_form")
    try:
        expect(page.get_by_test_id("stSidebar")).to_contain_text(REGION, timeout=10_000)
    except AssertionError:  # a click that landed while the author's rerun was being drawn: once more
        submit(page, "create_form")
        expect(page.get_by_test_id("stSidebar")).to_contain_text(REGION)
    wait_for_app(page)
    (summary,) = store.list_projects()
    pid = summary.id
    assert pid == "permskii-krai"
    walk = Walk(page)

    def project():
        return store.load(pid).project

    # --- 1 identity audit -----------------------------------------------------------------------
    go(page, "1 Аудит идентичности")
    for name, layer, industry in ELEMENTS:
        open_expander(page, "Добавить элемент идентичности")
        walk.form("add_element_form", {"el_name_new": name}, {"el_layer_new_ru": layer, "el_ind_new_ru": industry})
    assert {e.layer for e in project().identity_elements} == {
        "historical",
        "cultural",
        "environmental",
        "social",
        "technological",
    }
    shoot(page, "page1_elements")
    for actor, sector, level in (
        ("Министерство культуры Пермского края", "власть", "региональный"),
        ("Пермский государственный университет", "университет", "региональный"),
        ("Студия «Кудымкарские мастера»", "бизнес", "муниципальный"),
    ):
        open_expander(page, "Добавить участника")
        walk.form("add_actor_form", {"actor_name": actor}, {"actor_sector_ru": sector, "actor_level_ru": level})
    assert len(project().actors) == 3

    register = tmp_path / "reestr.xlsx"
    register.write_bytes(register_xlsx())
    page.locator(".st-key-register_files").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(register))
    expect(page.get_by_text("Заголовок таблицы найден в строке 4")).to_be_visible()
    page.get_by_role("button", name="Импортировать реестр").click()
    expect(page.get_by_text("Использовано строк: 9 из 9; отклонено: 0")).to_be_visible()
    walk.saved()
    assert {m.name for m in project().region.municipalities} == {"Кудымкар", "Пермь", "Кунгур"}
    expect(page.get_by_text("совпадает", exact=False).first).to_be_visible()  # the total row, checked
    shoot(page, "page1_register")

    # --- 2 clustering ---------------------------------------------------------------------------
    go(page, "2 Кластеризация")
    page.get_by_role("button", name="Принять как кластер").first.click()
    walk.saved()
    walk.form("add_cluster_form", {"cl_name_new": "Кино Прикамья"}, {"cl_ind_new_ru": "Кинематография"})
    first, second = project().clusters
    walk.form("merge_form", picks={"merge_into": first.name, "merge_from": second.name})
    (merged,) = project().clusters
    assert "cinema" in merged.industries
    open_expander(page, merged.name)
    v = walk.version
    walk.form(
        f"cluster_form_{merged.id}",
        {f"cl_image_{merged.id}_v{v}": "Прикамье — край живых ремёсел и нового кино"},
        {f"cl_anchor_{merged.id}_v{v}": "Кудымкар"},
        label="Сохранить кластер",
    )
    cluster = project().clusters[0]
    assert cluster.anchor_municipality == "Кудымкар"
    assert cluster.industries == merged.industries  # the form shows the merged cluster, not a stale one
    shoot(page, "page2")
    page.reload()  # F5: the same page, the project still open, nothing asked again
    wait_for_app(page)
    expect(page.get_by_role("heading", name="2 Кластеризация").first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"версия {walk.version}")

    # --- 3 measure design -----------------------------------------------------------------------
    go(page, "3 Дизайн мер")
    walk.form(
        "measure_form",
        {"measure_form_owner": "Министерство культуры Пермского края", "measure_form_budget": "1500"},
        {
            "measure_form_measure": "Региональные гранты · региональный · экономические",
            "measure_form_cluster": merged.name,
        },
        {"measure_form_start": date(2026, 3, 1), "measure_form_end": date(2026, 12, 31)},
    )
    (measure,) = project().measures
    assert (measure.measure, measure.cluster, measure.budget) == ("reg_grants", merged.id, 1500)
    expect(page.get_by_text("тыс. руб.").first).to_be_visible()
    shoot(page, "page3")

    # --- 4 pilots -------------------------------------------------------------------------------
    go(page, "4 Пилотные проекты")
    open_expander(page, "Добавить пилотный проект")
    walk.form(
        "new_pilot_form",
        {
            "new_pilot_name": "Школа звериного стиля",
            "new_pilot_owner": "Студия «Кудымкарские мастера»",
            "new_pilot_regional": "300",
        },
        dates={"new_pilot_start": date(2026, 6, 1), "new_pilot_end": date(2027, 5, 31)},
    )
    (pilot,) = project().pilots
    walk.form(
        f"milestone_form_{pilot.id}",
        {f"new_milestone_name_{pilot.id}": "Первый набор учеников"},
        dates={f"new_milestone_due_{pilot.id}": date(2026, 9, 1)},
    )
    assert [m.name for m in project().pilots[0].milestones] == ["Первый набор учеников"]
    shoot(page, "page4")

    # --- 5 promotion ----------------------------------------------------------------------------
    go(page, "5 Продвижение")
    walk.form(
        "story_form",
        {
            "story_place": "Коми-Пермяцкий округ, Кудымкар",
            "story_tradition": "Бронзовое литьё пермского звериного стиля",
        },
    )
    walk.form(
        "event_form",
        {"new_event_name": "Фестиваль «Пермский звериный стиль»"},
        dates={"new_event_start": date(2026, 8, 15)},
    )
    assert len(project().promotion.stories) == 1 and len(project().promotion.events) == 1
    shoot(page, "page5")

    # --- 6 monitoring ---------------------------------------------------------------------------
    go(page, "6 Мониторинг")
    walk.form(
        "kpi_form",
        {"new_kpi_baseline": "1.2", "new_kpi_target": "1.5"},
        {"new_kpi_ru": "Доля креативных индустрий в ВРП"},
    )
    walk.form("actual_form", {"actual_value": "1.3"})
    assert project().kpis[0].actuals
    walk.form(
        "feedback_form",
        {
            "new_feedback_source": "Круглый стол мастеров, Кудымкар",
            "new_feedback_issue": "Нет помещения для мастерской",
        },
    )
    open_expander(page, "Решение по одной мере")
    walk.form(
        "decision_form",
        {"new_decision_reason": "Гранты работают, нужно больше мастерских"},
        {"new_decision_cluster_ru": merged.name},
    )
    assert project().review is not None and project().review.decisions
    shoot(page, "page6")
    key(page, "confirm_close_1").locator("label").click()
    wait_for_app(page)
    page.get_by_role("button", name="Закрыть цикл").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Цикл 2")
    walk.saved()
    assert project().cycle == 2

    # --- the roadmap: sign-off, then the PDF -----------------------------------------------------
    go(page, "Дорожная карта")
    open_expander(page, "Рабочая группа, подписанты и дата пересмотра")
    walk.form("member_form", {"new_member_name": "Ольга Смирнова", "new_member_role": "модератор"})
    walk.form(
        "signatory_form",
        {"new_signatory_name": "Петров Пётр Петрович", "new_signatory_position": "министр культуры Пермского края"},
        {"new_signatory_stage_ru": "Утверждаю"},
    )
    walk.form("review_date_form", dates={"next_review": date(2027, 3, 1)})
    page.get_by_role("button", name="Подготовить PDF и DOCX").click()
    link = page.locator(".st-key-download_pdf").get_by_test_id("stDownloadButton")
    expect(link).to_be_visible(timeout=90_000)
    wait_for_app(page)
    shoot(page, "roadmap")
    with page.expect_download(timeout=60_000) as info:
        link.click()
    pdf = tmp_path / "roadmap.pdf"
    info.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    assert REGION in flat and "тыс. руб." in flat and "KZT" not in flat and "тенге" not in flat
    assert "Петров Пётр Петрович" in flat and "01.03.2027" in flat
    english = english_sentences(text)
    assert english == [], english
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "pdf")], check=True, timeout=120)
    for image in sorted(tmp_path.glob("pdf-*.png")):
        shutil.copyfile(image, f"/tmp/e2e_new_region_{image.name}")
    history = store.history(pid)
    assert {v.author for v in history} == {"Ольга Смирнова"}
    assert page.get_by_test_id("stException").count() == 0
    store.close()


ALLOWED = {"Genius", "Loci", "RUB", "OKVED", "NACE", "DCMS", "ESSnet", "Culture", "KPI", "LQ", "PDF", "DOCX"}


def english_sentences(text: str) -> list[str]:
    """Lines of the PDF with three or more Latin words in a row: an English sentence of the engine."""
    out = []
    for line in text.splitlines():
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]+", line) if w not in ALLOWED]
        if len(words) >= 3:
            out.append(line)
    return out
