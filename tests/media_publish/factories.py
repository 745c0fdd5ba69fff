"""Publications built through the services as staff would: a decided work evaluation with its
column, drafts of each stage, published, scheduled or withdrawn; meeting recordings."""

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from media_publish import services
from media_publish.models import BroadcastSlot, Column, Publication, Recording
from tests import files
from tests.evaluations.test_rectification import delivered
from tests.factories import UserFactory

K = Publication.Kind
TV_HOST = "tv.qinghe.example.cn"
TV_PAGE = f"https://{TV_HOST}/vod/2026/renda-pingyi.html"


def staff_user(username="publisher"):
    return UserFactory(username=username, roles=["staff"])


def decided_column(n_units=3):
    """A decided work evaluation of ``n_units`` units (the first failed, its opinions delivered)
    and its column. Returns (column, rectification)."""
    rectification, *_people = delivered(n_units=n_units)
    campaign = rectification.subject.campaign
    return services.open_column(campaign), rectification


def published(column, kind=K.RESULTS, *, by=None, **fields) -> Publication:
    return services.publish(services.draft_publication(column, kind=kind, by=by, **fields), by=by)


def mp4_bytes(size: int = 4096, brand: bytes = b"isom") -> bytes:
    """A real MP4 file (file type, the movie header with a video track, the media data) of
    about ``size`` bytes."""
    overhead = len(files.mp4_bytes(media=b"", brand=brand))
    return files.mp4_bytes(media=b"\0" * max(size - overhead, 8), brand=brand)


def mp4_upload(name="评议会议实况.mp4", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, mp4_bytes(**kwargs), content_type="video/mp4")


def png_bytes(width=32, height=18) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\xa4\x16\x1a" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def recording(column: Column, *, upload=True, **fields) -> Recording:
    values = {
        "title": "2026年度部门工作评议会议实况",
        "recorded_on": datetime.date(2026, 12, 18),
        "description": "被评议单位负责人报告工作，人大代表现场提问并测评。",
        "poster_alt": "评议会议现场",
    }
    values.update(fields)
    rec = Recording(column=column, **values)
    if upload:
        rec.video = mp4_upload()
        rec.poster = SimpleUploadedFile("poster.png", png_bytes(), content_type="image/png")
    elif not rec.embed_url:
        rec.embed_url = TV_PAGE
    rec.full_clean()
    rec.save()
    start = timezone.make_aware(datetime.datetime(2026, 12, 20, 20, 0))
    BroadcastSlot.objects.create(recording=rec, channel="清河县电视台综合频道", airs_at=start)
    BroadcastSlot.objects.create(
        recording=rec, channel="清河县电视台公共频道", airs_at=start + datetime.timedelta(days=1, hours=-8)
    )
    return rec
