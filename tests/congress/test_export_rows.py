"""Exports read their records as plain values in a fixed number of queries, and write the same
cells as before: choice labels, masked ID numbers, a year-and-month birth as 1962.01, empty
values as empty cells (rows keep the header's width when read back)."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from congress import xlsx
from congress.exports import export_roster
from congress.models import Role
from congress.services.imports import roster_for
from tests import factories


def read_back(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def group(db):
    term = factories.TermFactory(is_current=True)
    return factories.DeputyGroupFactory(term=term, name="城关镇代表小组")


@pytest.mark.parametrize("count", [2, 30])
def test_the_deputies_roster_takes_the_same_queries_whatever_its_size(group, count, django_assert_max_num_queries):
    factories.DeputyFactory.create_batch(count, term=group.term, group=group)
    # The current term, then the deputies with their group's name in one query.
    with django_assert_max_num_queries(2):
        header, *rows = read_back(export_roster("deputies"))
    assert len(rows) == count
    assert {row[header.index("所在代表小组")] for row in rows} == {"城关镇代表小组"}


def test_the_deputies_roster_writes_labels_masks_and_months(group):
    factories.DeputyFactory(
        term=group.term,
        group=group,
        name="李秀英",
        gender="F",
        occupation="professional",
        education="bachelor",
        level="township",
        birth_date=datetime.date(1962, 1, 1),
        birth_month_only=True,
        id_number="371526196201012346",
        email="",
    )
    factories.DeputyFactory(
        term=group.term, group=None, name="赵强", gender="M", education="", birth_date=datetime.date(1975, 6, 30)
    )
    header, *rows = read_back(export_roster("deputies"))
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}

    li = by_name["李秀英"]
    assert (li["性别"], li["文化程度"], li["代表层级"], li["职业类别"]) == ("女", "大学本科", "乡镇级", "专业技术人员")
    assert li["出生年月"] == "1962.01"
    assert li["公民身份号码"] == "371526********2346"
    assert li["电子邮箱"] is None
    zhao = by_name["赵强"]
    assert zhao["出生年月"].date() == datetime.date(1975, 6, 30)
    assert (zhao["文化程度"], zhao["所在代表小组"]) == (None, None)

    whole = read_back(export_roster("deputies", full_id=True))
    assert "371526196201012346" in {row[-1] for row in whole}


def test_the_units_roster_names_each_units_first_liaison_in_one_query(db, django_assert_max_num_queries):
    from django.contrib.auth.models import Group

    factories.TermFactory(is_current=True)
    units = factories.UnitFactory.create_batch(3)
    liaisons = Group.objects.get_or_create(name=Role.LIAISON)[0]
    for n, unit in enumerate(units[:2]):
        user = factories.UserFactory(
            username=f"1390000000{n}", last_name=f"联络员{n}", phone=f"1390000000{n}", unit=unit
        )
        user.groups.add(liaisons)
    # The current term, the units with their leader and commission, the liaisons.
    with django_assert_max_num_queries(3):
        header, *rows = read_back(export_roster("units"))
    by_unit = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert (by_unit[units[0].name]["联络员"], by_unit[units[0].name]["联络员手机"]) == ("联络员0", "13900000000")
    assert (by_unit[units[2].name]["联络员"], by_unit[units[2].name]["联络员手机"]) == (None, None)


def test_export_rows_follow_the_querysets_order_and_filter(group):
    factories.DeputyFactory(term=group.term, group=group, name="王芳", phone="13900000011")
    factories.DeputyFactory(term=group.term, group=group, name="陈刚", phone="13900000012")
    roster = roster_for("deputies", group.term)
    from congress.models import Deputy

    rows = list(roster.export_rows(Deputy.objects.filter(name="陈刚")))
    assert [row[0] for row in rows] == ["陈刚"]
    assert [row[0] for row in roster.export_rows()] == ["王芳", "陈刚"]


def test_empty_text_is_no_cell_but_the_row_keeps_its_width():
    workbook = xlsx.Workbook()
    sheet = workbook.sheet("名册", ["姓名", "电话", "备注"])
    sheet.append(["张伟", "", ""])
    sheet.append(["", "13900000001", "=1+1"])
    content = workbook.bytes()
    rows = read_back(content)
    assert rows[1:] == [("张伟", None, None), (None, "13900000001", "=1+1")]
    cells = load_workbook(BytesIO(content)).worksheets[0]
    assert cells["B2"].data_type == "n"  # no cell written: an empty one
    assert (cells["C3"].value, cells["C3"].data_type) == ("=1+1", "s")  # text, never a formula
