"""Reading a page's forms as a browser would: their address, method and the values a browser
would send as the page stands (text as filled, the checked boxes, the selected options)."""

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html


@dataclass
class PageForm:
    """One <form> of a page: where it goes, how, and its fields in order."""

    action: str  # a path with its query string, on this site
    method: str  # "get" or "post"
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value) a browser would send
    names: list[str] = field(default_factory=list)  # every field name, sent or not (unchecked boxes)
    options: dict[str, list[str]] = field(default_factory=dict)  # a select's or radio group's values
    files: list[str] = field(default_factory=list)  # names of file inputs
    submits: list[tuple[str, str]] = field(default_factory=list)  # named buttons

    def data(self) -> dict[str, list[str]]:
        """The values as a test client sends them: name → list of values."""
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out

    @property
    def key(self) -> tuple:
        return (urlsplit(self.action).path, self.method, tuple(sorted(set(self.names))))


def forms_of(html: str | bytes, page_url: str) -> list[PageForm]:
    """Every form on a page whose action stays on this site."""
    if not html:
        return []
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for node in tree.iter("form"):
        action = urljoin(page_url, node.get("action") or page_url)
        parts = urlsplit(action)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        form = PageForm(
            action=parts.path + (f"?{parts.query}" if parts.query else ""), method=(node.get("method") or "get").lower()
        )
        for element in node.iter("input", "select", "textarea", "button"):
            name = element.get("name")
            if not name:
                continue
            tag = element.tag
            kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
            if tag == "button" or kind in ("submit", "image"):
                form.submits.append((name, element.get("value") or ""))
                continue
            if kind in ("reset", "button"):
                continue
            form.names.append(name)
            if kind == "file":
                form.files.append(name)
            elif tag == "select":
                values = [
                    o.get("value") if o.get("value") is not None else (o.text or "") for o in element.iter("option")
                ]
                form.options.setdefault(name, []).extend(values)
                chosen = [
                    o.get("value") if o.get("value") is not None else (o.text or "")
                    for o in element.iter("option")
                    if o.get("selected") is not None
                ]
                if not chosen and values and element.get("multiple") is None:
                    chosen = values[:1]
                form.fields.extend((name, value) for value in chosen)
            elif tag == "textarea":
                form.fields.append((name, element.text or ""))
            elif kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(element.get("value") or "on")
                if element.get("checked") is not None:
                    form.fields.append((name, element.get("value") or "on"))
            else:
                form.fields.append((name, element.get("value") or ""))
        found.append(form)
    return found
