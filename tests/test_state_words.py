"""Each workflow state of a suggestion, a commitment and a campaign, walked through the services,
with the state's one word checked on every page that shows it (portal, deputy page, back
office, public page, export), and the unit's 待办理 count equal to its list at every step."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import User
from evaluations import selectors as evaluation_selectors
from evaluations.models import Campaign
from evaluations.services import planning
from oversight import services as oversight_services
from oversight.models import Commitment
from suggestions import exports as suggestion_exports
from suggestions import selectors as suggestion_selectors
from suggestions import services as suggestion_services
from suggestions.models import Feedback, Suggestion
from tests.factories import TermFactory, UnitFactory, liaison_for
from tests.suggestions import factories as sf

pytestmark = pytest.mark.django_db


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_suggestion_reads_one_word_on_every_page_at_every_step(client):
    staff = User.objects.create_superuser("office-sg", password="x")  # noqa: S106
    unit = UnitFactory(name="县水利局")
    suggestion, assignment, liaison = sf.assigned(unit=unit, by=staff)
    deputy_user = suggestion.lead_deputy.user

    def check(status, *, to_sign: bool, to_handle: int):
        suggestion.refresh_from_db()
        assert suggestion.status == status
        word = str(Suggestion.Status(status).label)
        client.force_login(liaison)
        portal = text(client, reverse("suggestions:unit_list") + "?show=all")
        assert f">{word}<" in portal
        assert ("待签收" in portal) is to_sign
        detail = text(client, reverse("suggestions:unit_detail", args=[suggestion.pk]))
        assert ("签收</button>" in detail) is to_sign
        todo = text(client, reverse("suggestions:unit_list"))
        rows = len(re.findall(r'href="/unit/suggestions/\d+/"', todo))
        assert rows == to_handle == suggestion_selectors.unit_todo_count(liaison)
        client.force_login(deputy_user)
        assert f">{word}<" in text(client, reverse("suggestions:m_list"))
        client.force_login(staff)
        assert word in text(client, reverse("admin:suggestions_suggestion_changelist"))
        exported = list(suggestion_exports.rows(Suggestion.objects.filter(pk=suggestion.pk)))[1:]
        assert exported[0][-1] == word

    S = Suggestion.Status
    check(S.ASSIGNED, to_sign=True, to_handle=1)
    suggestion_services.sign_for(assignment, by=liaison)
    check(S.ASSIGNED, to_sign=False, to_handle=1)
    reply = suggestion_services.reply_suggestion(
        assignment, category="A", text="南冲电排站已建成投入使用。", letter=sf.letter(), by=liaison
    )
    check(S.REPLIED, to_sign=False, to_handle=0)
    suggestion_services.rate_reply(reply, deputy=suggestion.lead_deputy, rating=Feedback.Rating.SATISFIED)
    check(S.COMPLETED, to_sign=False, to_handle=0)


def test_a_replied_suggestion_never_signed_for_waits_for_no_signature(client):
    """The demo's case: replied without the 签收 step. No 待签收, no button, and the service
    refuses a late signature."""
    staff = User.objects.create_superuser("office-sg2", password="x")  # noqa: S106
    suggestion, assignment, liaison = sf.assigned(unit=UnitFactory(name="县住建局"), by=staff)
    suggestion_services.reply_suggestion(assignment, category="A", text="已办结。", letter=sf.letter(), by=liaison)
    client.force_login(liaison)
    assert "待签收" not in text(client, reverse("suggestions:unit_list") + "?show=all")
    assert "签收</button>" not in text(client, reverse("suggestions:unit_detail", args=[suggestion.pk]))
    with pytest.raises(suggestion_services.SuggestionError):
        suggestion_services.sign_for(assignment, by=liaison)


def test_a_commitment_reads_one_word_on_the_portal_the_board_and_the_back_office(client):
    TermFactory()
    unit = UnitFactory(name="县民政局")
    liaison = liaison_for(unit)
    staff = User.objects.create_superuser("office-oc", password="x")  # noqa: S106
    year = timezone.localdate().year
    commitment = oversight_services.add_commitment(
        unit, year=year, kind=Commitment.Kind.COMMITMENT, title="养老服务中心全覆盖", due_on=timezone.localdate()
    )

    def check(state):
        commitment.refresh_from_db()
        assert commitment.state == state
        word = str(Commitment.State(state).label)
        client.force_login(liaison)
        assert word in text(client, reverse("oversight:unit_commitments"))
        client.logout()
        assert word in text(client, reverse("oversight:unit_board", args=[unit.pk]))
        client.force_login(staff)
        assert word in text(client, reverse("admin:oversight_commitment_changelist"))

    check(Commitment.State.UNDERWAY)
    oversight_services.update_progress(commitment, by=liaison, progress=100, text="12个乡镇养老服务中心均已运营。")
    check(Commitment.State.REPORTED)
    oversight_services.check_commitment(commitment, by=staff, confirmed=True)
    check(Commitment.State.DONE)


def test_a_campaigns_stage_table_follows_its_progress(client):
    """Stage by stage: what the campaign has moved past is 已完成, where it is 进行中 (已逾期 only
    once that phase's end has passed), what follows 未开始; a duty evaluation's topic collection
    has its row."""
    TermFactory(is_current=True)
    staff = User.objects.create_superuser("office-cp", password="x")  # noqa: S106
    client.force_login(staff)
    year = timezone.localdate().year + 1  # every phase still ahead: nothing can be overdue
    campaign = planning.create_campaign(year=year, kind=Campaign.Kind.DUTY)
    order = evaluation_selectors.STAGE_ORDER
    for stage in order[:-1]:  # the verdict's rectification is decided by the rectifications
        Campaign.objects.filter(pk=campaign.pk).update(stage=stage)
        campaign.refresh_from_db()
        rows = evaluation_selectors.stage_table(campaign)
        word = str(Campaign.Stage(stage).label)
        assert word in text(client, reverse("admin:evaluations_campaign_changelist"))
        if stage in (Campaign.Stage.PLANNING, Campaign.Stage.TOPICS):  # later ones need their polls
            page = text(client, reverse("admin:evaluations_campaign_dashboard", args=[campaign.pk]))
            assert word in page and "已逾期" not in page
            assert page.count(">进行中<") == 1  # 宣传发动, then 征集述职问题
        for row in rows:
            at = order.index(evaluation_selectors.PHASE_STAGE[campaign.kind].get(row.kind, row.kind))
            expected = "done" if at < order.index(stage) else "current" if at == order.index(stage) else "coming"
            assert row.state == expected, (stage, row.name, row.state)
    names = [row.name for row in evaluation_selectors.stage_table(campaign)]
    assert str(Campaign.Stage.TOPICS.label) in names

    # Late: the investigation's phase ended and the campaign is still investigating.
    Campaign.objects.filter(pk=campaign.pk).update(stage=Campaign.Stage.INVESTIGATION)
    campaign.refresh_from_db()
    later = datetime.date(year, 8, 15)
    states = {row.kind: row.state for row in evaluation_selectors.stage_table(campaign, today=later)}
    assert states["investigation"] == "overdue"
    assert states["publicity"] == "done" and states["deliberation"] == "coming"
