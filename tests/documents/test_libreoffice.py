"""The documents as they print: each kind issued from the demo county, converted to PDF by
Debian's LibreOffice (``soffice --headless --convert-to pdf``) and to pictures by poppler's
pdftoppm. The pages are A4, carry the red heading at the top, the number and the title, and
keep the page grid. Skipped where LibreOffice is not installed, except in CI (scripts/test
installs it)."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from congress import demo
from congress.models import Member, Official, User
from congress.services import documents as issuing
from evaluations.models import Campaign, InquiryMotion, Interview, Subject
from suggestions.models import Assignment, YearStatistics

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice")
PDFTOPPM = shutil.which("pdftoppm")
needs_libreoffice = pytest.mark.skipif(
    not (SOFFICE and PDFTOPPM) and not os.environ.get("CI"),
    reason="LibreOffice (libreoffice-writer-nogui) and poppler-utils are installed by scripts/test",
)


FONTS = Path(__file__).resolve().parents[2] / "deploy" / "fontconfig" / "65-gbt9704.conf"


def to_pdf(docx_files: list[Path], out: Path) -> None:
    """Convert with a throwaway LibreOffice profile, the GB/T 9704 fonts' fallbacks in force."""
    profile = out / "lo-profile"
    fonts = out / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<include>{FONTS}</include></fontconfig>"
    )
    subprocess.run(  # noqa: S603 - fixed programs on files the test wrote
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docx_files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
    )


def to_pictures(pdf: Path) -> list[Path]:
    subprocess.run(  # noqa: S603
        [PDFTOPPM, "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True, timeout=60
    )
    return sorted(pdf.parent.glob(pdf.stem + "-*.png"))


def red_share(image: Image.Image, box) -> float:
    region = image.convert("RGB").crop(box)
    pixels = list(region.get_flattened_data())
    red = sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80)
    return red / len(pixels)


@needs_libreoffice
def test_every_document_prints_on_a4_with_its_heading(tmp_path):
    demo.load_demo()
    demo.load_extensions()
    staff = User.objects.get(username="staff")
    campaign = Campaign.objects.get(year=timezone.localdate().year - 1, kind="work")
    education = Subject.objects.get(campaign=campaign, unit__name="县教育局")
    rectification = education.rectification
    interview = Interview.objects.create(
        rectification=rectification,
        held_on=datetime.date(2026, 12, 18),
        official=Official.objects.get(unit=education.unit, is_head=True, active=True),
        led_by=Member.objects.filter(position=Member.Position.VICE_DIRECTOR).first(),
        reason="整改计划逾期未报",
        record="（约谈后填写）",
    )
    motion = InquiryMotion.objects.create(
        subject=education,
        unit=education.unit,
        title="关于县教育局连续两年评议未通过的质询案",
        questions="大班额问题为何两年未见成效？\n教师缺编问题的解决时间表是什么？",
    )
    motion.cosigners.set(Member.objects.order_by("pk")[:3])
    issued = [
        issuing.issue_document("evaluation_report", campaign, by=staff),
        issuing.issue_document("opinions", rectification, by=staff),
        issuing.issue_document("evaluation_feedback", education, by=staff),
        issuing.issue_document("interview_notice", interview, by=staff),
        issuing.issue_document("inquiry_motion", motion, by=staff),
    ]
    lead = Assignment.objects.filter(role="lead", status="active", due_at__isnull=False).order_by("pk").first()
    statistics, _created = YearStatistics.objects.get_or_create(year=timezone.localdate().year)
    issued += [
        issuing.issue_document("assignment_letter", lead, by=staff),
        issuing.issue_document("supervision_letter", lead, by=staff),
        issuing.issue_document("suggestion_report", statistics, by=staff),
    ]
    files = []
    for i, document in enumerate(issued):
        path = tmp_path / f"{i}-{document.kind}.docx"
        with document.file.open("rb") as handle:
            path.write_bytes(handle.read())
        files.append(path)
    to_pdf(files, tmp_path)
    for path, document in zip(files, issued, strict=True):
        pdf = path.with_suffix(".pdf")
        reader = PdfReader(pdf)
        first = reader.pages[0]
        width_mm, height_mm = float(first.mediabox.width) * 25.4 / 72, float(first.mediabox.height) * 25.4 / 72
        assert (round(width_mm), round(height_mm)) == (210, 297)
        text = "".join(page.extract_text() for page in reader.pages)
        assert document.number in text.replace(" ", "")
        assert "—1—" in text.replace(" ", "")  # the page number
        pictures = to_pictures(pdf)
        assert len(pictures) == len(reader.pages)
        page = Image.open(pictures[0])
        w, h = page.size
        # The red heading and rule sit at the top of the first page, and nothing red below them.
        assert red_share(page, (0, 0, w, h * 2 // 5)) > 0.005
        assert red_share(page, (0, h // 2, w, h)) == 0
