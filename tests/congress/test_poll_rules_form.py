"""A poll set up in the committee's words: levels picked from the standard sets or the
county's own, the passing rule as the law writes it (全体组成人员过半数, 到会过半数, a rate)."""

import lxml.html
import pytest
from django.urls import reverse

from congress.models import Poll
from congress.services import voting
from congress.services.voting import Voter
from tests.congress.test_hostile_exports import form_errors
from tests.factories import MeetingFactory, UserFactory, meeting_with_attendees

pytestmark = pytest.mark.django_db

ADD = "admin:congress_poll_add"


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def post_poll(office, meeting, **changes):
    """The add form as a clerk sends it: the meeting, the title, the kind, one line on the
    sheet, and whatever is chosen; the rest left as the form offers it."""
    data = {
        "meeting": str(meeting.pk),
        "electorate": "both",
        "sort_order": "0",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-label": "关于批准县本级预算调整方案的决议",
        "items-0-sort_order": "0",
        "_save": "保存",
        **changes,
    }
    return office.post(reverse(ADD), data)


def add_poll(office, meeting, **changes):
    response = post_poll(office, meeting, **changes)
    assert response.status_code == 302, form_errors(response)
    return Poll.objects.latest("pk")


def test_the_form_speaks_in_sets_and_rules_not_json_and_ratios(office):
    page = office.get(reverse(ADD)).content.decode()
    doc = lxml.html.fromstring(page)
    sets = doc.xpath("//select[@name='level_set']/option/text()")
    assert (
        "赞成 / 反对 / 弃权" in sets
        and "满意 / 较满意 / 基本满意 / 不满意" in sets
        and "满意 / 基本满意 / 不满意" in sets
    )
    rules = " ".join(doc.xpath("//select[@name='pass_rule']/option/text()"))
    assert "全体组成人员过半数" in rules and "到会过半数" in rules
    assert not doc.xpath("//input[@name='pass_ratio']")


def test_an_approval_by_more_than_half_of_those_present(office):
    meeting, people = meeting_with_attendees(5)
    poll = add_poll(
        office,
        meeting,
        title="关于批准县本级预算调整方案的决议",
        kind="approval",
        level_set="approval",
        pass_rule="present_half",
    )
    assert poll.levels == voting.APPROVAL
    assert poll.pass_base == Poll.PassBase.VOTED
    voting.open_poll(poll)
    item = str(poll.items.get().pk)
    for person, choice in zip(people[:3], ["yes", "yes", "no"], strict=True):  # 3 of 5 came to vote
        voting.cast_ballot(poll, Voter(deputy=person), {item: choice})
    voting.close_poll(poll)
    assert poll.results.get(group="all").passed  # 2 of the 3 present: more than half

    # The same votes under 全体组成人员过半数 do not pass: 2 is not more than half of 5.
    again = add_poll(
        office, meeting, title="同一决议（按全体）", kind="approval", level_set="approval", pass_rule="members_half"
    )
    assert again.pass_base == Poll.PassBase.ELIGIBLE
    voting.open_poll(again)
    item = str(again.items.get().pk)
    for person, choice in zip(people[:3], ["yes", "yes", "no"], strict=True):
        voting.cast_ballot(again, Voter(deputy=person), {item: choice})
    voting.close_poll(again)
    assert again.results.get(group="all").passed is False


def test_a_satisfaction_poll_that_must_exceed_half_with_three_levels(office):
    meeting = MeetingFactory()
    poll = add_poll(
        office,
        meeting,
        title="对县法院工作满意度测评",
        kind="satisfaction",
        level_set="satisfaction_3",
        pass_rule="rate_exceed",
        pass_percent="50",
    )
    assert [lv["label"] for lv in poll.levels] == ["满意", "基本满意", "不满意"]
    assert (str(poll.pass_ratio), poll.pass_strictly) == ("0.500", True)


def test_the_usual_rule_needs_no_choice(office):
    poll = add_poll(office, MeetingFactory(), title="对县水利局工作满意度测评", kind="satisfaction")
    assert poll.levels == voting.SATISFACTION_4
    assert (str(poll.pass_ratio), poll.pass_strictly) == ("0.600", False)


def test_a_countys_own_set_is_offered_again(office):
    meeting = MeetingFactory()
    own = [
        {"code": "good", "label": "好", "weight": 100, "satisfied": True},
        {"code": "fair", "label": "较好", "weight": 80, "satisfied": True},
        {"code": "poor", "label": "差", "weight": 0, "satisfied": False},
    ]
    voting.create_poll(meeting, title="上年度测评", kind="satisfaction", items=["县教育局"], levels=own, by=None)
    doc = lxml.html.fromstring(office.get(reverse(ADD)).content.decode())
    options = {o.text_content(): o.get("value") for o in doc.xpath("//select[@name='level_set']/option")}
    key = next(value for text, value in options.items() if text.startswith("好 / 较好 / 差"))
    poll = add_poll(office, meeting, title="本年度测评", kind="satisfaction", level_set=key, pass_percent="70")
    assert poll.levels == own and str(poll.pass_ratio) == "0.700"


def test_a_wrong_rule_for_the_kind_is_refused_in_words(office):
    meeting = MeetingFactory()
    response = post_poll(office, meeting, title="决议", kind="approval", pass_rule="rate_reach")
    assert response.status_code == 200
    assert "过半数" in " ".join(form_errors(response))
    assert not Poll.objects.exists()


def test_an_open_polls_rule_is_shown_in_words(office):
    meeting, _ = meeting_with_attendees(2)
    poll = add_poll(office, meeting, title="决议", kind="approval", level_set="approval", pass_rule="present_half")
    voting.open_poll(poll)
    page = office.get(reverse("admin:congress_poll_change", args=[poll.pk])).content.decode()
    assert "到会过半数" in page and "0.500" not in page
