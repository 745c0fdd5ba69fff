"""Every page of the phone surfaces, found by following links: the deputy pages (/m/), the unit
portal (/unit/) and the public site (everything else a visitor reaches). Used by the axe-core
test (tests/e2e/test_accessibility.py) and the page-weight bench (bench/pages/run.py), so both
see the same pages.

``crawl(fetch, start)`` starts at ``start`` and follows the links and GET forms' addresses each
page holds, staying on the start's surface, one address per path (the first query string seen),
and keeps the pages that answer 200 with HTML. ``fetch(path)`` returns (status, content type,
text) for a path, as the caller's client sees it (logged in or not).

``office_pages(fetch)`` does the same on the back office (/admin/), one page per kind of page
rather than per path: each model's list, its add form and one of its records, and every page of
the office's own (set-up, rosters, panels, ledgers), each once, whatever record it is about.
"""

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Addresses that are not pages of a surface: the back office, the hall screen, downloads,
# logins and machine endpoints; a publication's files (/column/<c>/<p>/<name>/) and QR images.
NOT_PAGES = re.compile(
    r"^/(admin|screen|files|accounts|healthz|metrics|static|media|favicon\.ico)(/|$)"
    r"|^/column/\d+/\d+/[^/]+/$|\.(svg|png|xlsx|pdf|docx|mp4)$|/export"
)
SURFACES = {"m": "/m/", "unit": "/unit/", "public": "/"}


def surface_of(path: str) -> str | None:
    """The surface a path belongs to, or None when it is none of the phone surfaces."""
    if NOT_PAGES.search(path):
        return None
    for name in ("m", "unit"):
        if path.startswith(SURFACES[name]):
            return name
    return "public"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.hrefs.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.hrefs.append(attrs["action"])


def crawl(
    fetch: Callable[[str], tuple[int, str, str]],
    start: str,
    limit: int = 60,
    *,
    within: Callable[[str], bool] | None = None,
    kind: Callable[[str], str] = str,
) -> list[str]:
    """The paths (with their query string) of the pages on ``start``'s surface (or those
    ``within`` accepts), in the order found, one page of each ``kind`` (by default, of each path)."""
    if within is None:
        surface = surface_of(urlsplit(start).path)

        def within(path):
            return surface_of(path) == surface

    queue, seen_paths, pages = [start], set(), []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = kind(urlsplit(url).path)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        status, content_type, text = fetch(url)
        if status != 200 or not content_type.startswith("text/html"):
            continue
        pages.append(url)
        parser = _Links()
        parser.feed(text)
        for href in parser.hrefs:
            parts = urlsplit(urljoin("http://host" + url, href))
            if parts.netloc != "host" or parts.scheme not in ("http", "https"):
                continue
            if within(parts.path) and kind(parts.path) not in seen_paths:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


# Back-office addresses that are not pages: files made for download (exports, marked-up
# workbooks, printable sheets' data), the logout, Django's catalogue and autocomplete answers.
NOT_OFFICE_PAGES = re.compile(r"/(export|marked|logout|jsi18n|autocomplete|r)/|\.(svg|png|xlsx|pdf|docx|zip)$")


def office_kind(path: str) -> str:
    """What kind of back-office page a path is: its records' ids left out, and every record's
    history and every delete confirmation one kind each (Django's own two pages)."""
    kind = re.sub(r"/\d+(?=/)", "/<id>", path)
    return re.sub(r"^/admin/.*/(history|delete)/$", r"/admin/*/\1/", kind)


def office_pages(fetch: Callable[[str], tuple[int, str, str]], start: str = "/admin/", limit: int = 400) -> list[str]:
    """One page of each kind of the back office a login reaches, from its home."""

    def within(path):
        return path.startswith("/admin/") and not NOT_OFFICE_PAGES.search(path)

    return crawl(fetch, start, limit, within=within, kind=office_kind)
