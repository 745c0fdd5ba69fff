"""Uploads judged by their content, never by their name.

Every file a deputy, a unit's liaison or the staff upload (a reply letter, a signed
rectification plan, evidence, an attachment, a meeting video, a poster) passes ``check``: the
type is read from the bytes (``filetype``), must be one the field accepts, and the file is
opened far enough to know it is what it claims: a PDF has its end and at least one page, an
Office file holds its document, an image decodes (and is re-encoded, which drops whatever else
rode along), an MP4 has its boxes end to end with a movie header and a video track. HTML, SVG,
scripts and programs are never accepted, whatever their name says.

The file keeps the name its owner gave it (cleaned) with the extension of its real type; where
it is stored is decided by ``congress.files``.
"""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
HEAD = 8192
MAX_IMAGE_PIXELS = 60_000_000  # a 300 dpi A3 scan is about 17 million
MAX_UNZIPPED = 300 * MB  # an Office file is a zip: refuse one that would unpack to more


@dataclass(frozen=True)
class FileType:
    """A type a field can accept: its extension, MIME type and the words staff read."""

    key: str
    extension: str
    mime: str
    label: str


PDF = FileType("pdf", "pdf", "application/pdf", "PDF")
DOCX = FileType("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")
DOC = FileType("doc", "doc", "application/msword", "Word")
XLSX = FileType("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel")
XLS = FileType("xls", "xls", "application/vnd.ms-excel", "Excel")
JPEG = FileType("jpeg", "jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "png", "image/png", "PNG")
WEBP = FileType("webp", "webp", "image/webp", "WebP")
MP4 = FileType("mp4", "mp4", "video/mp4", "MP4")
# OFD (GB/T 33190), the national format of signed electronic documents: a zip with OFD.xml.
OFD = FileType("ofd", "ofd", "application/ofd", "OFD")

ALL_TYPES = (PDF, OFD, DOCX, DOC, XLSX, XLS, JPEG, PNG, WEBP, MP4)
MIME_BY_EXTENSION = {t.extension: t.mime for t in ALL_TYPES}

# What each kind of field accepts.
DOCUMENTS = (PDF, OFD, DOCX, DOC, XLSX, XLS)  # reports, plans, survey reports
# Signed letters and documents: the signed PDF or OFD, a photo or scan of the paper, or Word.
SIGNED = (PDF, OFD, JPEG, PNG, DOCX, DOC)
EVIDENCE = (PDF, OFD, DOCX, DOC, XLSX, XLS, JPEG, PNG)  # minutes, photos, lists, tables
IMAGES = (JPEG, PNG, WEBP)
VIDEOS = (MP4,)


class UploadRefused(ValidationError):
    pass


def _refuse(message, code: str, **params) -> UploadRefused:
    return UploadRefused(message, code=code, params=params)


def accepted_words(types) -> str:
    labels: list[str] = []
    for t in types:
        if t.label not in labels:
            labels.append(t.label)
    return "、".join(labels)


# -- reading the bytes --------------------------------------------------------------------


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def _sniff(head: bytes) -> str:
    """The key of the type the bytes say, or "" when none that any field accepts."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    kind = filetype.guess(head)
    if kind is None:
        return ""
    return {"jpg": "jpeg", "png": "png", "webp": "webp", "mp4": "mp4", "m4v": "mp4", "mov": "mov"}.get(
        kind.extension, kind.extension
    )


def _check_pdf(upload) -> FileType:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    size = upload.size
    upload.seek(max(size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise _refuse(_("This PDF is incomplete (its end is missing): upload the whole file again."), "pdf_truncated")
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(_("This PDF is locked with a password: upload a copy without one."), "pdf_encrypted")
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, struct.error, RecursionError) as exc:
        raise _refuse(_("This PDF cannot be opened: it is damaged or not a PDF."), "pdf_damaged") from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise _refuse(_("This PDF has no pages."), "pdf_empty")
    return PDF


ZIP_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "OFD.xml": OFD}


def _check_zip(upload) -> FileType:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            found = next((t for part, t in ZIP_MAIN.items() if part in names), None)
            if found is None or (found is not OFD and "[Content_Types].xml" not in names):
                raise _refuse(
                    _("This is a zip archive, not a Word, Excel or OFD document."),
                    "zip_not_office",
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise _refuse(_("This document unpacks to far too much data to be a real one."), "zip_bomb")
            if archive.testzip() is not None:
                raise _refuse(_("This document is damaged: open it in Word or Excel and save it again."), "zip_damaged")
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise _refuse(
            _("This document is damaged: open it in Word or Excel and save it again."), "zip_damaged"
        ) from exc
    finally:
        upload.seek(0)
    return found


def _check_ole(upload) -> FileType:
    import olefile

    try:
        with olefile.OleFileIO(upload) as ole:
            if ole.exists("WordDocument"):
                return DOC
            if ole.exists("Workbook") or ole.exists("Book"):
                return XLS
    except OSError as exc:  # olefile raises OSError for a damaged container
        raise _refuse(
            _("This document is damaged: open it in Word or Excel and save it again."), "ole_damaged"
        ) from exc
    finally:
        upload.seek(0)
    raise _refuse(_("This old Office file is neither a Word document nor an Excel workbook."), "ole_other")


PIL_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}


def _check_image(upload) -> tuple[FileType, bytes]:
    """Decode the image whole and encode it again: what comes out holds pixels only."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as probe:
            found = PIL_FORMATS.get(probe.format or "")
            if found is None:
                raise _refuse(_("This image format is not accepted."), "image_format")
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise _refuse(_("This image is far too large (more than 60 million pixels)."), "image_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            out = io.BytesIO()
            if found is JPEG:
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90, optimize=True)
            elif found is PNG:
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=90)
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(_("This image cannot be read: it is damaged or not an image."), "image_damaged") from exc
    finally:
        upload.seek(0)
    return found, out.getvalue()


