"""Publishing: a page shows what was decided when it was published and nothing edited since;
each step refuses what is out of turn, keeps the record, and the database refuses impossible
states."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations.models import Opinion, Result, Subject
from media_publish import services
from media_publish.models import Publication
from media_publish.services import PublicationError
from tests.media_publish.factories import K, decided_column, published, staff_user

pytestmark = pytest.mark.django_db


def verbs(publication) -> list[str]:
    return list(
        LogEntry.objects.filter(object_pk=str(publication.pk), content_type__model="publication")
        .order_by("pk")
        .values_list("additional_data__verb", flat=True)
    )


def test_results_are_frozen_when_published_and_later_edits_do_not_leak():
    column, _rect = decided_column(3)
    staff = staff_user()
    page = published(column, K.RESULTS, by=staff)
    assert page.status == Publication.Status.PUBLISHED and page.version == 1
    assert page.title == "2026年度部门工作评议满意度测评结果"
    rows = page.content["rows"]
    assert [r["label"] for r in rows] == ["县教育局", "县卫生健康局", "县文化和旅游局"]
    assert rows[0]["counts"] == [1, 0, 0, 1] and rows[0]["valid"] == 2 and rows[0]["rate_pct"] == "50.00"
    assert [lv["label"] for lv in page.content["levels"]] == ["满意", "较满意", "基本满意", "不满意"]
    # Someone edits a subject's name and a result after publishing: the public page does not move.
    Subject.objects.filter(label="县教育局").update(label="县教育体育局")
    Result.objects.filter(subject__label="县教育体育局").update(score=99)
    page.refresh_from_db()
    assert page.content["rows"][0]["label"] == "县教育局" and page.content["rows"][0]["score"] == 50.0
    assert verbs(page) == ["draft_publication", "publish"]
    # Republishing takes what stands today, as a new version.
    page = services.republish(page, by=staff)
    assert page.version == 2 and page.content["rows"][0]["label"] == "县教育体育局"
    assert verbs(page)[-1] == "republish"


def test_what_is_frozen_holds_no_ballot_and_no_personal_data():
    column, rect = decided_column(2)
    pages = [published(column, kind) for kind in (K.PLAN, K.SUBJECTS, K.RESULTS, K.RECTIFICATION)]
    text = str([p.content for p in pages])
    from congress.models import Ballot, Deputy

    for deputy in Deputy.objects.all():
        assert deputy.name not in text and deputy.phone not in text
    for ballot_id in Ballot.objects.values_list("pk", flat=True):
        assert str(ballot_id) not in text
    assert "ballot" not in text.lower() and "voter" not in text.lower()
    rectification = pages[3].content["units"][0]
    assert rectification["label"] == "县教育局" and rectification["total"] == 3
    assert [i["finding"] for i in rectification["items"]][0] == "城区学校大班额问题突出"
    assert set(rectification["items"][0]) == {
        "order",
        "number",
        "finding",
        "action",
        "target",
        "deadline",
        "state",
        "done",
        "late",
        "progress",
    }


def test_a_stage_not_reached_cannot_be_published():
    from tests.evaluations.factories import work_campaign_in_meeting

    campaign, _poll, _voters = work_campaign_in_meeting(n_units=1, n_voters=1)
    column = services.open_column(campaign)
    draft = services.draft_publication(column, kind=K.RESULTS)
    with pytest.raises(PublicationError, match="测评结果尚未确定"):
        services.publish(draft)
    with pytest.raises(PublicationError, match="评议意见尚未交付"):
        services.publish(services.draft_publication(column, kind=K.RECTIFICATION))
    draft.refresh_from_db()
    assert draft.status == Publication.Status.DRAFT and draft.content == {}


def test_suggestion_statistics_need_the_offices_own_publication_first():
    from suggestions.models import YearStatistics

    column = services.open_column(decided_column(1)[0].campaign)
    stats_column = type(column).objects.create(title="代表建议办理情况")
    draft = services.draft_publication(stats_column, kind=K.SUGGESTIONS, year=2026)
    with pytest.raises(PublicationError, match="尚未公布2026年的办理统计"):
        services.publish(draft)
    YearStatistics.objects.create(year=2026, published_at=timezone.now())
    page = services.publish(draft)
    assert page.content["year"] == 2026 and page.title == "2026年代表建议办理情况"


def test_scheduling_freezes_now_and_refuses_the_past():
    column, _rect = decided_column(1)
    draft = services.draft_publication(column, kind=K.RESULTS)
    with pytest.raises(PublicationError, match="须晚于现在"):
        services.schedule(draft, at=timezone.now() - datetime.timedelta(minutes=1))
    at = timezone.now() + datetime.timedelta(days=1)
    page = services.schedule(draft, at=at)
    assert page.status == Publication.Status.SCHEDULED and page.publish_at == at and page.content["rows"]
    with pytest.raises(PublicationError, match="只有草稿才能定时发布"):
        services.schedule(page, at=at)


def test_release_marks_due_publications_published_once():
    column, _rect = decided_column(1)
    at = timezone.now() + datetime.timedelta(hours=2)
    page = services.schedule(services.draft_publication(column, kind=K.RESULTS), at=at)
    assert services.release_due() == 0
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        assert services.release_due() == 1
        assert services.release_due() == 0
    page.refresh_from_db()
    assert page.status == Publication.Status.PUBLISHED and page.published_at == at
    assert verbs(page) == ["draft_publication", "schedule", "release"]


def test_withdrawal_needs_a_reason_and_keeps_the_page_on_the_record():
    column, _rect = decided_column(1)
    staff = staff_user()
    page = published(column, K.RESULTS, by=staff)
    with pytest.raises(PublicationError, match="请填写撤回原因"):
        services.withdraw(page, reason="  ", by=staff)
    page = services.withdraw(page, reason="测评结果统计口径有误，更正后重新发布。", by=staff)
    assert page.status == Publication.Status.WITHDRAWN and page.content["rows"]
    entry = LogEntry.objects.filter(object_pk=str(page.pk), additional_data__verb="withdraw").get()
    assert entry.actor == staff and entry.additional_data["reason"] == "测评结果统计口径有误，更正后重新发布。"
    with pytest.raises(PublicationError, match="只有定时发布或已发布的页面才能撤回"):
        services.withdraw(page, reason="再次撤回", by=staff)
    with pytest.raises(PublicationError):
        services.publish(page)
    # A corrected page can be published anew; the withdrawn one stays withdrawn.
    again = published(column, K.RESULTS, by=staff)
    assert again.pk != page.pk and again.status == Publication.Status.PUBLISHED


def test_one_live_page_per_stage():
    column, _rect = decided_column(1)
    published(column, K.RESULTS)
    second = services.draft_publication(column, kind=K.RESULTS)
    with pytest.raises(PublicationError, match="已有定时发布或已发布的页面"):
        services.publish(second)
    second.refresh_from_db()
    assert second.status == Publication.Status.DRAFT


def test_the_database_refuses_impossible_states():
    column, _rect = decided_column(1)
    page = published(column, K.RESULTS)
    for fields in (
        {"status": "gone"},
        {"status": "withdrawn"},  # no reason, no time
        {"status": "scheduled", "publish_at": None},
        {"year": 2026},  # a year only for statistics
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Publication.objects.filter(pk=page.pk).update(**fields)


def test_rectification_progress_is_frozen_until_republished():
    column, rect = decided_column(1)
    page = published(column, K.RECTIFICATION)
    assert page.content["done"] == 0
    Opinion.objects.filter(rectification=rect).update(state="done", done_at=timezone.now(), progress=100)
    page.refresh_from_db()
    assert page.content["done"] == 0
    page = services.republish(page)
    assert page.content["done"] == 3 == page.content["total"]
