"""A scanner of the whole site, the way wapiti and sqlmap went over it (issue 30), kept in the
suite: every URL pattern resolved with real ids of the demo county, opened as each demo role;
then every form found on those pages posted, and every list's query parameters sent, with
hostile values drawn by Hypothesis.

What it holds to:
- no answer is a 5xx;
- a refused request (4xx, or a form re-shown with its errors) leaves no write behind;
- pages of a surface refuse the roles that surface is not for.

Used by tests/test_access_sweep.py (the sweep: each URL as each role) and tests/test_scanner.py
(the fuzz, bounded by ``SCANNER_EXAMPLES`` per target; ``SCANNER_SEED`` replays a run); a
longer run with figures: ``bench/scanner/run.py``.
"""

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.admin.sites import site as admin_site
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from congress import demo
from congress.models import Meeting, Notice, Poll, Unit, User
from congress.permissions import screen_token
from congress.services import accounts
from tests.forms import PageForm, forms_of

ROLES = ["anonymous", "deputy", "member", "liaison", "staff", "leader", "admin"]
SEED = int(os.environ.get("SCANNER_SEED", "30"))
EXAMPLES = int(os.environ.get("SCANNER_EXAMPLES", "3"))
# Requests per role at most (0: no bound). The suite's run stays within minutes; the targets
# beyond the budget are left for another seed or for bench/scanner/run.py, which has none.
BUDGET = int(os.environ.get("SCANNER_BUDGET", "150"))

# Who each surface is for; everyone else is refused (a redirect to a login page, 403 or 404).
SURFACE_ROLES = {
    "admin": {"staff", "leader", "admin"},
    "m": {"deputy", "member", "leader"},
    "unit": {"liaison"},
}
# Entrances of a surface open to anybody: logging in, a voting code, a personal link.
OPEN_ENTRANCES = {
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "m:code_entry",
    "m:code_login",
    "m:polls",
    "deputy_link_login",
}

# Writes a refused request may still leave: the session, and the login lockout's records.
WRITE_ALLOWED_TABLES = re.compile(r"^(django_session|axes_\w+)$")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I)


# --- the county and its logins -----------------------------------------------------------------


def load_county() -> None:
    """The demo county, with a questionnaire for deputies and one for the public (the demo has
    none) so that their pages and forms are scanned too."""
    from surveys.models import Survey
    from tests.surveys.factories import topic_survey

    assert demo.load_demo() is True
    demo.load_extensions()
    topic_survey(audience=Survey.Audience.DEPUTIES)
    topic_survey(audience=Survey.Audience.PUBLIC, title="2026年度县政府组成部门满意度测评（社会公众）")


def client_for(role: str) -> Client:
    client = Client(raise_request_exception=False)
    fresh_session(client, role)
    return client


def fresh_session(client: Client, role: str) -> None:
    """A new session for the role, as each probe starts: each request's writes are rolled back,
    its session's included, so a session a request changed (a login, a logout) must not be
    carried into the next one."""
    client.cookies.clear()
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))


# --- every URL, with real ids --------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name, with its namespace
    url: str
    surface: str  # admin, m, unit or public


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            yield (f"{namespace}:{p.name}".strip(":") if p.name else ""), p


def surface_of(url: str) -> str:
    for surface in ("admin", "m", "unit"):
        if url.startswith(f"/{surface}/"):
            return surface
    return "public"


