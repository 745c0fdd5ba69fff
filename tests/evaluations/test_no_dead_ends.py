"""Paths that used to stop a clerk: each goes on, or says what to do next and keeps what was typed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from congress.services import voting
from evaluations.models import Campaign, Result, Subject
from evaluations.services import planning, topics
from tests.evaluations.factories import YEAR, directors_meeting
from tests.factories import MeetingFactory, OfficialFactory, TermFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def duty_campaign_with_only_last_years_failure():
    """A duty evaluation whose only candidate is last year's failed official (列为下一年度述职评议对象)."""
    term = TermFactory()
    official = OfficialFactory(name="王建国", unit=UnitFactory(name="县交通运输局"), position="局长")
    last = planning.create_campaign(year=YEAR - 1, kind="duty", term=term)
    subject = topics.create_subject(last, unit=official.unit, official=official)
    frozen = voting.create_poll(MeetingFactory(term=term), title="测评", kind="satisfaction", items=["甲"])
    Result.objects.create(
        subject=subject, poll=frozen, counts={"unsatisfied": 3}, valid=3, blank=0, verdict=Result.Verdict.FAIL
    )
    campaign = planning.create_campaign(year=YEAR, kind="duty", term=term)
    topics.start_topic_collection(campaign)
    return campaign, official, directors_meeting(term)


class TestACarriedOverOfficialAlone:
    def test_reports_without_a_ballot_and_the_evaluation_goes_on(self):
        campaign, official, directors = duty_campaign_with_only_last_years_failure()
        assert topics.put_candidates_to_ballot(campaign, directors) is None
        campaign.refresh_from_db()
        assert campaign.stage == Campaign.Stage.INVESTIGATION
        assert campaign.candidate_poll is None
        (subject,) = Subject.objects.filter(campaign=campaign)
        assert (subject.official, subject.carried_over) == (official, True)
        assert subject.checklist.count() > 0  # the investigation checklist is there to tick

    def test_the_dashboard_step_says_so(self, office):
        campaign, official, directors = duty_campaign_with_only_last_years_failure()
        step = reverse("admin:evaluations_campaign_step", args=[campaign.pk, "ballot"])
        response = office.post(step, {"meeting": directors.pk})
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("无需表决" in m for m in said), said
        dashboard = office.get(reverse("admin:evaluations_campaign_dashboard", args=[campaign.pk]))
        assert dashboard.status_code == 200 and "王建国" in dashboard.content.decode()

    def test_nobody_at_all_is_still_refused(self):
        term = TermFactory()
        campaign = planning.create_campaign(year=YEAR, kind="duty", term=term)
        topics.start_topic_collection(campaign)
        with pytest.raises(Exception, match="没有需要表决的候选对象"):
            topics.put_candidates_to_ballot(campaign, directors_meeting(term))


