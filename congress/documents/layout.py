"""The national format of official documents (GB/T 9704-2012, 党政机关公文格式), in python-docx.

The default template of every document kind is drawn with these pieces by
``manage.py build_document_templates``: an A4 page whose text area is 156 × 225 mm (top margin
37 mm, bottom 35 mm, left 28 mm, right 26 mm), 22 lines of 28 characters (the line pitch is
exactly 28.95 pt: 225 mm / 22 lines), the issuing body's heading in red 方正小标宋简体, the
document number (文号, e.g. 清人常〔2026〕12号) under it and a red rule, the title in 方正小标宋简体
二号 (22 pt), the body in 仿宋_GB2312 三号 (16 pt), level headings in 黑体 and 楷体_GB2312, the
issuing body's name and date on the right with room above them for the seal, and page numbers
"— 1 —" in 宋体 四号 (14 pt), odd pages on the right and even pages on the left.

Fonts are named as the format names them (``w:eastAsia``). Where a computer lacks them Word
follows the font table's alternative names (``w:altName``: 仿宋, 宋体, 黑体, 楷体, which Windows
ships) and LibreOffice its own replacement table (on Debian: Noto Serif/Sans CJK), so the page
keeps its grid: the line pitch is exact and does not depend on the font.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Font names exactly as GB/T 9704 names them, and what to use where they are missing.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
FALLBACKS = {
    XIAOBIAOSONG: ("华文中宋", "宋体"),
    FANGSONG: ("仿宋", "FangSong"),
    KAITI: ("楷体", "KaiTi"),
    HEITI: ("SimHei",),
    SONGTI: ("SimSun",),
}

# Sizes (字号) in points.
ERHAO = Pt(22)  # 二号: titles, the issuing body's heading is larger
SANHAO = Pt(16)  # 三号: body text
SIHAO = Pt(14)  # 四号: page numbers
XIAOSI = Pt(12)  # 小四: tables
# 发文机关标志: at most 22 × 15 mm a character; 26 pt narrowed to 90 % keeps a county's
# "XX县人民代表大会常务委员会文件" (15 to 18 characters) on one line of the 156 mm text area.
HEADING_SIZE = Pt(26)
HEADING_SCALE = 90
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
RED = RGBColor(0xFF, 0x00, 0x00)

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_fonts(run_or_style, east_asia: str, *, size=None, bold: bool | None = None, color=None) -> None:
    """Name the font for Chinese (``w:eastAsia``) and Latin text of a run or a style."""
    font = run_or_style.font
    font.name = LATIN
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def exact_spacing(paragraph_format, *, before=0, after=0) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_PITCH
    paragraph_format.space_before = Pt(before)
    paragraph_format.space_after = Pt(after)


def _page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)  # 页码 under the text, 7 mm
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    # 22 lines × 28 characters: the line pitch in twentieths of a point.
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), "0")


def save(document, target) -> None:
    """Write ``document`` to ``target`` (a path or a binary file), its font table declaring each
    font with its alternatives (``w:altName``), so that a computer without 仿宋_GB2312 or 方正小标宋
    falls back to the closest Chinese font it has rather than to a Latin one."""
    drawn = io.BytesIO()
    document.save(drawn)
    data = with_font_fallbacks(drawn.getvalue())
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def with_font_fallbacks(docx: bytes) -> bytes:
    """The .docx with its ``word/fontTable.xml`` declaring FALLBACKS (every other part as it was)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/fontTable.xml":
                data = _font_table_xml(data)
            target.writestr(item, data)
    return out.getvalue()