class Ids:
    """Real ids of the demo county, chosen once: the demo deputy's own suggestion, the
    liaison's unit's records, another unit's records (for the refusals)."""

    def __init__(self):
        from evaluations.models import Opinion, Rectification, Submission
        from media_publish.models import Publication
        from oversight.models import Commitment, Deliberation
        from suggestions.models import Assignment, Suggestion, YearStatistics
        from surveys.models import Survey

        deputy = User.objects.get(username="deputy").deputy
        liaison = User.objects.get(username="liaison")
        self.unit = liaison.unit
        self.other_unit = Unit.objects.exclude(pk=self.unit.pk).order_by("pk").first()
        own = Suggestion.objects.filter(lead_deputy=deputy).order_by("pk").first()
        self.suggestion = (own or Suggestion.objects.order_by("pk").first()).pk
        self.other_suggestion = Suggestion.objects.exclude(lead_deputy=deputy).order_by("pk").first().pk
        assigned = Assignment.objects.filter(unit=self.unit).order_by("pk").first()
        self.unit_suggestion = assigned.suggestion_id if assigned else self.suggestion
        foreign = Assignment.objects.exclude(suggestion__assignments__unit=self.unit).order_by("pk").first()
        self.foreign_suggestion = foreign.suggestion_id if foreign else None
        rect = Rectification.objects.filter(unit=self.unit).order_by("pk").first() or Rectification.objects.first()
        self.rectification = rect.pk
        self.opinion = Opinion.objects.filter(rectification=rect).order_by("pk").values_list("pk", flat=True).first()
        self.foreign_rectification = (
            Rectification.objects.exclude(unit=self.unit).order_by("pk").values_list("pk", flat=True).first()
        )
        self.submission = Submission.objects.order_by("pk").values_list("pk", flat=True).first() or 1
        commitment = Commitment.objects.filter(unit=self.unit).order_by("pk").first() or Commitment.objects.first()
        self.commitment = commitment.pk
        self.deliberation = Deliberation.objects.order_by("pk").values_list("pk", flat=True).first() or 1
        publication = Publication.objects.exclude(published_at=None).order_by("pk").first()
        self.publication = (publication.column_id, publication.pk)
        self.meeting = Meeting.objects.order_by("pk").first().pk
        self.poll = Poll.objects.order_by("pk").first().pk
        self.notice = Notice.objects.order_by("pk").first().pk
        self.deputy_token = accounts.login_token(deputy)
        surveys = {s.audience: s for s in Survey.objects.order_by("pk")}
        self.deputy_survey = surveys[Survey.Audience.DEPUTIES].pk
        self.public_code = surveys[Survey.Audience.PUBLIC].code
        self.year = YearStatistics.objects.order_by("-year").values_list("year", flat=True).first() or 2026

    def every_id(self) -> list[int]:
        """Ids of many kinds, for the fuzz: other units', other deputies', and nobody's."""
        values = [self.other_unit.pk, self.unit.pk, self.other_suggestion, self.suggestion, self.rectification]
        values += [self.foreign_rectification or 0, self.commitment, self.meeting, self.poll, self.notice]
        return sorted(set(values))


# Arguments of the site's own (non-admin) URLs.
def _site_kwargs(name: str, ids: Ids) -> dict | None:
    table = {
        "deputy_link_login": {"token": ids.deputy_token},
        # A liaison's first-login link from a slip: one for nobody (its valid use is in
        # tests/congress/test_unit_liaisons.py).
        "first_login": {"uidb64": "MTIzNDU2", "token": "cz7k2m-0a1b2c3d4e5f6a7b8c9d"},
        "files:download": {"name": "suggestions/replies/no-such-letter.pdf"},
        "m:notice_read": {"pk": ids.notice},
        "unit:notice_read": {"pk": ids.notice},
        "m:ballot": {"pk": ids.poll},
        "m:ballot_received": {"pk": ids.poll},
        "m:code_login": {"code": "QH7K2M"},
        "screen:meeting": {"meeting_id": ids.meeting, "token": screen_token(ids.meeting)},
        "screen:state": {"meeting_id": ids.meeting, "token": screen_token(ids.meeting)},
        "surveys:answer": {"pk": ids.deputy_survey},
        "surveys:public_answer": {"code": ids.public_code},
        "surveys:public_thanks": {"code": ids.public_code},
        "surveys:public_qr": {"code": ids.public_code},
        "suggestions:unit_detail": {"pk": ids.unit_suggestion},
        "suggestions:unit_action": {"pk": ids.unit_suggestion, "name": "sign"},
        "suggestions:public_statistics_year": {"year": ids.year},
        "evaluations:unit_rectification": {"pk": ids.rectification},
        "evaluations:unit_submit_plan": {"pk": ids.rectification},
        "evaluations:unit_submit_report": {"pk": ids.rectification},
        "evaluations:unit_mark_done": {"pk": ids.rectification, "opinion_pk": ids.opinion or 1},
        "oversight:unit_board": {"unit_pk": ids.unit.pk},
        "oversight:deliberation": {"pk": ids.deliberation},
        "oversight:unit_report_progress": {"pk": ids.commitment},
        "public:column": {"pk": ids.publication[0]},
        "public:publication": {"column": ids.publication[0], "pk": ids.publication[1]},
        "public:publication_file": {"column": ids.publication[0], "pk": ids.publication[1], "name": "file.pdf"},
    }
    if name.startswith("suggestions:m_") and name not in ("suggestions:m_list", "suggestions:m_new"):
        return {"pk": ids.suggestion}
    return table.get(name)


