"""A rectification item walked through every state, its word checked on each page that shows
it: the unit portal, the back office's rectification page and ledger, the ledger's Excel and
the public rectification page. One list of words (GLOSSARY: 待报计划 / 计划已报 / 计划已退回 /
整改中 / 已整改 / 已销号); before, every item said 待报整改计划 after the plan was handed in."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import exports, selectors
from evaluations.models import Opinion
from evaluations.services import rectification as rect
from media_publish import snapshots
from tests.evaluations.test_rectification import DELIVERY, delivered, plan_measures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORDS = {"待报计划", "计划已报", "计划已退回", "整改中", "已整改", "已销号"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def words_everywhere(client, rectification, liaison, staff) -> dict[str, list[str]]:
    """The first item's word on each surface."""
    first = rectification.opinions.order_by("sort_order").first()
    seen = {}
    client.force_login(liaison)
    page = client.get(reverse("evaluations:unit_rectification", args=[rectification.pk])).content.decode()
    seen["portal"] = [w for w in WORDS if f">{w}<" in page]
    client.force_login(staff)
    page = client.get(reverse("admin:evaluations_rectification_change", args=[rectification.pk])).content.decode()
    seen["back office"] = [w for w in WORDS if f">{w}<" in page]
    rows = selectors.ledger(include_done=True)
    ledger_page = client.get(reverse("admin:evaluations_rectification_ledger")).content.decode()
    seen["ledger"] = [w for w in WORDS if f">{w}" in ledger_page] or ["(not listed)"]
    sheet = load_workbook(io.BytesIO(exports.ledger_workbook(rows)), read_only=True).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}
    seen["export"] = [w for w in WORDS if w in cells]
    content, _text = snapshots.rectification(rectification.subject.campaign)
    published = [i for g in content["units"] for i in g["items"] if i["finding"] == first.finding]
    seen["public"] = [published[0]["state"]]
    return seen


def test_each_state_of_an_item_reads_the_same_word_on_every_page(client):
    rectification, liaison, *_ = delivered()
    staff = UserFactory(is_staff=True, is_superuser=True, username="office")
    walk = []

    def check(expected):
        seen = words_everywhere(client, rectification, liaison, staff)
        walk.append((expected, seen))
        for surface, words in seen.items():
            if surface == "ledger" and expected == "已销号":
                continue  # the ledger lists open items only
            assert expected in words, f"{surface} shows {words} where the item is {expected}"

    with time_machine.travel(DELIVERY, tick=False):
        check("待报计划")
        plan = rect.submit_plan(
            rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification)
        )
        check("计划已报")
        first = rectification.opinions.order_by("sort_order").first()
        rect.review_submission(plan, by=staff, returned={first.pk: "措施不具体，请细化到学期。"})
        check("计划已退回")
        plan = rect.submit_plan(
            rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification)
        )
        rect.review_submission(plan, by=staff)
        check("整改中")
        progress = {o.pk: {"text": "已完成", "progress": 100} for o in rectification.opinions.all()}
        report = rect.submit_report(rectification, by=liaison, signed_off_by="张卫国", progress=progress)
        check("已整改")
        rect.review_submission(report, by=staff)
        check("已销号")
    assert Opinion.objects.filter(state=Opinion.State.DONE).count() == 3
    assert [expected for expected, _seen in walk] == [
        "待报计划",
        "计划已报",
        "计划已退回",
        "整改中",
        "已整改",
        "已销号",
    ]