def _font_table_xml(xml: bytes) -> bytes:
    from docx.oxml.parser import parse_xml
    from lxml import etree

    root = parse_xml(xml)
    for name, alternatives in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternatives[0])
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name == HEITI else "roman")
        font.append(family)
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_paragraph(footer, align) -> None:
    """ "— 1 —" in 宋体 四号, one character in from the outer edge."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = SIHAO
    else:
        fmt.left_indent = SIHAO

    def text(value):
        run = paragraph.add_run(value)
        set_fonts(run, SONGTI, size=SIHAO)

    text("— ")
    run = paragraph.add_run()
    set_fonts(run, SONGTI, size=SIHAO)
    for kind, value in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif value == "1":
            t = OxmlElement("w:t")
            t.text = "1"
            run._r.append(t)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
    text(" —")


def new_document():
    """An empty official document: A4, the GB/T 9704 margins and grid, 仿宋_GB2312 三号 body text
    with exact 28.95 pt lines, and page numbers."""
    document = Document()
    section = document.sections[0]
    _page(section)
    normal = document.styles["Normal"]
    set_fonts(normal, FANGSONG, size=SANHAO)
    exact_spacing(normal.paragraph_format)
    normal.paragraph_format.widow_control = False
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document


def paragraph(
    document,
    text: str = "",
    *,
    font: str = FANGSONG,
    size=SANHAO,
    align=None,
    indent: bool = True,
    bold: bool | None = None,
    color=None,
    before: float = 0,
    after: float = 0,
):
    """A paragraph of body text (first line indented two characters unless ``indent`` is off)."""
    p = document.add_paragraph()
    exact_spacing(p.paragraph_format, before=before, after=after)
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)
    if text:
        run = p.add_run(text)
        set_fonts(run, font, size=size, bold=bold, color=color)
    return p


def heading(document, issuer: str = "{{ 发文机关 }}", *, number: str = "{{ 文号 }}", letter: bool = False) -> None:
    """The red heading (版头): the issuing body's name (with 文件 for a document, without for a
    letter, 信函格式), the document number and the red rule."""
    p = paragraph(
        document,
        issuer if letter else issuer + "文件",
        font=XIAOBIAOSONG,
        size=HEADING_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), str(HEADING_SCALE))
    p.runs[0]._r.get_or_add_rPr().append(scale)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Pt(LINE_PITCH.pt * 1)
    p.paragraph_format.space_after = Pt(LINE_PITCH.pt * 1)
    rule_holder = paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The red rule under the number (版头中的分隔线), 156 mm long, the text area's width.
    ppr = rule_holder._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "FF0000")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    ppr.append(borders)
    paragraph(document, "")  # a blank line before the title


def title(document, text: str, *, blank_after: bool = True) -> None:
    """The title: 方正小标宋简体 二号, centred, a blank line after it."""
    p = paragraph(document, text, font=XIAOBIAOSONG, size=ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.line_spacing = Pt(36)  # two-line titles keep a readable leading
    if blank_after:
        paragraph(document, "")


def addressee(document, text: str) -> None:
    """The main addressee (主送机关), flush left, ending with a full-width colon."""
    paragraph(document, text + "：", indent=False)


def level_one(document, text: str) -> None:
    """A first-level heading (一、) in 黑体."""
    paragraph(document, text, font=HEITI)


def level_two(document, text: str) -> None:
    """A second-level heading (（一）) in 楷体_GB2312."""
    paragraph(document, text, font=KAITI)


def signature(document, issuer: str = "{{ 发文机关 }}", date: str = "{{ 成文日期 }}") -> None:
    """The issuing body and the date (成文日期, right, four characters in) with three blank lines
    above for the seal (印章 pressed over the name and date)."""
    for _ in range(3):
        paragraph(document, "")
    for text in (issuer, date):
        p = paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(SANHAO.pt * 4)


def control(document, tag: str) -> None:
    """A docxtpl paragraph tag (``{%p for … %}``, ``{%p endfor %}``): the paragraph holding it
    disappears from the rendered document."""
    paragraph(document, "{%p " + tag + " %}", indent=False)


def loop_table(document, headers: list[str], cells: list[str], *, loop: str, widths_mm: list[float] | None = None):
    """A table with a header row and one row per item (docxtpl ``{%tr for … %}``), in 仿宋_GB2312
    小四 (headers in 黑体), single lines, borders all round."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = 1  # centred on the page
    table.autofit = False
    if widths_mm:
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
    rows = table.rows
    contents = [
        headers,
        ["{%tr for " + loop + " %}"] + [""] * (len(headers) - 1),
        cells,
        ["{%tr endfor %}"] + [""] * (len(headers) - 1),
    ]
    for row, texts in zip(rows, contents, strict=True):
        for i, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            if widths_mm:
                cell.width = Mm(widths_mm[i])
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.first_line_indent = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            set_fonts(run, HEITI if row is rows[0] else FANGSONG, size=XIAOSI)
    return table
