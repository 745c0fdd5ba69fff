"""Files a county can trust: a unit's reply letter goes to the deputies it answers and to the
staff, and to nobody else; uploads are judged by what they contain, not by their names; nothing
under MEDIA_ROOT is reachable by its path. (tests/test_nginx_files.py runs the same requests
through nginx and gunicorn with production settings.)"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from congress import files, uploads
from suggestions import services
from suggestions.models import Reply
from tests import files as samples
from tests.factories import UnitFactory, UserFactory, deputy_with_login, liaison_for
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT = ""
    return settings.MEDIA_ROOT


def replied(client):
    """A suggestion of 陈志刚 co-signed by 刘淑珍, replied by 县水利局 through its portal with
    a signed letter. Returns (reply, lead, cosigner, liaison)."""
    lead, cosigner = deputy_with_login(name="陈志刚"), deputy_with_login(name="刘淑珍")
    suggestion = f.draft(lead, cosigners=[cosigner])
    services.submit_suggestion(suggestion, deputy=lead)
    services.respond_to_cosign(suggestion, deputy=cosigner, confirm=True)
    office = f.staff_user()
    services.accept_suggestion(suggestion, by=office)
    unit = UnitFactory(name="县水利局")
    liaison = liaison_for(unit)
    services.assign_suggestion(suggestion, lead_unit=unit, by=office)
    client.force_login(liaison)
    client.post(reverse("suggestions:unit_action", args=[suggestion.pk, "sign"]))
    response = client.post(
        reverse("suggestions:unit_action", args=[suggestion.pk, "reply"]),
        {"category": "A", "text": "排水管网已改造完成。", "letter": samples.upload("关于城关镇排水问题的答复函.pdf")},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    client.logout()
    return Reply.objects.get(suggestion=suggestion), lead, cosigner, liaison


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_reply_letter_downloads_for_its_deputies_and_staff_and_no_one_else(client, media):
    reply, lead, cosigner, liaison = replied(client)
    url = reply.letter.url
    assert url.startswith("/files/suggestions/replies/") and url.endswith(".pdf")
    stored = (media / reply.letter.name).read_bytes()
    assert stored.startswith(b"%PDF-")

    allowed = {
        "lead deputy": lead.user,
        "co-signer": cosigner.user,
        "the replying unit": liaison,
        "staff": f.staff_user("bgs_wang"),
        "leader": UserFactory(username="zhuren_li", roles=["leader"]),
    }
    for who, user in allowed.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, who
        assert body(response) == stored, who
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''" in response["Content-Disposition"].lower()
        assert response["Cache-Control"] == "private, no-store"

    refused = {
        "another deputy": deputy_with_login(name="王建华").user,
        "another unit": liaison_for(UnitFactory(name="县民政局")),
        "a member without back-office rights": UserFactory(username="changwei_zhao", roles=["member"]),
    }
    for who, user in refused.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, who
        assert stored not in body(response), who
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_nothing_under_media_root_is_reachable_by_its_path(client, media):
    reply, lead, *_ = replied(client)
    client.force_login(lead.user)
    assert client.get("/media/" + reply.letter.name).status_code == 404
    assert (
        client.get(reverse("files:download", args=["suggestions/replies/2026/x/../../../secret_key"])).status_code
        == 404
    )
    assert client.get(reverse("files:download", args=["suggestions/not-a-file.pdf"])).status_code == 404


def test_behind_nginx_the_checked_file_is_handed_over_not_sent(client, media, settings):
    reply, lead, *_ = replied(client)
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    client.force_login(lead.user)
    response = client.get(reply.letter.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/protected-media/suggestions/replies/")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(deputy_with_login(name="王建华").user)
    refused = client.get(reply.letter.url)
    assert refused.status_code == 403 and "X-Accel-Redirect" not in refused


def test_stored_under_a_generated_folder_and_downloaded_under_the_owners_name(client, media):
    reply, lead, *_ = replied(client)
    prefix, year, folder, name = reply.letter.name.split("/")[-4:]
    assert (prefix, name) == ("replies", "关于城关镇排水问题的答复函.pdf")
    assert len(folder) == 32 and year.isdigit()
    client.force_login(lead.user)
    disposition = client.get(reply.letter.url)["Content-Disposition"]
    assert disposition.startswith("inline") and "%E7%AD%94%E5%A4%8D%E5%87%BD.pdf" in disposition


@pytest.mark.parametrize("kind", sorted(samples.HOSTILE))
def test_a_hostile_letter_is_refused_with_a_message_and_nothing_written(client, media, kind):
    suggestion, _row, liaison = f.assigned()
    client.force_login(liaison)
    client.post(reverse("suggestions:unit_action", args=[suggestion.pk, "sign"]))
    name, content = samples.HOSTILE[kind]
    response = client.post(
        reverse("suggestions:unit_action", args=[suggestion.pk, "reply"]),
        {"category": "A", "text": "已解决。", "letter": samples.upload(name, content)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "此处不接受该文件" in page or "PDF文件不完整" in page or "MP4" in page
    assert not Reply.objects.exists()
    assert not (media / "suggestions").exists()


EXPECTED = {
    "答复函.pdf": uploads.PDF,
    "答复函.docx": uploads.DOCX,
    "答复函.doc": uploads.DOC,
    "整改台账.xlsx": uploads.XLSX,
    "整改台账.xls": uploads.XLS,
    "电子公文.ofd": uploads.OFD,
    "现场照片.jpg": uploads.JPEG,
    "现场照片.png": uploads.PNG,
    "海报.webp": uploads.WEBP,
    "评议会议实况.mp4": uploads.MP4,
}


@pytest.mark.parametrize("name", sorted(samples.REAL))
def test_real_files_of_each_accepted_type_pass(name):
    checked = uploads.check(samples.upload(name), uploads.ALL_TYPES, max_bytes=50 * uploads.MB)
    assert checked.content_type == EXPECTED[name].mime
    assert checked.name == name.rsplit(".", 1)[0] + "." + EXPECTED[name].extension


@pytest.mark.parametrize("kind", sorted(samples.HOSTILE))
def test_hostile_files_are_refused_whatever_field_they_reach(kind):
    name, content = samples.HOSTILE[kind]
    for types in (uploads.SIGNED, uploads.EVIDENCE, uploads.DOCUMENTS, uploads.IMAGES, uploads.VIDEOS):
        with pytest.raises(ValidationError):
            uploads.check(samples.upload(name, content), types, max_bytes=50 * uploads.MB)


def test_the_type_comes_from_the_bytes_and_the_extension_follows_it():
    photo = samples.upload("答复函.pdf", samples.image_bytes("JPEG"))  # a photo of the letter, misnamed
    checked = uploads.check(photo, uploads.SIGNED, max_bytes=uploads.MB)
    assert checked.name == "答复函.jpg" and checked.content_type == "image/jpeg"
    with pytest.raises(ValidationError) as refused:
        uploads.check(samples.upload("照片.jpg", samples.pdf_bytes()), uploads.IMAGES, max_bytes=uploads.MB)
    assert refused.value.code == "type_not_accepted"


def test_images_are_re_encoded_so_nothing_rides_along():
    carrier = samples.image_bytes("JPEG") + b"<script>alert(1)</script>"
    checked = uploads.check(samples.upload("照片.jpg", carrier), uploads.IMAGES, max_bytes=uploads.MB)
    assert b"<script>" not in checked.read()


def test_size_limits_and_names_are_kept_in_bounds():
    with pytest.raises(ValidationError) as refused:
        uploads.check(samples.upload("答复函.pdf"), uploads.SIGNED, max_bytes=100)
    assert refused.value.code == "too_large"
    assert uploads.clean_name("C:\\扫描件\\答复函 .PDF", "pdf") == "答复函.pdf"
    assert uploads.clean_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert uploads.clean_name("\u202egnp.exe", "png") == "gnp.png"
    assert uploads.clean_name("", "pdf") == "文件.pdf"


def test_every_file_field_belongs_to_a_record_with_a_rule():
    fields = list(files.record_file_fields())
    assert len(fields) >= 11
    for model, field in fields:
        assert isinstance(field, files.RecordFileField), f"{model._meta.label}.{field.name}"
        assert (model._meta.label_lower, field.name) in files.RULES
    call_command("check", "--fail-level", "ERROR")
