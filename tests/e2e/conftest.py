"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from classicpos.roles import CASHIER, MANAGER
from tests.factories import TEST_PASSWORD, UserFactory

# Playwright's sync API runs an event loop; the ORM calls made by tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Browser tests need Debian's Chromium: run 'apt-get install -y chromium'.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def staff(transactional_db):
    """A Manager and a Cashier who log in with TEST_PASSWORD."""
    manager = UserFactory(username="maria")
    manager.groups.add(Group.objects.get(name=MANAGER))
    cashier = UserFactory(username="carl")
    cashier.groups.add(Group.objects.get(name=CASHIER))
    return {"manager": manager, "cashier": cashier}


class BrowserPage:
    """A Playwright page bound to the live server, collecting JavaScript errors."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.expected_console: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", self._on_console)
        page.set_default_timeout(10_000)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        # Chromium logs every 4xx answer; a 400 from the API is a validation answer
        # the page shows beside the field, not a JavaScript error.
        if "status of 400" in message.text and "/api/" in url:
            return
        if any(expected in message.text for expected in self.expected_console):
            return
        self.errors.append(f"console: {message.text} ({url})")

    def expect_console_errors(self, *texts: str) -> None:
        """Let Chromium's own log lines that hold one of ``texts`` pass: a test that cuts
        the connection or the session expects Chromium to log the failed requests."""
        self.expected_console.extend(texts)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def login(self, username: str):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", TEST_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url("**/customers/**")

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def assert_no_horizontal_scroll(self):
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"The page scrolls sideways by {overflow}px"

    def at_each_width(self):
        """Resize the page to desktop width, then to a phone's, yielding each viewport, and
        leave it at desktop width: a journey walked once checks its layout and axe at both
        widths (a desktop test and a phone test walking the same journey cost twice as much).
        """
        for viewport in (DESKTOP, PHONE):
            self.page.set_viewport_size(viewport)
            yield viewport
        self.page.set_viewport_size(DESKTOP)

    def assert_fits_and_is_accessible(self, name: str, screenshot: str = "") -> None:
        """At desktop width, then at a phone's: no sideways scrolling, axe clean, and a
        screenshot named ``screenshot-<width>px`` when asked for."""
        for viewport in self.at_each_width():
            if screenshot:
                self.screenshot(f"{screenshot}-{viewport['width']}px")
            self.assert_no_horizontal_scroll()
            self.assert_accessible(f"{name} at {viewport['width']}px")

    def settle(self):
        """Wait for CSS transitions (a modal or toast fading in) to finish: axe measures
        colours as they are, and a half-faded modal has no contrast to speak of."""
        # Spinners turn forever (iterations: Infinity); only finite fades are waited for.
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running'"
            " || a.effect.getTiming().iterations === Infinity)"
        )

    def assert_accessible(self, name: str):
        from axe_playwright_python.sync_playwright import Axe

        self.settle()
        results = Axe().run(self.page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{name}: {serious}"

    def dismiss_toasts(self) -> None:
        """Close every toast once read: a success toast hides by itself after 5 s, and
        axe measuring one half faded out finds no contrast to speak of."""
        for close in self.page.locator("#toasts .toast.show .btn-close").all():
            close.click()
        self.page.wait_for_function(
            "() => !document.querySelector('#toasts .toast.show, #toasts .toast.showing')"
        )
        self.settle()

    def toast_text(self) -> str:
        toast = self.page.locator("#toasts .toast.show").last
        toast.wait_for()
        return toast.inner_text()


@pytest.fixture
def make_page(browser, live_server):
    """Open a browser page at a viewport size; fail the test on any JavaScript error."""
    contexts = []
    pages = []

    def factory(viewport=None) -> BrowserPage:
        # Reduced motion, as a user may ask their system for: Bootstrap then shows and hides
        # toasts and modals without fading, so axe never measures one half faded (a success
        # toast hiding itself after 5 s in the middle of an axe run failed CI once).
        context = browser.new_context(viewport=viewport or DESKTOP, reduced_motion="reduce")
        contexts.append(context)
        page = BrowserPage(context.new_page(), live_server.url)
        pages.append(page)
        return page

    yield factory
    errors = [error for page in pages for error in page.errors]
    for context in contexts:
        context.close()
    assert errors == [], errors