BOX = struct.Struct(">I4s")
BOX_TYPE = re.compile(rb"^[A-Za-z0-9 \xa9]{4}$")


def _boxes(upload, start: int, end: int):
    """(type, offset of content, end) of each box between ``start`` and ``end``; raises
    ValueError when the boxes do not chain exactly to ``end``."""
    offset = start
    while offset < end:
        upload.seek(offset)
        header = upload.read(8)
        if len(header) < 8:
            raise ValueError("short box header")
        size, kind = BOX.unpack(header)
        content = offset + 8
        if size == 1:
            large = upload.read(8)
            if len(large) < 8:
                raise ValueError("short large size")
            size = struct.unpack(">Q", large)[0]
            content += 8
        elif size == 0:
            size = end - offset
        if not BOX_TYPE.match(kind) or size < content - offset or offset + size > end:
            raise ValueError("box out of bounds")
        yield kind, content, offset + size
        offset += size


def _check_mp4(upload) -> FileType:
    """The top-level boxes must run end to end over the whole file and hold a file type
    (ftyp), the media data (mdat) and a movie header (moov) with a video track."""
    try:
        top = {}
        for kind, content, end in _boxes(upload, 0, upload.size):
            top.setdefault(kind, (content, end))
        if not {b"ftyp", b"moov", b"mdat"} <= top.keys():
            raise ValueError("missing top-level box")
        upload.seek(top[b"ftyp"][0])
        if upload.read(4) == b"qt  ":  # a QuickTime movie: phones' browsers do not all play it
            raise ValueError("QuickTime, not MP4")
        has_video = False
        moov_start, moov_end = top[b"moov"]
        for kind, content, end in _boxes(upload, moov_start, moov_end):
            if kind != b"trak":
                continue
            for mdia, mdia_start, mdia_end in _boxes(upload, content, end):
                if mdia != b"mdia":
                    continue
                for hdlr, hdlr_start, _hdlr_end in _boxes(upload, mdia_start, mdia_end):
                    if hdlr == b"hdlr":
                        upload.seek(hdlr_start + 8)  # version, flags, pre_defined
                        if upload.read(4) == b"vide":
                            has_video = True
        if not has_video:
            raise ValueError("no video track")
    except (ValueError, struct.error, OSError) as exc:
        raise _refuse(
            _("This file is not a playable MP4 video. Export the recording as MP4 (H.264) and upload it again."),
            "mp4_damaged",
        ) from exc
    finally:
        upload.seek(0)
    return MP4


