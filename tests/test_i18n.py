"""The interface is Chinese: every msgid in the code has a zh_Hans translation."""

import ast
import json
import re
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_DIRS = ["congress", "surveys", "evaluations", "suggestions", "oversight", "media_publish", "templates"]
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}


def _python_msgids(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES or not node.args:
            continue
        args = node.args[1:] if name.startswith("pgettext") else node.args
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            yield args[0].value


def _template_msgids(path: Path):
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    yield from _python_msgids_from_source(code)


def _python_msgids_from_source(code: str):
    # templatize() writes gettext(...) calls; the rest of its output is not valid Python.
    for match in re.finditer(r"\b(?:n|p)?gettext\((.*?)\)(?= |\n|$)", code, re.S):
        try:
            node = ast.parse(f"f({match.group(1)})").body[0].value
        except SyntaxError:
            continue
        args = node.args
        if match.group(0).startswith("pgettext"):
            args = args[1:]
        if args and isinstance(args[0], ast.Constant):
            yield args[0].value


def collect_msgids() -> dict[str, str]:
    found = {}
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if "migrations" in path.parts:
                continue
            if path.suffix == ".py":
                ids = _python_msgids(path)
            elif path.suffix in (".html", ".txt"):
                ids = _template_msgids(path)
            else:
                continue
            for msgid in ids:
                found.setdefault(msgid, str(path.relative_to(ROOT)))
    return found


def test_every_msgid_has_a_chinese_translation():
    catalogue = {e.msgid: e for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = []
    for msgid, where in collect_msgids().items():
        entry = catalogue.get(msgid)
        if entry is None or not (entry.msgstr or entry.msgstr_plural.get(0)) or "fuzzy" in entry.flags:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "untranslated (run manage.py makemessages -l zh_Hans and translate):\n" + "\n".join(missing)


def test_compiled_catalogue_matches_the_po_file():
    po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if e.translated() and not e.msgid_plural}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO)) if not e.msgid_plural}
    stale = {k for k, v in po.items() if mo.get(k) != v}
    assert not stale, f"{len(stale)} entries differ from the .mo; run manage.py compilemessages"


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [("Deputy", "人大代表"), ("My notices", "我的通知"), ("Unit portal", "承办单位工作平台")],
)
def test_interface_speaks_chinese(msgid, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected


@pytest.mark.django_db
def test_the_back_office_scripts_speak_chinese_where_django_does_not_yet(client):
    """Django 6's admin warns in JavaScript when a browser's clock is in another time zone than
    the server's; its own zh_Hans catalogue has no translation of that note yet, so a staff
    laptop set to the wrong zone showed it in English. The project's djangojs catalogue fills it
    in, and every message of Django's admin scripts is translated."""
    admin_js = Path(admin.__file__).parent / "static" / "admin" / "js"
    client.force_login(UserFactory(username="staff1", roles=["staff"]))
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S).group(1))
    for source in admin_js.rglob("*.js"):
        for msgid in re.findall(r'\b(?:gettext|ngettext)\(\s*"([^"]+)"(?:\s*\+\s*"([^"]+)")?', source.read_text()):
            text = "".join(msgid)
            assert text in catalog, f"{source.name}: {text!r} has no Chinese"
    note = catalog["Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)"]
    assert note == ["注意：请按 %(timezone)s 时区输入时间（您的电脑时间比它慢 %(offset)s 小时）。"]


DJANGO_ROOT = Path(django.__file__).parent
PACKAGES = ROOT / "locale" / "packages" / "zh_Hans" / "LC_MESSAGES"
# What our users meet of other people's strings: Django's core, admin and auth, the audit trail
# (django-auditlog) and login security (django-axes).
CHECKED_APPS = ("admin", "auth", "contenttypes", "sessions", "auditlog", "axes")


def _translated(path: Path) -> set[tuple[str | None, str]]:
    if not path.exists():
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.translated() and not e.obsolete}


def _source_catalogue(locale_dir: Path, domain: str) -> Path | None:
    """The package's English catalogue, or any of its catalogues when it ships no English one
    (the msgids are the same in each)."""
    english = locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po"
    return english if english.exists() else next(iter(sorted(locale_dir.glob(f"*/LC_MESSAGES/{domain}.po"))), None)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_packages_strings_speak_chinese_too(domain):
    """Django's catalogues leave some of its own strings untranslated (new in 6.x, such as the
    blank choice of every select), and auditlog and axes ship no Chinese; locale/packages/ fills
    them in. A msgid counts as translated when any catalogue in use translates it (gettext merges
    them all). After an upgrade this names the strings to add there."""
    locale_dirs = [DJANGO_ROOT / "conf" / "locale"] + [
        Path(config.path) / "locale" for config in apps.get_app_configs() if (Path(config.path) / "locale").is_dir()
    ]
    chinese = _translated(PACKAGES / f"{domain}.po") | _translated(PO.with_name(f"{domain}.po"))
    for locale_dir in locale_dirs:
        chinese |= _translated(locale_dir / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po")
    missing = []
    for locale_dir in locale_dirs:
        checked = locale_dir.parent.name in CHECKED_APPS or locale_dir.parent == DJANGO_ROOT / "conf"
        source = _source_catalogue(locale_dir, domain) if checked else None
        if source is None:
            continue
        missing += [
            f"{locale_dir.parent.name}: {e.msgid!r}"
            for e in polib.pofile(str(source))
            if e.msgid and not e.obsolete and (e.msgctxt, e.msgid) not in chinese
        ]
    if domain == "django":  # a package's code can be newer than its catalogues
        for config in apps.get_app_configs():
            if config.name in ("auditlog", "axes"):
                for source in sorted(Path(config.path).rglob("*.py")):
                    if "migrations" in source.parts or "tests" in source.parts:
                        continue
                    missing += [
                        f"{config.label} ({source.name}): {msgid!r}"
                        for msgid in _python_msgids(source)
                        if (None, msgid) not in chinese
                    ]
    assert not missing, f"add to locale/packages/zh_Hans/LC_MESSAGES/{domain}.po:\n" + "\n".join(missing)


def test_the_audit_trail_speaks_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Resource Type") == "对象类型"
        assert translation.gettext("No log entries found.") == "没有日志记录。"


@pytest.mark.django_db
def test_the_blank_choice_of_a_select_is_chinese(client):
    """Django 6.1 shows "- Select an option -" atop every select left blank (its catalogue has no
    Chinese for it): in the back office as in the deputies' and units' forms."""
    client.force_login(UserFactory(username="staff1", roles=["staff"]))
    page = client.get(reverse("admin:congress_meeting_add"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="" selected>- 请选择 -</option>' in page
    assert "Select an option" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "ja-JP", "zh-TW,zh;q=0.8"])
def test_every_browser_gets_the_chinese_interface(client, accept):
    """Staff on an English Windows, a deputy's phone set to English: the system speaks Chinese
    to all of them (it had followed the browser into the untranslated English source strings)."""
    for url in (reverse("public:home"), reverse("login"), reverse("admin:login")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert '<html lang="zh-hans"' in page, url
    page = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "用户名" in page and "Username" not in page
