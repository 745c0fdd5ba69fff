"""Issuing documents: numbers per kind and year without gaps or repeats (two staff at once on
PostgreSQL included), a county's own template used for the next document, a template with an
unknown placeholder refused with the placeholder named, and downloads with the record's rules."""

import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from congress.documents import layout
from congress.models import Committee, DocumentTemplate, IssuedDocument
from congress.services import documents as issuing
from evaluations.models import InquiryMotion
from tests.factories import MemberFactory, UnitFactory, UserFactory, liaison_for

from .helpers import open_docx, text_of

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def committee():
    return Committee.objects.create(name="清河县人民代表大会常务委员会", county="清河县", document_code="清人常")


@pytest.fixture
def staff():
    return UserFactory(username="staff-docs", roles=["staff"])


def inquiry_motion(unit_name="县自然资源局") -> InquiryMotion:
    motion = InquiryMotion.objects.create(
        unit=UnitFactory(name=unit_name),
        title=f"关于{unit_name}违法占地问题整改不力的质询案",
        questions="违法占地问题为何屡查屡犯？\n下一步整改措施和时限是什么？",
    )
    motion.cosigners.set(MemberFactory.create_batch(3))
    return motion


def county_template(text: str) -> bytes:
    """A county's own template, as staff would write it in Word: their own heading and words."""
    document = layout.new_document()
    layout.heading(document, "清河县人大常委会办公室")
    layout.title(document, "质询案（县人大常委会办公室版）")
    layout.paragraph(document, text)
    out = io.BytesIO()
    layout.save(document, out)
    return out.getvalue()


def test_numbers_run_on_per_kind_and_year(committee, staff):
    motion = inquiry_motion()
    with time_machine.travel("2026-12-30 10:00 +0800", tick=False):
        first = issuing.issue_document("inquiry_motion", motion, by=staff)
        second = issuing.issue_document("inquiry_motion", motion, by=staff)
    with time_machine.travel("2027-01-04 09:00 +0800", tick=False):
        next_year = issuing.issue_document("inquiry_motion", motion, by=staff)
    assert [first.number, second.number, next_year.number] == [
        "清人常质〔2026〕1号",
        "清人常质〔2026〕2号",
        "清人常质〔2027〕1号",
    ]
    assert open_docx(first.file.read()).paragraphs[1].text == "清人常质〔2026〕1号"
    assert first.file.name.startswith("documents/issued/")
    assert first.addressee == "县自然资源局" and first.unit == motion.unit
    from auditlog.models import LogEntry

    entries = LogEntry.objects.filter(object_pk=str(motion.pk), additional_data__verb="issue_document")
    assert entries.count() == 3


def test_a_refused_document_takes_no_number(committee, staff):
    motion = inquiry_motion()
    motion.cosigners.set(motion.cosigners.all()[:2])
    with pytest.raises(ValidationError):
        issuing.issue_document("inquiry_motion", motion, by=staff)
    motion.cosigners.add(MemberFactory())
    issued = issuing.issue_document("inquiry_motion", motion, by=staff)
    assert issued.serial == 1


def test_the_countys_own_template_is_used_for_the_next_document(committee, staff):
    motion = inquiry_motion()
    before = issuing.issue_document("inquiry_motion", motion, by=staff)
    upload = SimpleUploadedFile(
        "质询案模板.docx", county_template("{{ 被质询机关 }}：{{ 案由 }}，联名{{ 联名人数 }}人。"), content_type=DOCX
    )
    template = issuing.upload_template("inquiry_motion", upload, by=staff, note="办公室2026年版")
    assert template.version == 1 and template.active
    after = issuing.issue_document("inquiry_motion", motion, by=staff)
    assert (before.template_version, after.template_version) == (0, 1)
    text = text_of(open_docx(after.file.read()))
    assert "质询案（县人大常委会办公室版）" in text
    assert f"县自然资源局：{motion.title}，联名3人。" in text
    # A second version replaces the first; going back to the default keeps both on file.
    second = issuing.upload_template(
        "inquiry_motion", SimpleUploadedFile("v2.docx", county_template("{{ 案由 }}"), content_type=DOCX), by=staff
    )
    assert second.version == 2
    assert list(DocumentTemplate.objects.filter(active=True)) == [second]
    issuing.restore_default_template("inquiry_motion", by=staff)
    assert issuing.issue_document("inquiry_motion", motion, by=staff).template_version == 0
    assert DocumentTemplate.objects.count() == 2


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(committee, staff):
    upload = SimpleUploadedFile(
        "模板.docx", county_template("{{ 被质询机关 }}：{{ 答复期限 }}前答复。{{ 案由 }}"), content_type=DOCX
    )
    with pytest.raises(ValidationError) as refused:
        issuing.upload_template("inquiry_motion", upload, by=staff)
    message = " ".join(refused.value.messages)
    assert "{{ 答复期限 }}" in message
    assert "{{ 被质询机关 }}" not in message.split("Allowed")[0].split("可用")[0]
    assert not DocumentTemplate.objects.exists()


def test_staff_upload_a_template_in_the_back_office(client, committee, staff):
    client.force_login(staff)
    page = client.get("/admin/congress/documenttemplate/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "{{ 联名人数 }}" in body and "联名人数" in body  # each kind's placeholders, explained
    bad = SimpleUploadedFile("模板.docx", county_template("{{ 质询时间 }}"), content_type=DOCX)
    response = client.post("/admin/congress/documenttemplate/add/", {"kind": "inquiry_motion", "file": bad, "note": ""})
    assert response.status_code == 200 and "{{ 质询时间 }}" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    good = SimpleUploadedFile("模板.docx", county_template("{{ 案由 }}"), content_type=DOCX)
    response = client.post(
        "/admin/congress/documenttemplate/add/", {"kind": "inquiry_motion", "file": good, "note": "新版"}
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert (template.version, template.uploaded_by, template.note) == (1, staff, "新版")
    motion = inquiry_motion()
    preview = client.get(f"/admin/congress/documenttemplate/{template.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == DOCX
    assert motion.title in text_of(Document(io.BytesIO(preview.content)))


def test_staff_issue_from_the_records_page_and_download_it(client, committee, staff):
    motion = inquiry_motion()
    client.force_login(staff)
    page = client.get(f"/admin/evaluations/inquirymotion/{motion.pk}/change/")
    assert page.status_code == 200
    issue_url = f"/admin/congress/issueddocument/issue/inquiry_motion/{motion.pk}/"
    assert issue_url in page.content.decode()
    preview = client.get(f"/admin/congress/issueddocument/preview/inquiry_motion/{motion.pk}/")
    assert "（预览）" in text_of(Document(io.BytesIO(preview.content)))
    assert not IssuedDocument.objects.exists()  # a preview takes no number
    confirm = client.get(issue_url)
    assert "县自然资源局" in confirm.content.decode()
    client.post(issue_url)
    issued = IssuedDocument.objects.get()
    page = client.get(f"/admin/evaluations/inquirymotion/{motion.pk}/change/").content.decode()
    assert issued.number in page and issued.file.url in page
    download = client.get(issued.file.url)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    # The unit's liaison may have it; another unit's may not.
    client.force_login(liaison_for(motion.unit, username="liaison-zr"))
    assert client.get(issued.file.url).status_code == 200
    client.force_login(liaison_for(UnitFactory(name="县林业局"), username="liaison-ly"))
    assert client.get(issued.file.url).status_code == 403
