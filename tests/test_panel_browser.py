"""The Cite panel in a real browser: Debian's headless Chromium through Selenium
and chromedriver, the page served from 127.0.0.1 (a secure context, so the
Clipboard API is available).

Skipped with a message where Chromium, chromedriver or Selenium is missing;
`.ci/setup-browser` installs them. With CITEKIT_REQUIRE_BROWSER=1 (CI) a
missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import citekit
from citekit.panel import panel, panel_page

_REQUIRED = os.environ.get("CITEKIT_REQUIRE_BROWSER") == "1"
_CHROMIUM = os.environ.get("CITEKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
_DRIVER = os.environ.get("CITEKIT_CHROMEDRIVER") or shutil.which("chromedriver")
try:
    import selenium  # noqa: F401
except ImportError:
    selenium = None
_MISSING = [
    name
    for name, found in (("chromium", _CHROMIUM), ("chromedriver", _DRIVER), ("selenium (pip)", selenium))
    if not found
]
if _MISSING:
    message = (
        f"browser tests need {', '.join(_MISSING)}: run .ci/setup-browser "
        "(apt-get install chromium chromium-driver; pip install selenium)"
    )
    if _REQUIRED:
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
STYLES = ("mla", "apa", "chicago")
from seed import EXPECTED_HTML, EXPECTED_TEXT, URL  # noqa: E402  (the strings of the first engine issue)
SEED = dict(
    title="Dim Prospects for Six-Party Deal",
    authors=["Carin Zissis"],
    date="2006-12-19",
    publisher="Council on Foreign Relations",
    url=URL,
    kind="Analysis Brief",
)
HOSTILE_TITLES = ["<img src=x onerror=alert(1)>", '"><script>alert(2)</script><b title="x']

# Runs before any page script: records alert() calls instead of opening dialogs.
ALERT_TRAP = "window.__citekitAlerts = []; window.alert = function (m) { window.__citekitAlerts.push(String(m)); };"
READ_CLIPBOARD = """
const done = arguments[arguments.length - 1];
navigator.clipboard.read().then(async (items) => {
  const out = {};
  for (const item of items) for (const type of item.types) out[type] = await (await item.getType(type)).text();
  done(out);
}, (err) => done({error: String(err)}));
"""


class _Site:
    """Pages served from memory by a local HTTP server on a thread."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self._n = itertools.count()
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, html: str) -> str:
        path = f"/page{next(self._n)}.html"
        self.pages[path] = html.encode("utf-8")
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site():
    s = _Site()
    yield s
    s.close()


@pytest.fixture(scope="module")
def driver(site, tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = _CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=900,560", "--force-device-scale-factor=1",
    ):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager from looking for downloads.
    d = webdriver.Chrome(service=Service(executable_path=_DRIVER), options=options)
    try:
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
        d.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": site.origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def brief():
    return citekit.Brief(**SEED)


def wait(d, condition, what: str):
    return WebDriverWait(d, 10).until(lambda _: condition(), message=f"waiting for {what}")


def load(d, site, html: str, *, enhanced: bool = True) -> None:
    d.get(site.add(html))
    wait(d, lambda: d.execute_script("return document.readyState") == "complete", "page load")
    if enhanced:
        wait(d, lambda: d.find_element(By.CSS_SELECTOR, ".citekit").get_attribute("data-citekit-enhanced") is not None,
             "the panel script")


def q(d, css: str, root=None):
    return (root or d).find_element(By.CSS_SELECTOR, css)


def qa(d, css: str, root=None):
    return (root or d).find_elements(By.CSS_SELECTOR, css)


def shown_citations(d, root=None) -> list[str]:
    return [c.text for c in qa(d, ".citekit-citation", root) if c.is_displayed()]


def selected_tab(d, root=None):
    (tab,) = [t for t in qa(d, ".citekit-tab", root) if t.get_attribute("aria-selected") == "true"]
    return tab


