"""What issue 22 found as errors and words: a view-only leader's 500 on a subject's and a
column's page, a poll's levels typed as something else than a list of objects, a liaison or
staff looping between a ballot and the login page, the resolution ballot's text, the
profile's 姓名, roles in Chinese in the user form, the reminder log naming the unit."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from congress.models import Poll, ReminderLog, Role
from congress.services import reminders, voting
from evaluations.models import Subject
from media_publish.models import Column
from suggestions.models import Assignment
from tests.evaluations.factories import work_campaign_in_meeting
from tests.factories import MeetingFactory, UnitFactory, UserFactory, liaison_for, meeting_with_attendees
from tests.suggestions import factories as sf

pytestmark = pytest.mark.django_db


def test_a_leader_views_a_subjects_and_a_columns_page(client):
    campaign, _poll, _voters = work_campaign_in_meeting(n_units=2, n_voters=2)
    column = Column.objects.create(campaign=campaign, title="2026年度部门工作评议专栏")
    client.force_login(UserFactory(roles=[Role.LEADER]))
    subject = Subject.objects.filter(campaign=campaign).first()
    response = client.get(reverse("admin:evaluations_subject_change", args=[subject.pk]))
    assert response.status_code == 200 and subject.label in response.content.decode()
    response = client.get(reverse("admin:media_publish_column_change", args=[column.pk]))
    assert response.status_code == 200 and "2026年度部门工作评议专栏" in response.content.decode()


@pytest.mark.parametrize("levels", ['["满意", "不满意"]', '{"code": "yes"}', "[1, 2]", '[{"code": "yes"}]'])
def test_a_polls_levels_not_a_list_of_objects_is_a_form_error(client, levels):
    meeting = MeetingFactory()
    client.force_login(UserFactory(is_superuser=True, roles=[Role.STAFF]))
    data = {
        "meeting": meeting.pk,
        "title": "关于批准县本级预算调整方案的决议",
        "kind": "approval",
        "electorate": "both",
        "levels": levels,
        "pass_ratio": "0.5",
        "sort_order": "0",
    }
    response = client.post(reverse("admin:congress_poll_add"), data)
    assert response.status_code == 200
    assert "等次须写成对象列表" in response.content.decode()
    assert not Poll.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "staff"])
def test_a_login_that_cannot_vote_is_told_so_instead_of_sent_to_login(client, who):
    meeting = MeetingFactory()
    poll = voting.create_poll(meeting, title="关于批准县本级预算调整方案的决议", kind="approval", items=["决议草案"])
    user = liaison_for(UnitFactory()) if who == "liaison" else UserFactory(roles=[Role.STAFF])
    client.force_login(user)
    for url in (reverse("m:ballot", args=[poll.pk]), reverse("m:polls")):
        response = client.get(url)
        assert response.status_code == 403
        assert "此账号不能在此投票" in response.content.decode()
    # Nobody logged in: still the login page.
    client.logout()
    response = client.get(reverse("m:ballot", args=[poll.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_resolutions_sheet_and_the_profile_speak_of_items_and_names(client):
    meeting, deputies = meeting_with_attendees(2, with_logins=True)
    poll = voting.create_poll(meeting, title="关于批准县本级预算调整方案的决议", kind="approval", items=["决议草案"])
    voting.open_poll(poll)
    client.force_login(deputies[0].user)
    sheet = client.get(reverse("m:ballot", args=[poll.pk])).content.decode()
    assert "决议草案" in sheet
    assert "请对每一项表决赞成、反对或弃权" in sheet and "候选人" not in sheet
    profile = client.get(reverse("m:profile")).content.decode()
    assert "<dt>姓名</dt>" in profile and "<dt>名称</dt>" not in profile


def test_roles_in_chinese_in_the_user_form(client):
    client.force_login(UserFactory(is_superuser=True, roles=[Role.STAFF]))
    target = UserFactory(roles=[Role.DEPUTY])
    page = client.get(reverse("admin:congress_user_change", args=[target.pk])).content.decode()
    for role in Role:
        assert f">{role.label}</option>" in page
    assert ">deputy</option>" not in page and ">liaison</option>" not in page
    listing = client.get(reverse("admin:congress_user_changelist")).content.decode()
    assert str(Role.LIAISON.label) in listing


def test_the_reminder_log_names_the_unit(client):
    _suggestion, assignment, _liaison = sf.assigned(unit=UnitFactory(name="县交通运输局"))
    ReminderLog.objects.create(
        content_type=ContentType.objects.get_for_model(Assignment),
        object_id=assignment.pk,
        kind=next(s.kind for s in reminders.sources() if s.model is Assignment),
        due_at=timezone.now() - datetime.timedelta(days=1),
        scan=uuid.uuid4(),
    )
    client.force_login(UserFactory(is_superuser=True, roles=[Role.STAFF]))
    page = client.get(reverse("admin:congress_reminderlog_changelist")).content.decode()
    assert "县交通运输局" in page