# Values of the admin's own action segments: one the view knows.
_ADMIN_SEGMENTS = {
    "action": {
        "admin:congress_poll_control": "open",
        "admin:surveys_survey_control": "open",
        "admin:evaluations_campaign_step": "harvest",
        "admin:evaluations_inquirymotion_step": "answer",
        "admin:suggestions_suggestion_workflow": "accept",
    },
    "step": {"admin:oversight_specialinquiry_step": "question", "admin:oversight_deliberation_step": "add"},
    "kind": {
        "admin:roster_import": "deputies",
        "admin:roster_export": "deputies",
        "admin:congress_documenttemplate_default": "evaluation_report",
        "admin:congress_documenttemplate_restore": "evaluation_report",
        "admin:congress_issueddocument_issue": "evaluation_report",
        "admin:congress_issueddocument_preview": "evaluation_report",
    },
}
# A document's record: the kind above is the campaign's results report.
_DOCUMENT_RECORD_URLS = ("admin:congress_issueddocument_issue", "admin:congress_issueddocument_preview")


def _admin_kwargs(name: str, params: list[str], ids: Ids) -> dict | None:
    kwargs = {}
    model = None
    registry = {f"admin:{m._meta.app_label}_{m._meta.model_name}_": m for m in admin_site._registry}
    for prefix, candidate in registry.items():
        if name.startswith(prefix):
            model = candidate
    if name == "admin:auth_user_password_change":  # Django's UserAdmin names it so
        model = User
    if name in ("admin:roster_preview", "admin:roster_marked"):
        from congress.models import RosterUpload

        model = RosterUpload
    if name == "admin:view_on_site":
        deputy = User.objects.get(username="deputy").deputy
        return {"content_type_id": ContentType.objects.get_for_model(deputy).pk, "object_id": deputy.pk}
    if name in _DOCUMENT_RECORD_URLS:
        from evaluations.models import Campaign

        model = Campaign
    for param in params:
        if param in ("object_id", "pk", "id"):
            if model is None:
                return None
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            kwargs[param] = pk if pk is not None else 999999
        elif param in _ADMIN_SEGMENTS and name in _ADMIN_SEGMENTS[param]:
            kwargs[param] = _ADMIN_SEGMENTS[param][name]
        elif param == "submission":
            kwargs[param] = ids.submission
        elif param == "unit":
            kwargs[param] = ids.unit.pk
        elif param == "year":
            kwargs[param] = 2026
        elif param == "app_label":
            kwargs[param] = "congress"
        else:
            return None
    return kwargs


def pages(ids: Ids) -> list[Page]:
    """One concrete URL for every URL pattern of the site."""
    found = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name:  # the site root's favicon and the admin's catch-all
            url = "/favicon.ico" if "favicon" in str(pattern.pattern) else "/admin/no-such-page/"
            found.append(Page(name or url, url, surface_of(url)))
            continue
        params = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
        if name.startswith("admin:"):
            kwargs = _admin_kwargs(name, params, ids) if params else {}
        else:
            kwargs = _site_kwargs(name, ids) if params else {}
        if kwargs is None:
            raise AssertionError(f"the scanner does not know what to put in {name} ({params}): add it to scanner.py")
        url = reverse(name, kwargs=kwargs)
        if name == "admin:surveys_survey_links":
            # The sheet of every deputy's QR code (803 of them, most of a minute to draw):
            # one group's sheet, the same view.
            from congress.models import DeputyGroup

            url += f"?group={DeputyGroup.objects.order_by('pk').values_list('pk', flat=True).first()}"
        found.append(Page(name, url, surface_of(url)))
    return found


# --- a request, watched ---------------------------------------------------------------------------


@dataclass
class Outcome:
    method: str
    url: str
    status: int
    data: dict = field(default_factory=dict)
    error: str = ""  # the exception of a 5xx
    writes: list[str] = field(default_factory=list)  # tables written and kept
    response: object = field(default=None, repr=False)

    @property
    def refused(self) -> bool:
        return self.status >= 400

    def describe(self) -> str:
        data = {k: (v if len(repr(v)) < 200 else repr(v)[:200] + "…") for k, v in self.data.items()}
        return f"{self.method} {self.url} {data} → {self.status} {self.error} {self.writes or ''}".strip()


class WriteWatch:
    """The tables a request wrote to and did not roll back (savepoints followed)."""

    def __init__(self):
        self.writes: list[str] = []
        self._marks: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        text = sql if isinstance(sql, str) else str(sql)
        if match := _SAVEPOINT.match(text):
            verb, name = match.group(1).upper(), match.group(2)
            if verb == "SAVEPOINT":
                self._marks[name] = len(self.writes)
            elif verb.startswith("ROLLBACK") and name in self._marks:
                del self.writes[self._marks[name] :]
        elif match := _WRITE.match(text):
            self.writes.append(match.group(1))
        return execute(sql, params, many, context)


