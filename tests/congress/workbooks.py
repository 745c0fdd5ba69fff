"""Workbooks built the way county offices build them: a merged title row, a blank row, the
header on row 3 with the names offices use, 序号 numbered by hand, names padded with full-width
spaces, numbers stored as numbers, birth months as Excel dates, as text 1962.01 and as the
number 1962.01, phones written 137 0231 7759 or 137-0231-7759."""

import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from stdnum.cn import ric

OFFICE_HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "代表层级",
    "所在代表小组",
    "职业类别",
    "文化程度",
    "工作单位及职务",
    "联系电话",
    "公民身份号码",
    "备注",
]


def id_number(born: datetime.date, serial: int, *, female=False, region="371526") -> str:
    """A citizen ID number with a correct check digit (the 17th digit odd for a man)."""
    sequence = serial * 2 + (0 if female else 1)
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


# The roster of the county's deputies: 14 rows over 4 township groups, every variant at once.
DEPUTIES = [
    # name, gender, ethnicity, birth (as the cell holds it), party, level, group, occupation,
    # education, workplace, phone (as typed), born, serial
    (
        "张　伟",
        "男",
        "汉族",
        "1962.01",
        "中共党员",
        "县级",
        "城关镇代表小组",
        "党政干部",
        "大学本科",
        "城关镇党委书记",
        "137 0231 7759",
        datetime.date(1962, 1, 15),
        1,
    ),
    (
        "李　娜",
        "女",
        "回族",
        datetime.datetime(1980, 7, 1),
        "群众",
        "县级",
        "城关镇代表小组",
        "专业技术人员",
        "大专",
        "县人民医院护士长",
        "137-0231-7760",
        datetime.date(1980, 7, 1),
        2,
    ),
    (
        "王　芳",
        "女",
        "汉族",
        1968.03,
        "中共党员",
        "乡镇级",
        "河西乡代表小组",
        "农民",
        "高中",
        "河西乡王庄村党支部书记",
        13702317761,
        datetime.date(1968, 3, 9),
        3,
    ),
    (
        "赵建国",
        "男",
        "汉族",
        "1971年10月",
        "中共",
        "县级",
        "河西乡代表小组",
        "企业负责人",
        "研究生",
        "县建国机械有限公司董事长",
        "１３７０２３１７７６２",
        datetime.date(1971, 10, 2),
        4,
    ),
    (
        "刘　洋",
        "男",
        "汉族",
        "1985.11",
        "共青团员",
        "县级",
        "东山镇代表小组",
        "工人",
        "中专",
        "县电力公司线路工",
        "+86 166 0231 7763",
        datetime.date(1985, 11, 20),
        5,
    ),
    (
        "陈秀英",
        "女",
        "汉族",
        "1959.06",
        "中共党员",
        "县级",
        "东山镇代表小组",
        "农民",
        "初中",
        "东山镇陈家村村民",
        "199 0231 7764",
        datetime.date(1959, 6, 6),
        6,
    ),
    (
        "杨　帆",
        "男",
        "汉族",
        "1990.02",
        "无党派人士",
        "乡镇级",
        "北关街道代表小组",
        "其他",
        "大学本科",
        "北关街道社区工作者",
        "192-0231-7765",
        datetime.date(1990, 2, 14),
        7,
    ),
]


def deputies_workbook(rows=None, *, title="某某县第十八届人民代表大会代表名册") -> BytesIO:
    """The county deputies' roster as the office keeps it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "县人大代表"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OFFICE_HEADER))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([])
    sheet.append(OFFICE_HEADER)
    for n, row in enumerate(DEPUTIES if rows is None else rows, start=1):
        cells = list(row[:11])
        born, serial = row[11], row[12]
        cells.append(id_number(born, serial, female=row[1] == "女") if serial else "")
        sheet.append([n, *cells, ""])
        birth = sheet.cell(row=sheet.max_row, column=5)
        if isinstance(birth.value, datetime.datetime):
            birth.number_format = "yyyy.mm"
    sheet.append([])
    sheet.append(["制表人：代表工委", None, None, None, None, None, None, None, None, None, "2026年11月"])
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def table_workbook(header, rows, *, title="", blank_rows=1) -> BytesIO:
    """Any roster with a merged title over its header, as offices lay them out."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        for _ in range(blank_rows):
            sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out
