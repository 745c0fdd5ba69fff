"""bench/pages: what every phone page weighs and how soon it is ready on a slow 3G network, in
Chromium (by hand, never by the tests).

    .venv/bin/python bench/pages/run.py [--debug] [--port N] [--only /m/]

1. The embedded default's shape in bench/results/pages/var (VAR_DIR): SQLite, migrated, the
   demo county loaded afresh each run (so no page cached by an earlier run is served) with a
   poll open to members and a questionnaire open to deputies (bench/pages/prepare.py), static
   files collected; gunicorn as
   ./scripts/run starts it, with DEBUG off (--debug: on), plain HTTP.
2. The pages: for each demo role of the phone surfaces (anonymous visitor → the public site;
   deputy and member → /m/; liaison → /unit/), every page reached by following links from the
   surface's home (tests/e2e/pages.py, the same pages the axe-core test checks).
3. Each page is opened cold (a new browser context: empty cache, the role's session cookie) in
   Debian's Chromium at 390×844 under Network.emulateNetworkConditions (400 ms latency,
   400 kbit/s each way, CDP). Transferred = the sum of every response's encodedDataLength
   (headers and compressed bodies); ready = the navigation's loadEventEnd (deferred scripts,
   the charts they draw, images and styles all done).
4. Prints one line a page and `target: … met / NOT MET` (every page ≤ 100 KB and ≤ 3 s).
"""

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
from tests.e2e.pages import crawl  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "pages"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PASSWORD = "Renda-2026!"  # congress.demo.DEMO_PASSWORD  # noqa: S105
ROLES = [(None, "/"), ("deputy", "/m/"), ("member", "/m/"), ("liaison", "/unit/")]
MAX_BYTES = 100 * 1024
MAX_READY_S = 3.0
LATENCY_MS = 400
KBIT_S = 400


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def django_env(args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings",
        VAR_DIR=str(RESULTS / "var"),
        DEBUG="true" if args.debug else "false",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{args.port}",
        LOG_FORMAT="console",
    )
    return env


def manage(env, *command) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=ROOT, env=env, check=True)


class Client:
    """A role's HTTP client (standard library, cookies kept), for logging in and crawling."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), urllib.request.HTTPRedirectHandler()
        )

    def fetch(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                if response.geturl() != self.base + path:  # redirected (a login page): not this page
                    return 302, "", ""
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, "", ""

    def login(self, username: str) -> None:
        _, _, text = self.fetch("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        ).encode()
        self.opener.open(urllib.request.Request(self.base + "/accounts/login/", data=data), timeout=30).read()  # noqa: S310
        if not any(c.name == "sessionid" for c in self.jar):
            raise SystemExit(f"could not log in as {username}")

    def cookies(self) -> list[dict]:
        return [{"name": c.name, "value": c.value, "domain": HOST, "path": "/"} for c in self.jar]


def measure(browser, url: str, cookies: list[dict]) -> tuple[int, float, int]:
    """(bytes transferred, seconds to loadEventEnd, requests) for one cold load of ``url``."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": KBIT_S * 1000 / 8,
            "uploadThroughput": KBIT_S * 1000 / 8,
        },
    )
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=120_000)
    ready = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    page.wait_for_timeout(200)  # the last loadingFinished events
    context.close()
    return int(sum(sizes.values())), ready, len(sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="DEBUG on (as the run command was)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--only", default="", help="measure only paths starting with this")
    args = parser.parse_args()
    args.port = args.port or free_port()
    env = django_env(args)
    if (RESULTS / "var").exists():
        subprocess.run(["rm", "-rf", str(RESULTS / "var")], check=True)
    (RESULTS / "var").mkdir(parents=True, exist_ok=True)
    log("migrating, loading the demo county, collecting static files")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    subprocess.run([str(BIN / "python"), str(HERE / "prepare.py")], cwd=ROOT, env=env, check=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "congress.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / "gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    base = f"http://{HOST}:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)
        pages: list[tuple[str, str, list[dict]]] = []
        for username, start in ROLES:
            client = Client(base)
            if username:
                client.login(username)
            found = crawl(client.fetch, start)
            log(f"{username or 'visitor'}: {len(found)} pages from {start}")
            pages += [(username or "visitor", path, client.cookies()) for path in found if path.startswith(args.only)]
        from playwright.sync_api import sync_playwright

        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for role, path, cookies in pages:
                size, ready, requests = measure(browser, base + path, cookies)
                ok = size <= MAX_BYTES and ready <= MAX_READY_S
                rows.append((role, path, size, ready, requests, ok))
                print(
                    f"{'  ' if ok else '✗ '}{role:8} {path:48} {size / 1024:7.1f} KB {ready:5.2f} s {requests:3} req",
                    flush=True,
                )
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    failing = [r for r in rows if not r[5]]
    heaviest = max(rows, key=lambda r: r[2])
    slowest = max(rows, key=lambda r: r[3])
    print(
        f"{len(rows)} pages; heaviest {heaviest[1]} ({heaviest[0]}) {heaviest[2] / 1024:.1f} KB; "
        f"slowest {slowest[1]} ({slowest[0]}) {slowest[3]:.2f} s"
    )
    print(
        f"target: every page cold ≤ {MAX_BYTES // 1024} KB and ready ≤ {MAX_READY_S:g} s on slow 3G "
        f"({LATENCY_MS} ms, {KBIT_S} kbit/s): {'met' if not failing else f'NOT MET ({len(failing)} pages)'}"
    )
    return 0 if not failing else 1


if __name__ == "__main__":
    sys.exit(main())
