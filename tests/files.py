"""Real files of every type the system accepts, made the way the programs offices use make
them, and the hostile ones it must refuse. Tests upload these instead of bytes that merely
start like a PDF."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = "县水利局关于代表建议的答复") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["整改事项", "进度"])
    book.active.append(["城关镇排水管网改造", "80%"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ofd_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "OFD.xml",
            '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
            "</ofd:DocBody></ofd:OFD>",
        )
        z.writestr("Doc_0/Document.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:Document/>')
    return out.getvalue()


def _ole(stream_name: str, payload: bytes) -> bytes:
    """A compound file (the container of .doc and .xls) with one stream, as Word 97-2003 and
    Excel 97-2003 write them: 512-byte sectors, the stream in the regular sectors."""
    sector = 512
    payload = payload.ljust(max(4096, -(-len(payload) // sector) * sector), b"\0")
    data_sectors = len(payload) // sector
    end, free, fat_sector, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = [fat_sector, end] + [2 + i + 1 for i in range(data_sectors - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
            + struct.pack("<III", nostream, nostream, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, nostream, 2, len(payload))
    directory += entry("", 0, nostream, 0, 0) * 2
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + payload


def doc_bytes() -> bytes:
    return _ole("WordDocument", b"\xec\xa5\xc1\x00" + "答复函".encode("utf-16-le"))


def xls_bytes() -> bytes:
    return _ole("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00")


def image_bytes(kind: str = "JPEG", size=(320, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, kind)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_bytes(media: bytes = b"\0" * 2048, brand: bytes = b"isom") -> bytes:
    """An MP4 as a camera or a video editor writes it: file type, the movie header with one
    video track, then the media data."""
    ftyp = _box(b"ftyp", brand + b"\0\0\x02\0isomiso2avc1mp41")
    hdlr = _box(b"hdlr", b"\0\0\0\0" + b"\0\0\0\0" + b"vide" + b"\0" * 12 + b"VideoHandler\0")
    mdhd = _box(b"mdhd", b"\0" * 24)
    trak = _box(b"trak", _box(b"tkhd", b"\0" * 84) + _box(b"mdia", mdhd + hdlr))
    moov = _box(b"moov", _box(b"mvhd", b"\0" * 100) + trak)
    return ftyp + moov + _box(b"mdat", media)


REAL = {
    "答复函.pdf": pdf_bytes,
    "答复函.docx": docx_bytes,
    "答复函.doc": doc_bytes,
    "整改台账.xlsx": xlsx_bytes,
    "整改台账.xls": xls_bytes,
    "电子公文.ofd": ofd_bytes,
    "现场照片.jpg": lambda: image_bytes("JPEG"),
    "现场照片.png": lambda: image_bytes("PNG"),
    "海报.webp": lambda: image_bytes("WEBP"),
    "评议会议实况.mp4": mp4_bytes,
}

HOSTILE = {
    # A Windows program renamed .pdf.
    "exe": ("答复函.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 50 + b"PE\0\0" + b"\0" * 200),
    # A web page (it would run in the site's origin if served inline).
    "html": ("答复函.pdf", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
    "svg": (
        "照片.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>',
    ),
    "text": ("答复函.pdf", "这是一封答复函的文字，不是PDF。".encode()),
    # The first half of a real PDF: its end (the cross-reference and %%EOF) is missing.
    "truncated_pdf": ("答复函.pdf", pdf_bytes(3)[: len(pdf_bytes(3)) // 2]),
    # 49 bytes that start like an MP4: a file type box and nothing else.
    "tiny_mp4": ("评议会议实况.mp4", _box(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41") + b"\0" * 17),
}


def upload(name: str, content: bytes | None = None, content_type: str = "application/octet-stream"):
    """A file as the browser sends it: a real one of the type its name says, unless given."""
    if content is None:
        extension = name.rsplit(".", 1)[-1].lower()
        content = next(make for sample, make in REAL.items() if sample.endswith("." + extension))()
    return SimpleUploadedFile(name, content, content_type=content_type)
