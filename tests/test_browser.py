"""The dashboard served by ``streamlit run`` and opened in Chromium through Playwright.

Runs against the fixture database, or the database named by ``BROWSER_TEST_DB``. Every page must
render in Chinese and in English without a Streamlit exception or error message; a filter change
must reach the URL, survive a page switch and come back from a copied link; meeting mode must
hide the sidebar. Screenshots go to ``docs/screenshots/<page>.png`` (``<page>_en.png`` in English)
when ``SAVE_SCREENSHOTS=1``; otherwise none are taken. Skipped when Debian's Chromium is not
installed at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dbfixture as fx
import duckdb
import pytest

from app import nav
from app.i18n import t

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
NAV = nav.available()
CHART_PAGES = {"overview", "volume", "channels", "applications", "problems", "compare"}
TITLES = {name: f"{name}.title" for name in NAV if name != "add_reports"}
STARTUP_SECONDS = 60
TIMEOUT_MS = 45_000
SAVE = os.environ.get("SAVE_SCREENSHOTS") == "1"
SHOTS = REPO_ROOT / "docs" / "screenshots"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: install Debian's chromium to run the browser test")
    return CHROMIUM


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("BROWSER_TEST_DB")
    if chosen:
        return Path(chosen).resolve()
    return fx.build(tmp_path_factory.mktemp("browser_db") / "fixture.duckdb")


@pytest.fixture(scope="module")
def report_with_tables(database: Path) -> str:
    """A report that has table-3 cells, so the sources page shows its tables."""
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("SELECT min(report_id) FROM facts WHERE tbl = 3").fetchone()
    return row[0] if row and row[0] else ""


@pytest.fixture(scope="module")
def a_province(database: Path) -> str:
    """The province with the most reports, for the filter test."""
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("SELECT b.province FROM reports r JOIN bureaus b USING (bureau_id) "
                          "WHERE b.province IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    return str(row[0]) if row else ""


@pytest.fixture(scope="module")
def server(chromium: Path, database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit_log") / "server.log"
    env = {**os.environ, "DISCLOSURE_DB": str(database)}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if proc.poll() is not None:
                    pytest.fail("streamlit exited early:\n" + log_path.read_text(errors="replace"))
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("streamlit did not become healthy:\n" + log_path.read_text(errors="replace"))
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    tab = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        yield tab
    finally:
        tab.close()


def _settle(page, *, charts: bool, nav_links: int | None = len(NAV)) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished and, where expected, the plotly charts are drawn."""
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    if nav_links is not None:
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=\"stSidebarNav\"] a').length === {nav_links}",
            timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def _params(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return parse_qs(urlparse(page.url).query)


def _no_errors(page) -> None:  # type: ignore[no-untyped-def]
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()


def _selected(page) -> str:  # type: ignore[no-untyped-def]
    """The text of the first selectbox in the page body (the report picker on the sources page)."""
    return page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first.input_value()


def _sidebar_select(page, label: str, option: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Pick ``option`` (or the first option) in the sidebar selectbox labelled ``label``."""
    options = page.locator('[role="option"]')
    wanted = options.filter(has_text=option) if option else options
    for _ in range(3):
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).first
        box.locator("input").click()
        try:
            wanted.first.wait_for(timeout=1500)
        except Exception:  # the box was redrawn by a rerun: open it again
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            continue
        wanted.first.click()
        return
    raise AssertionError(f"no option {option!r} in {label}")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A full-page screenshot: Streamlit scrolls inside its main block, so the viewport grows to the content."""
    if not SAVE:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " ...Array.from(document.querySelectorAll('[data-testid=\"stMain\"], [data-testid=\"stMainBlockContainer\"]'))"
        ".map(e => e.scrollHeight))")
    size = page.viewport_size or {"width": 1400, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": max(900, min(int(height) + 40, 9000))})
    page.wait_for_timeout(700)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_a_deep_link_as_the_first_visit(server: str, page, report_with_tables: str) -> None:  # type: ignore[no-untyped-def]
    """Streamlit starts in the legacy mode of ``pages/``; a first visit to ``/sources`` must still navigate."""
    page.goto(f"{server}/sources?lang=en&report={report_with_tables}", timeout=TIMEOUT_MS)
    _settle(page, charts=False)
    assert page.locator("h1").first.inner_text().strip() == t("sources.title", "en")
    links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [text.split()[-1] for text in links][:1] == ["Overview"]
    if report_with_tables:
        assert report_with_tables in _selected(page)
    _no_errors(page)


def _arrive(page, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for ``name`` to be the page shown, its script finished and its charts drawn."""
    page.wait_for_url(f"**/{'' if name == 'overview' else name}**", timeout=TIMEOUT_MS)
    if name in TITLES:
        page.get_by_role("heading", name=t(TITLES[name], lang), exact=True).first.wait_for(timeout=TIMEOUT_MS)
    _settle(page, charts=name in CHART_PAGES)


def _check(page, name: str, lang: str, report: str) -> None:  # type: ignore[no-untyped-def]
    """What every page must show, and the page-specific parts (sources text, SQL run, meeting pack)."""
    if name in TITLES:
        assert page.locator("h1").first.inner_text().strip() == t(TITLES[name], lang)
    nav_text = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert t("nav.compare", lang) in nav_text and t("nav.sql", lang) in nav_text
    if name in CHART_PAGES:
        assert page.locator(".js-plotly-plot").count() >= 1
        assert page.get_by_role("button", name=t("download.png", lang)).count() >= 1
    if name == "sources":
        page.locator("mark").first.wait_for(timeout=TIMEOUT_MS)
        if report:
            assert report in _selected(page)
    if name == "sql":
        page.get_by_role("button", name=t("sql.run", lang)).click()
        page.get_by_text(re.compile(r"返回 \d+ 行|\d+ rows in")).first.wait_for(timeout=TIMEOUT_MS)
        _settle(page, charts=False)
    if name == "meeting" and lang == "zh":
        page.get_by_role("button", name=t("meeting.build", lang)).click()
        page.get_by_role("button", name=t("meeting.pptx", lang)).wait_for(timeout=90_000)
        _settle(page, charts=False)
    if name != "add_reports":
        _no_errors(page)
    else:
        assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_in_both_languages(lang: str, server: str, page, report_with_tables: str) -> None:  # type: ignore[no-untyped-def]
    """Every page of the navigation, reached by its link (the sources and meeting pages by a deep link)."""
    suffix = "" if lang == "zh" else "lang=en"
    page.goto(f"{server}/" + (f"?{suffix}" if suffix else ""), timeout=TIMEOUT_MS)
    for name in NAV:
        if name == "sources":
            page.goto(f"{server}/sources?report={report_with_tables}" + (f"&{suffix}" if suffix else ""),
                      timeout=TIMEOUT_MS)
        elif name == "meeting":
            page.goto(f"{server}/meeting?charts=coverage&charts=proactive_total&charts=channel_trend&charts=flow"
                      + (f"&{suffix}" if suffix else ""), timeout=TIMEOUT_MS)
        elif name != "overview":
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text=t(f"nav.{name}", lang)).first.click()
        _arrive(page, name, lang)
        _check(page, name, lang, report_with_tables if name == "sources" else "")
        _shot(page, name if lang == "zh" else f"{name}_en")


def test_a_filter_change_reaches_the_url_and_comes_back(server: str, page, browser,  # type: ignore[no-untyped-def]
                                                        a_province: str) -> None:
    page.goto(f"{server}/volume", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    _sidebar_select(page, "省份", a_province)
    page.wait_for_function("() => location.search.includes('province=')", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    _sidebar_select(page, "层级")
    page.wait_for_function("() => location.search.includes('level=')", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    params = _params(page)
    assert params["province"] == [a_province]
    link = page.url
    page.locator('[data-testid="stSidebarNav"]').get_by_text(t("nav.channels", "zh")).click()
    page.wait_for_url("**/channels**", timeout=TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('province=')", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    assert _params(page)["province"] == [a_province] and _params(page)["level"] == params["level"]
    _no_errors(page)

    fresh = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        fresh.goto(link, timeout=TIMEOUT_MS)
        _settle(fresh, charts=True)
        province = fresh.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="省份")
        assert a_province in province.first.locator("input").input_value()
        assert _params(fresh)["province"] == [a_province]
        _no_errors(fresh)
    finally:
        fresh.close()


def test_language_switch_writes_the_url(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/problems", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    assert page.locator("h1").first.inner_text().strip() == t("problems.title", "zh")
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    page.wait_for_function("() => location.search.includes('lang=en')", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name=t("problems.title", "en")).first.wait_for(timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    assert t("nav.problems", "en") in page.locator('[data-testid="stSidebarNav"]').inner_text()
    _no_errors(page)


def test_meeting_mode_hides_the_sidebar_and_titles_charts(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/volume?meeting=1", timeout=TIMEOUT_MS)
    _settle(page, charts=True, nav_links=None)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator(".js-plotly-plot").first.bounding_box()["height"] >= 650  # type: ignore[index]
    assert "全部地区" in (page.locator(".js-plotly-plot .gtitle").first.text_content() or "")
    assert page.get_by_role("button", name=t("download", "zh")).count() == 0
    _no_errors(page)
    page.set_viewport_size({"width": 1600, "height": 900})
    page.locator('[class*="st-key-meet_"]').first.scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('[class*=\"st-key-meet_\"]').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    if SAVE:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "meeting_mode.png"))
    page.get_by_role("button", name=t("meeting.exit", "zh")).click()
    page.wait_for_function("() => !location.search.includes('meeting=')", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    assert page.locator('[data-testid="stSidebar"]').is_visible()


def test_a_recurring_problem_clicks_through_to_its_sentences(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/problems?show=all", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    grid = page.locator('.st-key-recurring_table [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the selection cell of the first row
    page.wait_for_function("() => location.search.includes('problem_bureau=')", timeout=TIMEOUT_MS)
    _settle(page, charts=True)
    params = _params(page)
    assert params["theme"] and params["problem_bureau"]
    theme_box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text="主题").first
    assert theme_box.locator("input").input_value() == t(f"theme.{params['theme'][0]}", "zh")
    _no_errors(page)