class TestARefusedFormKeepsWhatWasTyped:
    def test_an_inquiry_motion_with_two_cosigners(self, office):
        from evaluations.models import InquiryMotion
        from tests.factories import MemberFactory

        unit = UnitFactory(name="县教育局")
        members = [MemberFactory() for _ in range(2)]
        questions = "一、城区学校大班额问题为何两年未解决？\n二、校舍维修资金为何拨付滞后？"
        response = office.post(
            reverse("admin:evaluations_inquirymotion_add"),
            {
                "unit": unit.pk,
                "title": "关于县教育局整改不力的质询案",
                "questions": questions,
                "cosigners": [m.pk for m in members],
                "personnel_recommendation": "",
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "至少需要3名常委会组成人员联名" in page  # why, on the form itself
        assert "关于县教育局整改不力的质询案" in page and "校舍维修资金为何拨付滞后" in page  # nothing retyped
        assert all(f'value="{m.pk}" selected' in page for m in members)
        assert not InquiryMotion.objects.exists()


class TestDeliveringToAUnitWithoutALiaison:
    def approved(self):
        from congress.models import Meeting
        from evaluations.models import Rectification
        from evaluations.services import meeting
        from evaluations.services import rectification as rect
        from tests.evaluations.factories import S, U, vote, work_campaign_in_meeting

        campaign, poll, voters = work_campaign_in_meeting(n_units=1, n_voters=2)
        vote(poll, voters, [[U], [S]])
        voting.close_poll(poll)
        meeting.decide_results(campaign)
        subject = campaign.subjects.get()
        rect.add_opinion(subject, finding="城区学校大班额问题突出", action="制定化解大班额三年计划")
        rectification = Rectification.objects.get(subject=subject)
        rect.approve_opinions(rectification, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
        return campaign, rectification

    def test_warns_before_and_after_and_the_liaison_added_is_told(self, office, django_capture_on_commit_callbacks):
        from congress.models import Notice, Role, User

        campaign, rectification = self.approved()
        page_url = reverse("admin:evaluations_campaign_opinions", args=[campaign.pk])
        before = office.get(page_url).content.decode()
        assert f'id="no-liaison-{rectification.pk}"' in before  # warned before delivering

        with django_capture_on_commit_callbacks(execute=True):
            delivered = office.post(page_url, {"step": "deliver", "rectification": rectification.pk}, follow=True)
        said = [str(m) for m in delivered.context["messages"]]
        assert any("没有联络员" in m for m in said), said
        assert not Notice.objects.filter(title__contains=rectification.title).exists()  # nobody to tell yet

        with django_capture_on_commit_callbacks(execute=True):
            added = office.post(
                page_url,
                {"step": "add_liaison", "rectification": rectification.pk, "name": "周晓梅", "phone": "137 0231 7759"},
                follow=True,
            )
        assert added.status_code == 200
        liaison = User.objects.get(username="13702317759")
        assert liaison.unit_id == rectification.unit_id and liaison.groups.filter(name=Role.LIAISON).exists()
        assert Notice.objects.filter(recipient=liaison, title__contains=rectification.title).count() == 1
        assert f'id="no-liaison-{rectification.pk}"' not in added.content.decode()

    def test_a_bad_number_is_refused_and_nothing_is_made(self, office):
        from congress.models import User

        campaign, rectification = self.approved()
        page_url = reverse("admin:evaluations_campaign_opinions", args=[campaign.pk])
        before = User.objects.count()
        refused = office.post(
            page_url,
            {"step": "add_liaison", "rectification": rectification.pk, "name": "周晓梅", "phone": "12345"},
            follow=True,
        )
        assert any("手机" in str(m) for m in refused.context["messages"])
        assert User.objects.count() == before


class TestOneActionForMany:
    def test_deliver_several_rectifications_at_once_and_name_the_refused(self, office):
        from congress.models import Meeting
        from evaluations.models import Rectification
        from evaluations.services import meeting
        from evaluations.services import rectification as rect
        from tests.evaluations.factories import S, U, vote, work_campaign_in_meeting
        from tests.factories import liaison_for

        campaign, poll, voters = work_campaign_in_meeting(n_units=3, n_voters=2)
        vote(poll, voters, [[U, U, U], [S, S, S]])
        voting.close_poll(poll)
        meeting.decide_results(campaign)
        directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
        chosen = []
        for n, subject in enumerate(campaign.subjects.order_by("sort_order")):
            liaison_for(subject.unit, username=f"lianluoyuan{n}")
            rect.add_opinion(subject, finding=f"问题{n}", action=f"整改措施{n}")
            rectification = Rectification.objects.get(subject=subject)
            if n < 2:  # the third is still being drafted: not approved yet
                rect.approve_opinions(rectification, meeting=directors)
            chosen.append(rectification)
        response = office.post(
            reverse("admin:evaluations_rectification_changelist"),
            {"action": "deliver_selected", "_selected_action": [r.pk for r in chosen]},
            follow=True,
        )
        said = [str(m) for m in response.context["messages"]]
        statuses = [Rectification.objects.get(pk=r.pk).status for r in chosen]
        assert statuses == ["delivered", "delivered", "drafting"]
        assert any(chosen[2].title in m for m in said), said
        assert all(Rectification.objects.get(pk=r.pk).report_due_at for r in chosen[:2])
