"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live server (transactional database).

Playwright cannot download its own browser here, so the system Chromium at /usr/bin/chromium
is launched. Without it the browser tests are skipped on a developer's machine, but fail in CI
(CI=true), where a skipped browser suite would hide a broken deputy page.
"""

import contextlib
import os
import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls made from that thread (factories, assertions on the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# WeChat's in-app browser on an Android phone: where deputies open their personal links.
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 14; V2307A Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 "
    "MMWEBSDK/20241103 MMWEBID/2585 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
DEFAULT_TIMEOUT_MS = 15_000


# What pages are checked against, in every browser test.
MIN_TAP_PX = 44  # the smallest comfortable tap target (Apple HIG, WCAG 2.5.5)


def url_re(live_server, path: str) -> re.Pattern:
    """The page at ``path`` exactly, with any query string."""
    return re.compile(re.escape(live_server.url + path) + r"(\?.*)?$")


def watch_errors(page) -> list[str]:
    """Collect the page's JavaScript errors, refused resources (a CSP violation shows here) and
    failed requests, the browser's own probe for /favicon.ico included."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

    def on_console(msg):
        # A failed request is reported below with its address; the console says it without.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(f"console: {msg.text}")

    def on_response(response):
        if response.status >= 400:
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    return errors


def assert_no_horizontal_scroll(page) -> None:
    """Nothing on the page is wider than the phone's screen. A mobile browser widens its layout
    viewport (window.innerWidth) to fit content that overflows, so the page is also measured
    against the screen's own width."""
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    screen_width = page.viewport_size["width"]
    assert scroll_width <= inner_width, f"{page.url} scrolls sideways: {scroll_width}px wide in {inner_width}px"
    assert scroll_width <= screen_width, f"{page.url} is {scroll_width}px wide on a {screen_width}px screen"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)"
        if _in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(f"browser tests skipped: {message}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _plain_http_live_server():
    """The live server speaks plain HTTP, while production settings (DEBUG off) redirect to
    HTTPS and mark cookies secure. SecurityMiddleware reads SECURE_SSL_REDIRECT when the
    server starts, so this must be in force before the (session-wide) live server exists."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_live_server, live_server):
    """pytest-django's live server, started over plain HTTP (see above). On SQLite its
    request threads share the test's one in-memory connection, which fails ("bad parameter
    or other API misuse") when a page's requests arrive together (a poster and a video): there
    it answers one request at a time."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        httpd = live_server.thread.httpd
        app, lock = httpd.get_app(), threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(app(environ, start_response))

        httpd.set_app(one_at_a_time)
    return live_server


def _artifact_name(item) -> str:
    return re.sub(r"[^\w.-]+", "_", item.name)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


def _context(request, browser, **options):
    """A browser context that, when its test fails, leaves a screenshot of each open page
    (test-artifacts/e2e/<test name>-failed-<n>.png) for whoever reads the CI log."""
    context = browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    if getattr(request.node, "e2e_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(context.pages, 1):
            # A page that cannot be captured (crashed, closed) must not hide the test's failure.
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node)}-failed-{n}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone(request, browser):
    """A deputy's phone: WeChat's in-app browser, 390x844 CSS pixels at 2x."""
    yield from _context(
        request,
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        user_agent=WECHAT_UA,
    )


@pytest.fixture
def desktop(request, browser):
    """A committee office computer."""
    yield from _context(
        request, browser, viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )


@pytest.fixture
def screenshot(request):
    """``screenshot(page)`` saves test-artifacts/e2e/<test name>.png; ``screenshot(page, "step")``
    saves test-artifacts/e2e/<test name>-step.png (several pages in one test)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = _artifact_name(request.node)

    def take(page, step: str | None = None) -> Path:
        path = ARTIFACTS / (f"{base}-{step}.png" if step else f"{base}.png")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
