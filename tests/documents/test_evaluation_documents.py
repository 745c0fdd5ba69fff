"""The evaluation's documents issued from the demo county (清河县), read back with python-docx:
their fields (title, number, addressee, figures) and the GB/T 9704 format."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congress import demo
from congress.models import IssuedDocument, Member, Official, User
from congress.services import documents as issuing
from evaluations.models import Campaign, InquiryMotion, Interview, Subject

from .helpers import assert_official_format, open_docx, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    demo.load_demo()
    demo.load_extensions()
    year = timezone.localdate().year
    return Campaign.objects.get(year=year - 1, kind="work")


@pytest.fixture
def staff():
    return User.objects.get(username="staff")


def read(issued):
    with issued.file.open("rb") as handle:
        return open_docx(handle.read())


def check_results_report(county, staff):
    year = timezone.localdate().year
    issued = issuing.issue_document("evaluation_report", county, by=staff)
    assert issued.number == f"清人常报〔{year}〕1号"
    assert issued.addressee == "中共清河县委员会"
    document = read(issued)
    title = f"关于{county.title}结果的报告"
    assert_official_format(document, title=title, number=issued.number, addressee="中共清河县委员会")
    text = text_of(document)
    assert "本次共评议6个对象，测评结果为通过的5个，未通过的1个" in text
    assert "未通过的对象（县教育局）" in text
    rows = document.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["名次", "评议对象", "各等次票数", "有效票", "满意率", "结果"]
    assert len(rows) == 1 + 6  # the loop rows are gone, one row per subject
    education = next(r for r in rows if r.cells[1].text == "县教育局")
    result = Subject.objects.get(campaign=county, unit__name="县教育局").results.get()
    assert education.cells[0].text == str(result.rank) == "6"
    assert education.cells[3].text == str(result.valid)
    assert education.cells[4].text == f"{result.rate * 100:.2f}%"
    assert education.cells[5].text == "未通过"
    assert f"不满意{result.counts['unsatisfied']}" in education.cells[2].text
    assert "清河县人民代表大会常务委员会" in text and timezone.localdate().strftime("%Y年") in text
    # Kept with the campaign, who issued it and from which template.
    assert issued.record == county and issued.issued_by == staff and issued.template_version == 0


def check_opinions(county, staff):
    rectification = Subject.objects.get(campaign=county, unit__name="县教育局").rectification
    issued = issuing.issue_document("opinions", rectification, by=staff)
    document = read(issued)
    assert_official_format(document, title="评议意见书", number=issued.number, addressee="县教育局")
    text = text_of(document)
    plan_due = timezone.localtime(rectification.plan_due_at).date()
    report_due = timezone.localtime(rectification.report_due_at).date()
    assert f"于{plan_due.year}年{plan_due.month}月{plan_due.day}日前将整改计划报送" in text
    assert f"于{report_due.year}年{report_due.month}月{report_due.day}日前报送整改情况报告" in text
    assert "意见共3条" in text
    assert "一、城区学校大班额问题仍然突出" in text
    assert "整改要求：制定化解大班额三年行动计划。整改目标：2年内大班额比例降至5%以下。" in text
    assert "三、校舍维修资金拨付滞后" in text
    assert "{%" not in text and "{{" not in text
    assert issued.unit.name == "县教育局"


def check_feedback_letters(county, staff):
    passed = Subject.objects.get(campaign=county, unit__name="县水利局")
    failed = Subject.objects.get(campaign=county, unit__name="县教育局")
    first = issuing.issue_document("evaluation_feedback", passed, by=staff)
    second = issuing.issue_document("evaluation_feedback", failed, by=staff)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"清人常函〔{year}〕1号", f"清人常函〔{year}〕2号")
    document = read(second)
    assert_official_format(
        document, title=f"关于{county.title}测评结果的反馈函", number=second.number, addressee="县教育局"
    )
    result = failed.results.get()
    text = text_of(document)
    assert f"满意率{result.rate * 100:.2f}%，在6个评议对象中位列第6名，测评结果为“未通过”" in text
    assert "形成评议意见交你单位限期整改" in text
    assert "巩固评议成果" in text_of(read(first))


def check_interview_notice(county, staff):
    rectification = Subject.objects.get(campaign=county, unit__name="县教育局").rectification
    head = Official.objects.get(unit=rectification.unit, is_head=True, active=True)
    leader = Member.objects.filter(position=Member.Position.VICE_DIRECTOR).select_related("deputy").first()
    interview = Interview.objects.create(
        rectification=rectification,
        held_on=datetime.date(2026, 12, 18),
        official=head,
        led_by=leader,
        reason="整改计划逾期未报、大班额化解进度滞后",
        record="（约谈后填写）",
    )
    issued = issuing.issue_document("interview_notice", interview, by=staff)
    document = read(issued)
    assert_official_format(document, title="约谈通知", number=issued.number, addressee="县教育局")
    text = text_of(document)
    assert f"定于2026年12月18日对你单位{head.position}{head.name}同志进行约谈，由{leader.deputy.name}同志主持" in text
    assert "因整改计划逾期未报、大班额化解进度滞后" in text


def check_inquiry_motion(county, staff):
    education = Subject.objects.get(campaign=county, unit__name="县教育局")
    members = list(Member.objects.select_related("deputy").order_by("pk")[:4])
    motion = InquiryMotion.objects.create(
        subject=education,
        unit=education.unit,
        title="关于县教育局连续两年评议未通过的质询案",
        questions="大班额问题为何两年未见成效？\n教师缺编问题的解决时间表是什么？",
    )
    motion.cosigners.set(members[:2])
    with pytest.raises(ValidationError, match="三名以上"):
        issuing.issue_document("inquiry_motion", motion, by=staff)
    assert not IssuedDocument.objects.filter(kind="inquiry_motion").exists()
    motion.cosigners.set(members)
    issued = issuing.issue_document("inquiry_motion", motion, by=staff)
    document = read(issued)
    assert_official_format(document, title="质询案", number=issued.number, addressee=None)
    text = text_of(document)
    assert "被质询机关：县教育局" in text
    assert "1. 大班额问题为何两年未见成效？" in text and "2. 教师缺编问题的解决时间表是什么？" in text
    assert "联名提出人（4人）" in text
    assert "、".join(m.deputy.name for m in members) in text
    assert issued.number.endswith("1号")


def check_report_before_the_tally_is_refused(county, staff):
    this_year = Campaign.objects.get(year=timezone.localdate().year, kind="work")
    with pytest.raises(ValidationError):
        issuing.issue_document("evaluation_report", this_year, by=staff)
    assert IssuedDocument.objects.filter(kind="evaluation_report").count() == 1


def test_every_evaluation_document_from_the_demo_county(county, staff):
    """One load of the demo county (it takes a while), then each kind in turn."""
    check_results_report(county, staff)
    check_opinions(county, staff)
    check_feedback_letters(county, staff)
    check_interview_notice(county, staff)
    check_inquiry_motion(county, staff)
    check_report_before_the_tally_is_refused(county, staff)
    assert IssuedDocument.objects.count() == 6