def send(client: Client, method: str, url: str, data: dict | None = None, *, keep: bool = False) -> Outcome:
    """One request; what it wrote is rolled back afterwards unless ``keep``."""
    data = data or {}
    watch = WriteWatch()
    with transaction.atomic():
        with connection.execute_wrapper(watch):
            if method == "GET":
                response = client.get(url, data)
            else:
                response = client.generic(method, url, _encode(data), content_type="application/x-www-form-urlencoded")
        if not keep:
            transaction.set_rollback(True)
    outcome = Outcome(method, url, response.status_code, data, response=response)
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        outcome.error = f"{exc[0].__name__}: {exc[1]}" if exc else response.content[:300].decode(errors="replace")
    kept = [table for table in watch.writes if not WRITE_ALLOWED_TABLES.match(table)]
    re_shown = method == "POST" and response.status_code == 200 and _shows_errors(response)
    if (outcome.refused or re_shown) and kept:
        outcome.writes = sorted(set(kept))
    return outcome


def _encode(data: dict) -> str:
    pairs = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, value))
    return urlencode(pairs)


def _shows_errors(response) -> bool:
    body = response.content
    return b"errorlist" in body or b"errornote" in body


# --- hostile values -------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00",
    "1\x00",
    "\x0b",
    "\x1f\x7f",
    "abc",
    "-1",
    "0",
    "2147483648",
    "-9223372036854775809",
    "99999999999999999999999999",
    "1e9",
    "1.5",
    "NaN",
    "inf",
    "１２",
    "٣",
    "0x10",
    "2026-02-30",
    "2026-13-01",
    "9999-12-31 25:61",
    "0000-00-00",
    "00000000-0000-0000-0000-000000000000",
    "' OR '1'='1",
    "1; DROP TABLE congress_deputy; --",
    "1' AND SLEEP(5)--",
    "<script>alert('人大')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "../../../../etc/passwd",
    "%00%0d%0aSet-Cookie:x=1",
    "javascript:alert(1)",
    "//evil.example.com/",
    "https://evil.example.com/",
    "\u202e县教育局",
    "😀🇨🇳",
    "[]",
    '{"code": 1}',
    "null",
    "true",
    "县人大常委会" * 2000,
    "x" * 70000,
]


def values(ids: Ids, valid: list[str]) -> st.SearchStrategy:
    """A value for one field: one it had, or a hostile one."""
    hostile = st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(ids.every_id()).map(str),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    )
    if valid:
        return st.one_of(st.sampled_from(valid), hostile)
    return hostile


def form_data(draw, ids: Ids, form: PageForm) -> dict:
    """The form as the page had it, with hostile values in some fields, some repeated, some
    missing, and a stray one."""
    data = form.data()
    for name in dict.fromkeys(form.names):
        if name == "csrfmiddlewaretoken":
            continue
        choice = draw(st.sampled_from(["keep", "keep", "hostile", "hostile", "repeat", "drop"]))
        valid = data.get(name, []) + form.options.get(name, [])
        if choice == "hostile":
            data[name] = [draw(values(ids, valid))]
        elif choice == "repeat":
            data[name] = [draw(values(ids, valid)), draw(values(ids, valid))]
        elif choice == "drop":
            data.pop(name, None)
    for name, value in form.submits:
        if draw(st.booleans()):
            data[name] = [value]
    if draw(st.booleans()):
        data[draw(st.sampled_from(["pk", "id", "next", "_popup", "_to_field", "page", "q", "o", "e"]))] = [
            draw(values(ids, []))
        ]
    return data


# --- what to scan on each page ------------------------------------------------------------------

# The admin's pages of one record (add, change, delete, history) are the same code for every
# model: their query parameters and delete confirmations are probed on these models only; the
# add and change forms of every model are probed.
SAMPLED_MODELS = ("deputy", "meeting", "suggestion", "rectification", "campaign", "logentry")
_RECORD_PAGE = re.compile(r"^admin:\w+?_(\w+)_(add|change|delete|history)$")


# Sheets of QR codes draw one per deputy (the survey's sheet: 803, most of a minute): swept,
# not probed, or a bad ``group`` would draw the whole county's sheet each time.
NOT_PROBED = {"admin:surveys_survey_links", "admin:congress_deputygroup_qr"}


def _sampled(page: Page) -> bool:
    if page.name in NOT_PROBED:
        return False
    match = _RECORD_PAGE.match(page.name)
    return match is None or match.group(1).split("_")[-1] in SAMPLED_MODELS


