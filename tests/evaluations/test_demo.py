"""The demo county comes with this year's evaluations, loaded once."""

import pytest
from django.utils import timezone

from congress import demo
from evaluations.demo import load_evaluations_demo
from evaluations.models import Campaign, CampaignSurvey, SurveyReport, TermPlan, Topic

pytestmark = pytest.mark.django_db

LEVELS = [("satisfied", "满意"), ("fairly", "较满意"), ("basic", "基本满意"), ("unsatisfied", "不满意")]


def test_the_demo_county_has_this_years_evaluations(client):
    demo.load_demo()
    demo.load_extensions()
    year = timezone.localdate().year
    work = Campaign.objects.get(year=year, kind="work")
    assert work.stage == Campaign.Stage.INVESTIGATION
    assert work.subjects.count() == 27
    assert TermPlan.objects.get().status == "approved"
    duty = Campaign.objects.get(year=year, kind="duty")
    assert duty.stage == Campaign.Stage.TOPICS
    parking = Topic.objects.filter(campaign=duty, title__contains="停车")
    assert parking.count() >= 2  # worded differently: for staff to merge
    last = Campaign.objects.get(year=year - 1, kind="work")
    assert last.stage == Campaign.Stage.VERDICT
    education = last.subjects.get(unit__name="县教育局")
    assert education.results.get().verdict == "fail"
    assert education.rectification.status == "delivered" and education.rectification.opinions.count() == 3
    assert work.subjects.get(unit__name="县教育局").carried_over  # listed again this year
    assert load_evaluations_demo() is False  # loaded once
    from congress.models import User

    client.force_login(User.objects.get(username="staff"))
    page = client.get(f"/admin/evaluations/campaign/{work.pk}/dashboard/")
    assert page.status_code == 200
    assert "县教育局" in page.content.decode()
    # Last year's frozen result reads in the poll's level names, not its codes.
    result = education.results.get()
    page = client.get(f"/admin/evaluations/result/{result.pk}/change/").content.decode()
    counts = "、".join(f"{label} {result.counts.get(code, 0)}" for code, label in LEVELS)
    assert counts in page and '"unsatisfied"' not in page
    assert f"{result.rate * 100:.2f}%" in page  # 33.33%, not 0.3333
    # A submitted survey report is shown read only, with the meeting it went to.
    report = SurveyReport.objects.filter(submitted_to__isnull=False).first()
    page = client.get(f"/admin/evaluations/surveyreport/{report.pk}/change/").content.decode()
    assert "报送会议" in page and report.submitted_to.title in page and "Meeting" not in page


def test_the_demo_county_shows_an_open_questionnaire_and_a_poll_ready_to_open(client):
    """A newcomer sees both at once (issue 27): the duty evaluation's questionnaire open to the
    public by its 评议码, and the coming session's vote drawn up, for staff to open."""
    from congress.models import Poll
    from congress.views.screen import screen_url
    from surveys.models import Survey

    demo.load_demo()
    demo.load_extensions()
    survey = Survey.objects.get(status=Survey.Status.OPEN)
    assert survey.audience == Survey.Audience.PUBLIC
    assert CampaignSurvey.objects.get(survey=survey).campaign.kind == "duty"
    assert client.get(f"/s/{survey.code}/").status_code == 200
    poll = Poll.objects.get(status=Poll.Status.DRAFT)
    assert poll.meeting.kind == "standing" and poll.items.count() == 1
    # Its hall screen, by the address the meeting's page gives.
    assert client.get(screen_url(poll.meeting_id)).status_code == 200
