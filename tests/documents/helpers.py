"""Reading generated documents back with python-docx, as a reviewer would check them."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def text_of(document) -> str:
    """Every paragraph's text, tables included, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def east_asia_font(run) -> str:
    fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else ""


def paragraph_with(document, text: str):
    return next(p for p in document.paragraphs if text in p.text)


def assert_official_format(document, *, title: str, number: str, addressee: str | None):
    """The GB/T 9704 marks: A4 with its margins, the red heading in 方正小标宋简体, the number,
    the title in 方正小标宋简体 二号, the addressee, body text in 仿宋_GB2312 三号 on exact
    28.95 pt lines, and the page number field in the footer."""
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    heading = document.paragraphs[0]
    assert heading.text.endswith(("人民代表大会常务委员会文件", "人民代表大会常务委员会"))
    assert east_asia_font(heading.runs[0]) == "方正小标宋简体"
    assert str(heading.runs[0].font.color.rgb) == "FF0000"
    assert document.paragraphs[1].text == number
    heading_title = paragraph_with(document, title)
    assert east_asia_font(heading_title.runs[0]) == "方正小标宋简体"
    assert heading_title.runs[0].font.size == Pt(22)
    if addressee is not None:
        assert any(p.text == addressee + "：" for p in document.paragraphs)
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    body = [p for p in document.paragraphs if p.paragraph_format.first_line_indent == Pt(32) and p.runs]
    assert body, "no body paragraph"
    for p in body:
        for run in p.runs:
            assert east_asia_font(run) in ("仿宋_GB2312", "黑体", "楷体_GB2312")
            assert run.font.size == Pt(16)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