COMMON_PARAMS = ["q", "p", "o", "page", "year", "next", "show", "format", "group", "e", "_to_field", "_popup"]
NEVER_SENT = {"logout", "admin:logout"}  # a scanner logged out scans nothing more


@dataclass
class Target:
    """Something to probe: a form to post (or get), or a page's query parameters."""

    role: str
    kind: str  # "form" or "query"
    url: str
    form: PageForm | None = None
    params: dict[str, list[str]] = field(default_factory=dict)  # name → values seen on the page
    opened: bool = True  # the page opened (200) for this role; a refused one is probed once

    @property
    def key(self) -> str:
        if self.form is not None:
            return f"{self.role} form {self.form.method} {'|'.join(map(str, self.form.key))}"
        return f"{self.role} query {urlsplit(self.url).path} {','.join(sorted(self.params))}"


def targets(role: str, page: Page, response) -> list[Target]:
    """The forms on a page and its query parameters (from its links, its GET forms and the
    usual names), for the fuzz."""
    if page.name in NEVER_SENT:
        return []
    found = []
    content_type = response.get("Content-Type", "")
    html = response.content if response.status_code == 200 and "html" in content_type else b""
    forms = forms_of(html, page.url)
    for form in forms:
        if urlsplit(form.action).path in (reverse("logout"), reverse("admin:logout")):
            continue
        if form.method == "post" and (_sampled(page) or not page.name.endswith("_delete")):
            found.append(Target(role, "form", form.action, form=form))
    params: dict[str, list[str]] = {name: [] for name in COMMON_PARAMS}
    path = urlsplit(page.url).path
    for href in re.findall(rb'href="([^"]+)"', html):
        parts = urlsplit(href.decode(errors="replace").replace("&amp;", "&"))
        if parts.path in ("", path) and parts.query:
            for name, value in parse_qsl(parts.query, keep_blank_values=True):
                params.setdefault(name, []).append(value)
    for form in forms:
        if form.method == "get" and urlsplit(form.action).path == path:
            for name in form.names:
                params.setdefault(name, []).extend(form.data().get(name, []) + form.options.get(name, []))
    if not _sampled(page):
        return found
    params = {k: sorted(set(v))[:20] for k, v in params.items()}
    found.append(Target(role, "query", page.url, params=params, opened=response.status_code == 200))
    return found


def probe(target: Target, client: Client, ids: Ids, examples: int, failures: list[str]) -> int:
    """Send ``examples`` hostile requests to a target, drawn with a seed of its own (from
    ``SEED`` and the target), and note every 5xx and every write a refused request kept.
    Returns the number of requests sent."""
    sent = 0

    @settings(
        max_examples=examples if target.opened else 1,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(zlib.crc32(f"{SEED}:{target.key}".encode()))
    @given(st.data())
    def run(data):
        nonlocal sent
        fresh_session(client, target.role)
        if target.kind == "form":
            body = form_data(data.draw, ids, target.form)
            method = data.draw(st.sampled_from(["POST", "POST", "POST", "PUT", "GET"]))
            outcome = send(client, method, target.url, body)
        else:
            names = data.draw(st.lists(st.sampled_from(sorted(target.params)), min_size=1, max_size=4, unique=True))
            query = {}
            for name in names:
                valid = target.params[name]
                count = data.draw(st.integers(min_value=1, max_value=2))
                query[name] = [data.draw(values(ids, valid)) for _ in range(count)]
            method = data.draw(st.sampled_from(["GET", "GET", "GET", "POST", "DELETE"]))
            outcome = send(client, method, target.url, query)
        sent += 1
        if outcome.status >= 500 or outcome.writes:
            failures.append(f"[{target.key}] {outcome.describe()}")

    run()
    return sent


def in_budget_order(found: list[Target]) -> list[Target]:
    """The targets without repeats, forms first, each kind in an order drawn from ``SEED``: a
    budget that cannot reach them all reaches a different share with another seed."""
    import random

    unique = list({t.key: t for t in found}.values())
    rng = random.Random(SEED)
    forms = [t for t in unique if t.kind == "form"]
    queries = [t for t in unique if t.kind != "form"]
    rng.shuffle(forms)
    rng.shuffle(queries)
    return forms + queries


def replay_note(examples: int) -> str:
    return (
        f"scanner seed={SEED} examples={examples} per target budget={BUDGET or 'none'} requests per role "
        f"(replay: SCANNER_SEED={SEED} SCANNER_EXAMPLES={examples} SCANNER_BUDGET={BUDGET}; "
        "longer: bench/scanner/run.py)"
    )
