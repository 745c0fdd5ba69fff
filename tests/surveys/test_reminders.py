"""Deputies who have not answered are reminded, a configurable number of days before closing,
exactly once however often the scan runs."""

from datetime import timedelta

import pytest
import time_machine

from congress.models import Notice, ReminderLog
from congress.services import reminders
from surveys import services
from surveys.models import Survey
from tests.factories import deputy_with_login
from tests.surveys.factories import answer_sheet, topic_survey


@pytest.mark.django_db(transaction=True)
def test_reminders_reach_those_who_have_not_answered_exactly_once():
    answered, silent, other = (deputy_with_login(name=n) for n in ("陈志刚", "刘淑珍", "杨国强"))
    survey = topic_survey(days=10, remind_days=3)
    assert survey.remind_at == survey.closes_at - timedelta(days=3)
    services.submit_response(survey, answer_sheet(survey), deputy=answered)

    assert reminders.scan() == 0  # not yet: 10 days left
    with time_machine.travel(survey.closes_at - timedelta(days=2, hours=23)):
        sent = reminders.scan()
        again = reminders.scan()
    assert (sent, again) == (2, 0)
    recipients = set(Notice.objects.values_list("recipient_id", flat=True))
    assert recipients == {silent.user_id, other.user_id}
    notice = Notice.objects.get(recipient=silent.user)
    assert notice.title == f"请填写问卷：{survey.title}"
    assert notice.url == f"/m/surveys/{survey.pk}/"
    assert ReminderLog.objects.filter(kind="surveys.survey.unanswered").count() == 1


@pytest.mark.django_db
def test_no_reminder_for_a_public_questionnaire_or_when_switched_off():
    public = topic_survey(audience=Survey.Audience.PUBLIC)
    off = topic_survey(remind_days=0, title="代表建议办理满意度调查")
    assert public.remind_at is None and off.remind_at is None
    deputy_with_login()
    with time_machine.travel(off.closes_at - timedelta(hours=1)):
        assert reminders.scan() == 0
