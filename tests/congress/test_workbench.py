"""The staff's workbench on the back office's home: each tile's count is the number of rows of
the list it opens (one selector for both), in the demo county."""

import re

import lxml.html
import pytest

from congress import surfaces
from congress.models import User
from tests.congress.test_one_truth import county  # noqa: F401  (the demo county fixture)

pytestmark = pytest.mark.django_db


def _listed(response) -> int:
    """Rows of the list a tile opens: the ledger's items, or an admin changelist's results."""
    context = response.context
    if "cl" in context:
        return context["cl"].result_count
    return len(context["rows"])


def test_every_workbench_count_is_the_rows_of_its_list(client, county):  # noqa: F811
    staff = User.objects.get(username="staff")
    client.force_login(staff)
    home = client.get("/admin/")
    assert home.status_code == 200
    doc = lxml.html.fromstring(home.content.decode())
    tiles = surfaces.tiles("office", staff)
    assert {t.entry.key for t in tiles} >= {
        "overdue",
        "due_this_week",
        "awaiting_review",
        "failed_deliveries",
        "campaigns",
    }
    seen = {}
    for tile in tiles:
        (row,) = doc.xpath(f"//tr[@id='tile-{tile.entry.key}']")
        badge = row.xpath(".//*[contains(@class, 'badge')]")
        shown = int(re.match(r"\s*(\d+)", badge[0].text_content()).group(1)) if badge else 0
        page = client.get(tile.url)
        assert page.status_code == 200, tile.url
        seen[tile.entry.key] = (shown, _listed(page))
    unequal = {key: pair for key, pair in seen.items() if pair[0] != pair[1]}
    assert not unequal, f"count shown ≠ rows listed: {unequal}"
    assert any(shown for shown, _listed_rows in seen.values()), seen  # not all 0 = 0
