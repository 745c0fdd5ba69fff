"""The staff workbench's "replies to rate": suggestions whose reply the lead deputy has not rated
by the day the rating was due. The count on the tile and the rows of the list it opens come from
one selector (suggestions.selectors.ratings_late)."""

import datetime

import lxml.html
import pytest
import time_machine
from django.utils import timezone

from congress import surfaces
from suggestions import selectors, services
from tests import factories
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db


def shown_and_listed(client, user) -> tuple[int, int]:
    (tile,) = [t for t in surfaces.tiles("office", user) if t.entry.key == "ratings_late"]
    doc = lxml.html.fromstring(client.get("/admin/").content.decode())
    (row,) = doc.xpath("//tr[@id='tile-ratings_late']")
    badge = row.xpath(".//*[contains(@class, 'badge')]")
    shown = int(badge[0].text_content().split()[0]) if badge else 0
    listed = client.get(tile.url).context["cl"].result_count
    return shown, listed


def test_a_reply_not_rated_in_time_is_on_the_workbench_until_the_deputy_rates_it(client):
    staff = factories.UserFactory(username="bgs", roles=["staff"])
    suggestion, lead_row, liaison = f.assigned()
    on_time, _row, liaison2 = f.assigned(unit=factories.UnitFactory(name="县交通运输局"))
    reply = services.reply_suggestion(lead_row, category="A", text="已建成投入使用。", letter=f.letter(), by=liaison)
    later = reply.rate_remind_at + datetime.timedelta(days=1)
    with time_machine.travel(later - datetime.timedelta(days=2), tick=False):  # the other reply: recent
        services.reply_suggestion(_row, category="A", text="已完成。", letter=f.letter(), by=liaison2)

    with time_machine.travel(later, tick=False):
        client.force_login(staff)  # a session of that day
        assert selectors.ratings_late_count() == 1
        assert list(selectors.ratings_late()) == [suggestion]
        assert shown_and_listed(client, staff) == (1, 1)

        services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="satisfied")
        assert shown_and_listed(client, staff) == (0, 0)
    assert timezone.now() < later