# -- names --------------------------------------------------------------------------------

UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029\u200b-\u200f\u202a-\u202e]')


def clean_name(original: str, extension: str) -> str:
    """The owner's name for the file, safe on any disk and in any browser, with the extension
    of its real type: 'C:\\扫描\\答复函 .PDF' -> '答复函.pdf'; an empty name becomes 文件."""
    base = re.split(r"[/\\]", original or "")[-1]
    base = unicodedata.normalize("NFC", base)
    stem, _dot, _ext = base.rpartition(".") if "." in base else (base, "", "")
    stem = UNSAFE_NAME.sub("", stem).strip(" .\u3000") or "文件"
    return f"{stem[:80]}.{extension}"


# -- the check ------------------------------------------------------------------------------


def check(upload: UploadedFile, types, *, max_bytes: int) -> UploadedFile:
    """Return the upload when its content is one of ``types`` (renamed to its cleaned name with
    the real extension; an image re-encoded), or raise ValidationError with a message in
    Chinese saying what was wrong and what is accepted."""
    words = accepted_words(types)
    if upload.size == 0:
        raise _refuse(_("The file is empty."), "empty")
    if upload.size > max_bytes:
        raise _refuse(
            _("The file is too large: %(size)s, while at most %(limit)s is accepted here."),
            "too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(max_bytes),
        )
    sniffed = _sniff(_read_head(upload))
    wanted = {t.key for t in types}
    if sniffed == "pdf" and "pdf" in wanted:
        found = _check_pdf(upload)
    elif sniffed == "zip" and wanted & {"docx", "xlsx", "ofd"}:
        found = _check_zip(upload)
    elif sniffed == "ole" and wanted & {"doc", "xls"}:
        found = _check_ole(upload)
    elif sniffed in ("jpeg", "png", "webp") and sniffed in wanted:
        found, encoded = _check_image(upload)
        upload = InMemoryUploadedFile(
            io.BytesIO(encoded), upload.field_name, upload.name, found.mime, len(encoded), None
        )
    elif sniffed == "mp4" and "mp4" in wanted:
        found = _check_mp4(upload)
    else:
        raise _refuse(
            _(
                "This file is not accepted here: only %(accepted)s files are. (The file's name does not decide its type.)"
            ),
            "type_not_accepted",
            accepted=words,
        )
    if found not in types:
        raise _refuse(
            _(
                "This file is not accepted here: only %(accepted)s files are. (The file's name does not decide its type.)"
            ),
            "type_not_accepted",
            accepted=words,
        )
    upload.name = clean_name(upload.name, found.extension)
    upload.content_type = found.mime
    return upload


class UploadField(forms.FileField):
    """A form's file field that accepts only files whose content is one of ``types``, up to
    ``max_mb`` megabytes (the browser is told the types too, so the phone offers the right
    files first)."""

    def __init__(self, *, types=DOCUMENTS, max_mb: float = 20, **kwargs):
        self.types = tuple(types)
        self.max_bytes = int(max_mb * MB)
        kwargs.setdefault(
            "help_text",
            _("%(accepted)s, at most %(limit)s.")
            % {"accepted": accepted_words(self.types), "limit": filesizeformat(self.max_bytes)},
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault(
                "accept", ",".join(sorted({f".{t.extension}" for t in self.types} | {t.mime for t in self.types}))
            )
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return check(value, self.types, max_bytes=self.max_bytes)
        return value


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()
