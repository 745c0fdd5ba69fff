"""The scanner kept in the suite (issues 22 and 30), on the demo county loaded once for the
module: the access sweep (every URL pattern with real ids, as each demo role: no 5xx, and each
surface refuses the roles it is not for), then the fuzz (every form found and every list's
query parameters, with hostile values drawn by Hypothesis: no 5xx, and nothing written by a
refused request). ``SCANNER_EXAMPLES`` sets the examples per target (3), ``SCANNER_BUDGET``
the requests per role (150), ``SCANNER_SEED`` replays a run (30); ``bench/scanner/run.py`` runs it longer and prints figures."""

import time

import pytest
from django.db import transaction

from tests import scanner

pytestmark = pytest.mark.django_db

_timing = []
_seen: dict[str, list] = {}  # role -> [(page, outcome, targets)], shared by the sweep and the fuzz


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker):
    """The demo county, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            scanner.load_county()
            yield scanner.Ids()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            _seen.clear()


def _sweep(role: str, ids) -> list:
    if role not in _seen:
        client = scanner.client_for(role)
        rows = []
        for page in scanner.pages(ids):
            if page.name in scanner.NEVER_SENT:
                continue
            t0 = time.monotonic()
            outcome = scanner.send(client, "GET", page.url)
            _timing.append((time.monotonic() - t0, role, page.url, outcome.status))
            rows.append((page, outcome, scanner.targets(role, page, outcome.response)))
            outcome.response = None
        _seen[role] = rows
    return _seen[role]


@pytest.mark.parametrize("role", scanner.ROLES)
def test_every_url_as_each_demo_role_answers_without_a_5xx(role, ids):
    started = time.monotonic()
    rows = _sweep(role, ids)
    failures = [outcome.describe() for _page, outcome, _r in rows if outcome.status >= 500]
    assert not failures, "\n".join(failures)

    # Each surface refuses the roles it is not for.
    let_in = [
        f"{page.name} {page.url} → {outcome.status}"
        for page, outcome, _r in rows
        if page.surface in scanner.SURFACE_ROLES
        and role not in scanner.SURFACE_ROLES[page.surface]
        and page.name not in scanner.OPEN_ENTRANCES
        and 200 <= outcome.status < 300
    ]
    assert not let_in, f"{role} was let into pages not for them:\n" + "\n".join(let_in)
    # And lets in the roles it is for: their surface's home opens.
    homes = {"admin": "admin:index", "m": "m:home", "unit": "unit:home"}
    for surface, roles in scanner.SURFACE_ROLES.items():
        if role in roles:
            status = next(o.status for p, o, _r in rows if p.name == homes[surface])
            assert status == 200, (role, surface, status)
    slowest = max((row for row in _timing if row[1] == role), default=None)
    print(f"sweep {role}: {len(rows)} URLs in {time.monotonic() - started:.1f} s; slowest {slowest}")


@pytest.mark.parametrize("role", scanner.ROLES)
def test_every_form_and_query_as_each_demo_role_survives_hostile_values(role, ids):
    """No 5xx, and no write left by a refused request, for hostile values in every form found
    on the role's pages and in every page's query parameters."""
    started = time.monotonic()
    client = scanner.client_for(role)
    failures, sent, probed = [], 0, 0
    targets = scanner.in_budget_order([t for _page, _outcome, found in _sweep(role, ids) for t in found])
    for target in targets:
        if scanner.BUDGET and sent >= scanner.BUDGET:
            break
        sent += scanner.probe(target, client, ids, scanner.EXAMPLES, failures)
        probed += 1
    note = scanner.replay_note(scanner.EXAMPLES)
    print(
        f"fuzz {role}: {probed} of {len(targets)} targets, {sent} requests in {time.monotonic() - started:.1f} s; {note}"
    )
    assert not failures, f"{note}\n" + "\n".join(failures[:40])


def test_records_of_others_are_refused_to_each_role(ids):
    """Within a surface, each role sees only its own: a deputy another deputy's suggestion, a
    liaison another unit's suggestion or rectification, a view-only leader no add or delete
    page, and nobody the back office's pages without a back-office role."""
    from congress.models import Deputy

    refused = []

    def expect_refused(role, url):
        outcome = scanner.send(scanner.client_for(role), "GET", url)
        if not (outcome.status in (403, 404) or (outcome.status == 302 and "login" in outcome.response["Location"])):
            refused.append(f"{role} {url} → {outcome.status}")

    expect_refused("deputy", f"/m/suggestions/{ids.other_suggestion}/")
    expect_refused("member", f"/m/suggestions/{ids.other_suggestion}/")
    if ids.foreign_suggestion:
        expect_refused("liaison", f"/unit/suggestions/{ids.foreign_suggestion}/")
    if ids.foreign_rectification:
        expect_refused("liaison", f"/unit/rectification/{ids.foreign_rectification}/")
    deputy = Deputy.objects.order_by("pk").first()
    for url in ("/admin/congress/deputy/add/", f"/admin/congress/deputy/{deputy.pk}/delete/", "/admin/auth/group/"):
        expect_refused("leader", url)
    for role in ("anonymous", "deputy", "member", "liaison"):
        expect_refused(role, f"/admin/congress/deputy/{deputy.pk}/change/")
    assert not refused, "\n".join(refused)
