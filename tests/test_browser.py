"""The dashboard served by ``streamlit run`` and opened in Chromium through Playwright.

Runs against the fixture database, or the database named by ``BROWSER_TEST_DB``. Each page must
render its charts without a Streamlit exception; the URL state must survive a page switch.
Screenshots go to ``docs/screenshots/<page>.png`` when ``SAVE_SCREENSHOTS=1``, else to a
temporary folder. Skipped when Debian's Chromium is not installed at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dbfixture as fx
import duckdb
import pytest

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
PAGES = {  # page -> (url path, has charts)
    "overview": ("", True),
    "volume": ("volume", True),
    "channels": ("channels", True),
    "applications": ("applications", True),
    "problems": ("problems", True),
    "sources": ("sources?report={report}", False),
}
STARTUP_SECONDS = 60
TIMEOUT_MS = 45_000


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


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        folder = REPO_ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")


def _settle(page, *, charts: bool) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished and, where expected, the plotly charts are drawn."""
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stSidebarNav\"] a').length === {len(PAGES)}",
        timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(800)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def _selected(page) -> str:  # type: ignore[no-untyped-def]
    """The text of the first selectbox in the page body (the report picker on the sources page)."""
    return page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first.input_value()


def _full_page_screenshot(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Streamlit scrolls inside its main block, so grow the viewport to the content before the shot."""
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " ...Array.from(document.querySelectorAll('[data-testid=\"stMain\"], [data-testid=\"stMainBlockContainer\"]'))"
        ".map(e => e.scrollHeight))")
    size = page.viewport_size or {"width": 1400, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": max(900, min(int(height) + 40, 8000))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def test_a_deep_link_as_the_first_visit(server: str, browser, report_with_tables: str) -> None:  # type: ignore[no-untyped-def]
    """Streamlit starts in the legacy mode of ``pages/``; a first visit to ``/sources`` must still navigate."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{server}/sources?lang=en&report={report_with_tables}", timeout=TIMEOUT_MS)
        _settle(page, charts=False)
        assert page.locator("h1").first.inner_text().strip() == "Sources"
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert [text.split()[-1] for text in links][:1] == ["Overview"]
        if report_with_tables:
            assert report_with_tables in _selected(page)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_exception(name: str, server: str, browser, shots: Path,  # type: ignore[no-untyped-def]
                                        report_with_tables: str) -> None:
    path, charts = PAGES[name]
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        page.goto(f"{server}/{path.format(report=report_with_tables)}", timeout=TIMEOUT_MS)
        _settle(page, charts=charts)
        assert page.locator('[data-testid="stException"]').count() == 0
        if charts:
            assert page.locator(".js-plotly-plot").count() >= 1
        assert page.locator('[data-testid="stSidebarNav"] a').count() == len(PAGES)
        if name == "sources" and report_with_tables:
            assert report_with_tables in _selected(page)
        _full_page_screenshot(page, shots / f"{name}.png")
    finally:
        page.close()


def test_url_state_is_restored_and_kept_across_pages(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{server}/volume?lang=en", timeout=TIMEOUT_MS)
        _settle(page, charts=True)
        assert page.locator("h1").first.inner_text().strip() == "Disclosure volume"
        assert "Items disclosed proactively" in page.locator(".js-plotly-plot").first.inner_text()
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert "Channel mix" in nav.inner_text()
        nav.get_by_text("Channel mix").click()
        page.wait_for_url("**/channels**", timeout=TIMEOUT_MS)
        _settle(page, charts=True)
        assert page.locator("h1").first.inner_text().strip() == "Channel mix"
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=TIMEOUT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_language_switch_writes_the_url(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{server}/problems", timeout=TIMEOUT_MS)
        _settle(page, charts=True)
        assert page.locator("h1").first.inner_text().strip() == "存在问题"
        page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="Problems").first.wait_for(timeout=TIMEOUT_MS)
        _settle(page, charts=True)
        assert "Problems" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