def open_panel(d, root=None):
    toggle = q(d, ".citekit-cite", root)
    assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert q(d, ".citekit-body", root).is_displayed()


def test_each_style_shows_the_engine_strings(driver, site, brief):
    load(driver, site, panel_page(brief))
    assert not q(driver, ".citekit-body").is_displayed()  # closed until the reader asks
    open_panel(driver)
    assert driver.switch_to.active_element == selected_tab(driver)  # focus moves into the panel
    tabs = qa(driver, ".citekit-tab")
    assert [t.text for t in tabs] == ["MLA", "APA", "Chicago"]
    for tab, style in zip(tabs, STYLES):
        tab.click()
        assert selected_tab(driver) == tab
        assert shown_citations(driver) == [citekit.cite(brief, style=style)] == [EXPECTED_TEXT[style]]
        (visible,) = [c for c in qa(driver, ".citekit-citation") if c.is_displayed()]
        assert visible.get_attribute("innerHTML") == EXPECTED_HTML[style]


def test_arrow_keys_move_between_styles(driver, site, brief):
    load(driver, site, panel_page(brief))
    open_panel(driver)
    tabs = qa(driver, ".citekit-tab")
    steps = [
        (Keys.ARROW_RIGHT, 1), (Keys.ARROW_RIGHT, 2), (Keys.ARROW_RIGHT, 0),  # wraps at the end
        (Keys.ARROW_LEFT, 2), (Keys.HOME, 0), (Keys.END, 2), (Keys.ARROW_LEFT, 1),
    ]
    for key, index in steps:
        driver.switch_to.active_element.send_keys(key)
        assert driver.switch_to.active_element == tabs[index]
        assert selected_tab(driver) == tabs[index]
        assert [t.get_attribute("tabindex") for t in tabs] == ["0" if i == index else "-1" for i in range(3)]
        assert shown_citations(driver) == [EXPECTED_TEXT[STYLES[index]]]


def test_copy_puts_html_and_text_on_the_clipboard_then_close(driver, site, brief):
    load(driver, site, panel_page(brief))
    open_panel(driver)
    qa(driver, ".citekit-tab")[1].click()  # APA
    status = q(driver, ".citekit-status")
    assert status.get_attribute("role") == "status" and status.text == ""
    q(driver, ".citekit-copy").click()
    wait(driver, lambda: status.text == "Copied", "the Copied announcement")
    clip = driver.execute_async_script(READ_CLIPBOARD)
    assert clip.get("text/plain") == citekit.cite(brief, style="apa") == EXPECTED_TEXT["apa"]
    assert "<i>Dim Prospects for Six-Party Deal</i>" in clip.get("text/html", "")

    q(driver, ".citekit-close").click()
    toggle = q(driver, ".citekit-cite")
    assert not q(driver, ".citekit-body").is_displayed()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert driver.switch_to.active_element == toggle  # focus goes back to the control that opened it
    # Reopening keeps the chosen style; Escape closes as well.
    toggle.click()
    assert driver.switch_to.active_element == selected_tab(driver) == qa(driver, ".citekit-tab")[1]
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not q(driver, ".citekit-body").is_displayed()
    assert driver.switch_to.active_element == toggle


def test_copy_falls_back_to_selecting_the_text(driver, site, brief):
    load(driver, site, panel_page(brief))
    # A browser without the async Clipboard API (or one that refuses it).
    driver.execute_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});")
    assert driver.execute_script("return navigator.clipboard") is None
    open_panel(driver)
    qa(driver, ".citekit-tab")[2].click()  # Chicago
    q(driver, ".citekit-copy").click()
    status = q(driver, ".citekit-status")
    wait(driver, lambda: status.text in ("Copied", "Press Ctrl+C to copy"), "the copy announcement")
    # The citation is selected, ready for Ctrl+C even where the browser refuses to copy.
    assert driver.execute_script("return window.getSelection().toString()") == EXPECTED_TEXT["chicago"]
    # Chromium does copy a selection: "Copied" is true, as a fresh page can read back.
    assert status.text == "Copied"
    load(driver, site, panel_page(brief))
    assert driver.execute_async_script(READ_CLIPBOARD).get("text/plain") == EXPECTED_TEXT["chicago"]


