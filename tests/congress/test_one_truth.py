"""Every count a home page or a badge shows equals the rows of the list it links to, for each
role of the demo county: the deputy's and the member's phone home, the liaison's portal, the
back office of staff and of a leader (issue 22: the portal said 4件待办理 over a list of 2)."""

import re

import lxml.html
import pytest
from django.urls import reverse

from congress import demo
from congress.models import User

pytestmark = pytest.mark.django_db


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def _having(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


def _rows(tree, cls: str) -> int:
    return len(tree.xpath(f"//*[{_having(cls)}]"))


def _badge(tree, container_xpath: str) -> int:
    """The number in a tile's red badge; 0 when the tile shows its empty words instead."""
    badges = tree.xpath(f"{container_xpath}//*[{_having('badge')}]")
    if not badges:
        return 0
    return int(re.match(r"\s*(\d+)", badges[0].text_content()).group(1))


@pytest.fixture
def county():
    assert demo.load_demo() is True
    demo.load_extensions()


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def test_every_home_count_is_the_rows_of_its_list_for_each_demo_role(client, county):
    seen = {}

    # The liaison: three tiles (suggestions 待办理, rectification, commitments) and the notices.
    _login(client, "liaison")
    home = _page(client, reverse("unit:home"))
    todo = _page(client, reverse("suggestions:unit_list"))
    seen["liaison suggestions"] = (
        _badge(home, f"//a[{_having('unit-tile-suggestions')}]"),
        len(todo.xpath("//table[contains(@class, 'sg-unit-list')]/tbody/tr[td/a]")),
    )
    rectification = _page(client, reverse("evaluations:unit_rectifications"))
    seen["liaison rectification"] = (
        _badge(home, f"//a[{_having('unit-tile-rectification')}]"),
        _rows(rectification, "rect-attention-item"),
    )
    commitments = _page(client, reverse("oversight:unit_commitments"))
    seen["liaison commitments"] = (
        _badge(home, f"//a[{_having('unit-tile-commitments')}]"),
        _rows(commitments, "oc-attention"),
    )
    notices = _page(client, reverse("unit:notices"))
    seen["liaison notices"] = (_badge(home, "//h2"), _rows(notices, "notice-unread"))
    # Nothing closed waits to be signed for: 待签收 only beside a suggestion still being handled.
    for row in _page(client, reverse("suggestions:unit_list") + "?show=all").xpath("//tbody/tr[td/a]"):
        if "待签收" in row.text_content():
            assert "办结" not in row.text_content() and "待评价" not in row.text_content()

    # The deputy and the member: the phone home's tiles.
    for username in ("deputy", "member"):
        client.logout()
        _login(client, username)
        home = _page(client, reverse("m:home"))
        polls = _page(client, reverse("m:polls"))
        seen[f"{username} polls"] = (
            _badge(home, f"//a[@href='{reverse('m:polls')}']"),
            len(polls.xpath(f"//*[{_having('m-polls')}]/a[.//*[{_having('text-bg-danger')}]]")),
        )
        mine = _page(client, reverse("suggestions:m_list"))
        seen[f"{username} suggestions"] = (
            _badge(home, f"//a[{_having('m-tile-suggestions')}]"),
            len(mine.xpath(f"//*[{_having('sg-requests')}]/a")) + _rows(mine, "sg-to-rate"),
        )
        notices = _page(client, reverse("m:notices"))
        seen[f"{username} notices"] = (
            _badge(home, f"//a[@href='{reverse('m:notices')}']"),
            _rows(notices, "notice-unread"),
        )

    # Staff and a leader: the back office's "my notices (N)".
    for username in ("staff", "leader"):
        client.logout()
        _login(client, username)
        index = _page(client, reverse("admin:index"))
        heading = index.xpath(f"//a[@href='{reverse('admin:my_notices')}']/..")
        shown = re.search(r"（(\d+)）|\((\d+)\)", heading[0].text_content()) if heading else None
        count = int(next(g for g in shown.groups() if g)) if shown else 0
        seen[f"{username} notices"] = (count, _rows(_page(client, reverse("admin:my_notices")), "notice-unread"))

    unequal = {name: pair for name, pair in seen.items() if pair[0] != pair[1]}
    assert not unequal, f"count shown ≠ rows listed: {unequal}"
    # The demo gives the liaison work to do, so the equalities above are not all 0 = 0.
    assert seen["liaison suggestions"][0] > 0 and seen["liaison notices"][0] > 0