def test_without_javascript_all_citations_are_readable(driver, site, brief):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        load(driver, site, panel_page(brief), enhanced=False)
        root = q(driver, ".citekit")
        assert root.get_attribute("data-citekit-enhanced") is None  # the script really did not run
        assert not q(driver, ".citekit-cite").is_displayed()  # a button that would do nothing
        assert not q(driver, ".citekit-tabs").is_displayed()
        assert [n.text for n in qa(driver, ".citekit-style-name") if n.is_displayed()] == ["MLA", "APA", "Chicago"]
        assert shown_citations(driver) == [EXPECTED_TEXT[s] for s in STYLES]
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_renders_as_text_and_runs_nothing(driver, site, title):
    hostile = citekit.Brief(**{**SEED, "title": title})
    load(driver, site, panel_page(hostile))
    open_panel(driver)
    for tab, style in zip(qa(driver, ".citekit-tab"), STYLES):
        tab.click()
        (shown,) = shown_citations(driver)
        assert shown == citekit.cite(hostile, style=style)
        assert "alert(" in shown.lower()  # the title is there, as text (MLA title-cases it)
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert len(driver.find_elements(By.TAG_NAME, "script")) == 1  # only the panel's own
    assert q(driver, "h1").text == title
    assert driver.execute_script("return window.__citekitAlerts") == []


def test_several_panels_on_one_page_do_not_collide(driver, site, brief):
    other = citekit.Brief(**{**SEED, "title": "Another Brief", "date": "2006-11-02"})
    load(driver, site, panel_page([brief, other, brief]))
    roots = qa(driver, ".citekit")
    assert len(roots) == 3
    assert all(r.get_attribute("data-citekit-enhanced") is not None for r in roots)
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) == len(set(ids))
    open_panel(driver, roots[2])
    qa(driver, ".citekit-tab", roots[2])[1].click()
    assert shown_citations(driver, roots[2]) == [EXPECTED_TEXT["apa"]]
    for r in roots[:2]:  # the others are untouched
        assert not q(driver, ".citekit-body", r).is_displayed()
        assert selected_tab(driver, r) == qa(driver, ".citekit-tab", r)[0]


def test_a_script_emitted_with_every_panel_acts_once(driver, site, brief):
    # Two fragments pasted into one page, each with its own copy of the assets.
    body = panel(brief) + panel(brief, default="apa")
    load(driver, site, f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>")
    assert len(driver.find_elements(By.TAG_NAME, "script")) == 2
    roots = qa(driver, ".citekit")
    assert all(r.get_attribute("data-citekit-enhanced") is not None for r in roots)
    # Doubled listeners would toggle twice (staying closed) and move two tabs per key.
    open_panel(driver, roots[1])
    assert selected_tab(driver, roots[1]).text == "APA"
    driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert selected_tab(driver, roots[1]).text == "Chicago"
    assert shown_citations(driver, roots[1]) == [EXPECTED_TEXT["chicago"]]


def test_works_under_a_strict_csp(driver, site, brief):
    driver.get_log("browser")  # drop earlier messages
    load(driver, site, panel_page(brief, csp=True))
    open_panel(driver)
    qa(driver, ".citekit-tab")[2].click()
    assert shown_citations(driver) == [EXPECTED_TEXT["chicago"]]
    csp_errors = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp_errors == []


def test_screenshot(driver, site, brief):
    load(driver, site, panel_page(brief))
    open_panel(driver)
    q(driver, ".citekit-copy").click()
    wait(driver, lambda: q(driver, ".citekit-status").text == "Copied", "the Copied announcement")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "panel.png"
    assert q(driver, "article").screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
