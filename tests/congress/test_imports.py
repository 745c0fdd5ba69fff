"""Roster import and export from Excel: all rows or none, every problem with its row and column,
and an exported file that imports again.

Messages are English msgids until the Chinese catalogue is compiled, so these tests assert on
row numbers, column headers and data, not on the wording."""

import datetime
from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from congress.exports import export_roster
from congress.models import Deputy, Member, Official, Term, Unit
from congress.services.imports import RosterRejected, import_roster
from tests import factories

pytestmark = pytest.mark.django_db

DEPUTY_HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "层级",
    "职业类别",
    "学历",
    "工作单位及职务",
    "手机号码",
    "电子邮箱",
    "代表小组",
]

# What the export writes: the register's own headers (the import reads both sets).
DEPUTY_EXPORT_HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "文化程度",
    "代表层级",
    "所在代表小组",
    "所在乡镇（街道）",
    "职业类别",
    "工作单位及职务",
    "联系电话",
    "电子邮箱",
    "公民身份号码",
]


def xlsx(header, rows) -> BytesIO:
    """An in-memory workbook: the header row, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def deputy_row(name="张伟", phone="13900000001", group="城关镇代表小组", **changes):
    row = {
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1972-03-15",
        "层级": "县级",
        "职业类别": "农民",
        "学历": "大学本科",
        "工作单位及职务": "城关镇东风村党支部书记",
        "手机号码": phone,
        "电子邮箱": "",
        "代表小组": group,
    }
    row.update(changes)
    return [row[h] for h in DEPUTY_HEADER]


def problems_of(excinfo) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in excinfo.value.problems]


@pytest.fixture
def term():
    return factories.TermFactory()


@pytest.fixture
def group(term):
    return factories.DeputyGroupFactory(term=term, name="城关镇代表小组", township="城关镇")


# ---------------------------------------------------------------------------------------------
# Deputies


def test_good_deputies_file_imports_every_row(group):
    staff = factories.UserFactory(roles=["staff"])
    rows = [
        deputy_row("张伟", "13900000001"),
        deputy_row(
            "李娜",
            13900000002,  # typed into Excel as a number
            性别="女",
            民族="回族",
            出生日期=datetime.datetime(1980, 7, 1),
            层级="乡镇级",
            职业类别="专业技术人员",
            学历="大专",
            电子邮箱="lina@example.cn",
        ),
        deputy_row("王芳", "139-0000-0003", group="", 出生日期="1968.03", 学历="", 层级=""),
    ]

    result = import_roster("deputies", xlsx(DEPUTY_HEADER, rows), by=staff)

    assert result.created == 3
    deputies = {d.name: d for d in Deputy.objects.filter(term=group.term)}
    assert set(deputies) == {"张伟", "李娜", "王芳"}
    zhang, li, wang = deputies["张伟"], deputies["李娜"], deputies["王芳"]
    assert (zhang.gender, zhang.level, zhang.occupation, zhang.education) == ("M", "county", "farmer", "bachelor")
    assert zhang.birth_date == datetime.date(1972, 3, 15)
    assert zhang.group == group and zhang.phone == "13900000001"
    assert (li.gender, li.ethnicity, li.level, li.occupation, li.education) == (
        "F",
        "回族",
        "township",
        "professional",
        "college",
    )
    assert li.phone == "13900000002" and li.email == "lina@example.cn"
    assert li.birth_date == datetime.date(1980, 7, 1)
    assert wang.group is None and wang.phone == "13900000003"
    assert wang.birth_date == datetime.date(1968, 3, 1)
    assert wang.level == "county" and wang.education == ""  # empty optional cells take the defaults
    entry = LogEntry.objects.get(additional_data__verb="import_roster")
    assert entry.actor == staff
    assert entry.additional_data == {
        "verb": "import_roster",
        "kind": "deputies",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert entry.object_pk == str(group.term.pk)


def test_one_bad_phone_imports_nothing_and_names_the_row(group):
    factories.DeputyFactory(term=group.term, group=group)
    before = Deputy.objects.count()
    rows = [deputy_row("张伟", "13900000001"), deputy_row("李娜", "12345"), deputy_row("王芳", "13900000003")]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, rows))

    assert problems_of(excinfo) == [(3, "手机号码")]
    assert "12345" in excinfo.value.problems[0].message
    assert Deputy.objects.count() == before
    assert not LogEntry.objects.filter(additional_data__verb="import_roster").exists()


def test_every_problem_of_every_row_is_reported(group):
    rows = [
        deputy_row("", "13900000001"),  # row 2: no name
        deputy_row("李娜", "13900000002", 性别="未知", 出生日期="去年"),  # row 3
        deputy_row("王芳", "13900000003", 职业类别="", 电子邮箱="not-an-email", 代表小组="不存在的小组"),  # row 4
        deputy_row("赵强" * 20, "13900000004", 学历="幼儿园"),  # row 5: name too long
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, rows))

    assert sorted(problems_of(excinfo)) == [
        (2, "姓名"),
        (3, "出生日期"),
        (3, "性别"),
        (4, "代表小组"),
        (4, "电子邮箱"),
        (4, "职业类别"),
        (5, "姓名"),
        (5, "学历"),
    ]
    assert Deputy.objects.count() == 0


def test_unknown_deputy_group(group):
    other_term = factories.TermFactory(number=16, is_current=False)
    factories.DeputyGroupFactory(term=other_term, name="旧届代表小组")
    rows = [deputy_row("张伟", "13900000001", group="旧届代表小组"), deputy_row("李娜", "13900000002")]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, rows))

    assert problems_of(excinfo) == [(2, "代表小组")]
    assert "旧届代表小组" in excinfo.value.problems[0].message
    assert Deputy.objects.count() == 0


def test_duplicate_phone_within_the_file_names_both_rows(group):
    rows = [
        deputy_row("张伟", "13900000001"),
        deputy_row("李娜", "13900000002"),
        deputy_row("张伟", "139 0000 0001"),  # the same number, written differently
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, rows))

    assert problems_of(excinfo) == [(4, "手机号码")]
    assert "2" in excinfo.value.problems[0].message  # the earlier row
    assert Deputy.objects.count() == 0


def test_duplicate_phone_against_the_database(group):
    factories.DeputyFactory(term=group.term, group=group, name="刘洋", phone="13900000002")

    with pytest.raises(RosterRejected) as excinfo:
        import_roster(
            "deputies", xlsx(DEPUTY_HEADER, [deputy_row("张伟", "13900000001"), deputy_row("李娜", "13900000002")])
        )

    assert problems_of(excinfo) == [(3, "手机号码")]
    assert "刘洋" in excinfo.value.problems[0].message
    assert Deputy.objects.count() == 1


def test_same_phone_in_another_term_is_not_a_duplicate(group):
    old_term = factories.TermFactory(number=16, is_current=False)
    factories.DeputyFactory(term=old_term, phone="13900000001")

    assert import_roster("deputies", xlsx(DEPUTY_HEADER, [deputy_row("张伟", "13900000001")])).created == 1


def test_missing_required_header(group):
    header = [h for h in DEPUTY_HEADER if h not in ("手机号码", "性别")]
    rows = [[v for h, v in zip(DEPUTY_HEADER, deputy_row(), strict=True) if h in header]]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(header, rows))

    # A missing column is named by the header the export writes (联系电话, also read as 手机号码).
    assert set(problems_of(excinfo)) == {(1, "联系电话"), (1, "性别")}
    assert Deputy.objects.count() == 0


def test_optional_columns_may_be_left_out_and_unknown_ones_are_ignored(group):
    header = ["序号", "姓名*", "性别", "职业类别", " 手机号码 ", "备注"]
    rows = [[1, "张伟", "男", "工人", "13900000001", "新当选"]]

    assert import_roster("deputies", xlsx(header, rows)).created == 1
    deputy = Deputy.objects.get()
    assert (deputy.ethnicity, deputy.level, deputy.group) == ("汉族", "county", None)


def test_file_that_is_not_an_xlsx_is_refused(group):
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", BytesIO("姓名,手机号码\n张伟,13900000001\n".encode()))

    assert problems_of(excinfo) == [(0, "")]
    assert Deputy.objects.count() == 0


def test_file_with_a_header_and_no_rows_is_refused(group):
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, [[None] * len(DEPUTY_HEADER)]))
    assert problems_of(excinfo) == [(0, "")]

    with pytest.raises(RosterRejected):
        import_roster("deputies", xlsx([], []))


def test_without_a_current_term_nothing_is_imported():
    factories.TermFactory(is_current=False)
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", xlsx(DEPUTY_HEADER, [deputy_row(group="")]))
    assert problems_of(excinfo) == [(0, "")]
    assert Deputy.objects.count() == 0


def test_import_of_200_rows_takes_a_bounded_number_of_queries(group, django_assert_max_num_queries):
    factories.DeputyFactory.create_batch(5, term=group.term, group=group)
    rows = [deputy_row(f"代表{n}", factories.mobile(n)) for n in range(200)]

    with django_assert_max_num_queries(12):
        assert import_roster("deputies", xlsx(DEPUTY_HEADER, rows)).created == 200

    assert Deputy.objects.count() == 205


# ---------------------------------------------------------------------------------------------
# Members, units, officials

MEMBER_HEADER = ["姓名", "手机号码", "职务", "是否专职"]
UNIT_HEADER = ["单位名称", "简称", "类别", "联系领导", "联系工委"]
OFFICIAL_HEADER = ["姓名", "性别", "所在单位", "职务", "任命方式", "是否主要负责人", "手机号码", "任职时间"]


def test_members_are_deputies_of_the_current_term(group):
    a = factories.DeputyFactory(term=group.term, group=group, name="陈主任", phone="13900000011")
    b = factories.DeputyFactory(term=group.term, group=group, name="周委员", phone="13900000012")
    rows = [["陈主任", "13900000011", "主任", "是"], ["周委员", "13900000012", "委员", "否"]]

    assert import_roster("members", xlsx(MEMBER_HEADER, rows)).created == 2

    members = {m.deputy: m for m in Member.objects.select_related("deputy")}
    assert (members[a].position, members[a].full_time, members[a].term) == ("director", True, group.term)
    assert (members[b].position, members[b].full_time) == ("member", False)


def test_member_rows_must_match_a_deputy(group):
    factories.DeputyFactory(term=group.term, group=group, name="陈主任", phone="13900000011")
    existing = factories.MemberFactory(deputy__term=group.term, deputy__group=group, position="director")
    rows = [
        ["陈主任", "13900000099", "委员", "是"],  # row 2: no deputy has this number
        ["陈某", "13900000011", "委员", "是"],  # row 3: the number is 陈主任's
        [existing.deputy.name, existing.deputy.phone, "副主任", "是"],  # row 4: a member on file, updated
        ["陈主任", "13900000011", "主任", "是"],  # row 5: a second director; same deputy as row 3
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("members", xlsx(MEMBER_HEADER, rows))

    assert problems_of(excinfo) == [(2, "手机号码"), (3, "姓名"), (5, "姓名"), (5, "手机号码"), (5, "职务")]
    assert Member.objects.count() == 1


def test_units_with_liaison_leader_and_commission(group):
    leader = factories.MemberFactory(deputy__term=group.term, deputy__group=group, deputy__name="吴副主任")
    commission = factories.CommissionFactory(name="财政经济委员会", short_name="财经委")
    rows = [
        ["县人民政府", "县政府", "县人民政府", "吴副主任", "财政经济委员会"],
        ["县财政局", "", "政府组成部门", "吴副主任", "财经委"],
        ["县税务局", "", "垂直管理单位", "", ""],
    ]

    assert import_roster("units", xlsx(UNIT_HEADER, rows)).created == 3

    units = {u.name: u for u in Unit.objects.all()}
    assert (units["县人民政府"].kind, units["县人民政府"].short_name) == ("government", "县政府")
    assert units["县财政局"].liaison_leader == leader and units["县财政局"].liaison_commission == commission
    assert units["县税务局"].kind == "vertical" and units["县税务局"].liaison_leader is None


def test_unit_problems(group):
    factories.UnitFactory(name="县教育局")
    rows = [
        ["县教育局", "", "政府部门", "", ""],  # row 2: on file, so an update (not a problem)
        ["县水利局", "", "政府部门", "没这个人", "没这个委"],  # row 3
        ["县水利局", "", "部门", "", ""],  # row 4: same name as row 3
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("units", xlsx(UNIT_HEADER, rows))

    assert problems_of(excinfo) == [(3, "联系领导"), (3, "联系工委"), (4, "单位名称")]
    assert Unit.objects.count() == 1


def test_officials_in_units_on_file(group):
    unit = factories.UnitFactory(name="县教育局")
    rows = [
        ["孙局长", "男", "县教育局", "局长", "任命", "是", "13900000021", "2022-01-10"],
        ["钱副局长", "女", "县教育局", "副局长", "", "否", "", ""],
    ]

    assert import_roster("officials", xlsx(OFFICIAL_HEADER, rows)).created == 2

    head = Official.objects.get(name="孙局长")
    assert (head.unit, head.is_head, head.appointment, head.phone) == (unit, True, "appointed", "13900000021")
    assert head.took_office == datetime.date(2022, 1, 10)
    deputy_head = Official.objects.get(name="钱副局长")
    assert (deputy_head.gender, deputy_head.is_head, deputy_head.took_office) == ("F", False, None)


def test_official_problems(group):
    unit = factories.UnitFactory(name="县教育局")
    factories.OfficialFactory(unit=unit, name="老局长", is_head=True)
    rows = [
        ["孙局长", "男", "县教育局", "局长", "任命", "是", "", ""],  # row 2: the unit has a head
        ["钱科长", "女", "县不存在局", "科长", "任命", "否", "", ""],  # row 3: unknown unit
        ["李副局长", "女", "县教育局", "副局长", "选举", "否", "", ""],
        ["李副局长", "女", "县教育局", "副局长", "选举", "否", "", ""],  # row 5: same as row 4
        ["老局长", "男", "县教育局", "局长", "委任", "否", "", ""],  # row 6: on file (an update); bad appointment
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("officials", xlsx(OFFICIAL_HEADER, rows))

    assert problems_of(excinfo) == [(2, "是否主要负责人"), (3, "所在单位"), (5, "姓名"), (6, "任命方式")]
    assert Official.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Export, and the round trip


def read_back(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_export_writes_the_import_headers_and_labels(group):
    factories.DeputyFactory(
        term=group.term,
        group=group,
        name="张伟",
        gender="M",
        occupation="farmer",
        birth_date=datetime.date(1972, 3, 15),
    )
    rows = read_back(export_roster("deputies"))
    assert list(rows[0]) == DEPUTY_EXPORT_HEADER
    record = dict(zip(DEPUTY_EXPORT_HEADER, rows[1], strict=True))
    assert (record["姓名"], record["性别"], record["职业类别"], record["代表层级"]) == ("张伟", "男", "农民", "县级")
    assert record["所在代表小组"] == "城关镇代表小组"
    assert record["出生年月"].date() == datetime.date(1972, 3, 15)


def test_export_writes_formula_like_text_as_text(group):
    factories.DeputyFactory(term=group.term, group=group, workplace='=HYPERLINK("http://x")')
    column = DEPUTY_EXPORT_HEADER.index("工作单位及职务") + 1
    cell = load_workbook(BytesIO(export_roster("deputies"))).worksheets[0].cell(row=2, column=column)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_round_trip_of_every_roster(group, django_assert_max_num_queries):
    term = group.term
    deputies = factories.DeputyFactory.create_batch(6, term=term, group=group)
    deputies[0].birth_date = datetime.date(1970, 1, 2)
    deputies[0].save()
    factories.DeputyFactory(term=term, group=None, level="province", email="a@example.cn")
    members = [
        factories.MemberFactory(deputy=deputies[0], position="director"),
        factories.MemberFactory(deputy=deputies[1], position="vice_director", full_time=False),
    ]
    commission = factories.CommissionFactory(name="法制委员会", short_name="法工委")
    units = factories.UnitFactory.create_batch(3, liaison_leader=members[1], liaison_commission=commission)
    factories.OfficialFactory(unit=units[0], name="孙局长", took_office=datetime.date(2022, 1, 10))
    factories.OfficialFactory(unit=units[0], name="钱副局长", is_head=False, appointment="elected", gender="F")
    factories.OfficialFactory(unit=units[1], name="李局长", phone="13900000031")

    def snapshot():
        return {
            "deputies": sorted(
                Deputy.objects.values_list(
                    "name",
                    "gender",
                    "ethnicity",
                    "birth_date",
                    "level",
                    "occupation",
                    "education",
                    "workplace",
                    "phone",
                    "email",
                    "group_id",
                )
            ),
            "members": sorted(Member.objects.values_list("deputy__phone", "position", "full_time", "term_id")),
            "units": sorted(
                Unit.objects.values_list(
                    "name", "short_name", "kind", "liaison_leader__deputy__phone", "liaison_commission"
                )
            ),
            "officials": sorted(
                Official.objects.values_list(
                    "name", "gender", "unit__name", "position", "appointment", "is_head", "phone", "took_office"
                )
            ),
        }

    before = snapshot()
    # The current term and the rows, per roster; the units' liaisons in one more.
    with django_assert_max_num_queries(9):
        files = {kind: export_roster(kind) for kind in ("deputies", "members", "units", "officials")}

    Official.objects.all().delete()
    Unit.objects.all().delete()
    Member.objects.all().delete()
    Deputy.objects.all().delete()

    # Members name deputies, units name members: import in that order.
    for kind in ("deputies", "members", "units", "officials"):
        import_roster(kind, BytesIO(files[kind]))

    after = snapshot()
    # Deputies get new ids; the units' leaders are compared by phone above.
    assert after == before


# ---------------------------------------------------------------------------------------------
# The back office


def deputy_admin_url(name):
    return reverse(f"admin:congress_deputy_{name}")


def upload(client, content: BytesIO, kind="deputies"):
    """Upload a workbook in the back office; the answer leads to its preview."""
    content.name = "roster.xlsx"
    return client.post(reverse("admin:roster_import", args=[kind]), {"file": content})


def test_staff_sees_the_buttons_on_the_list(client, group):
    client.force_login(factories.UserFactory(roles=["staff"]))
    response = client.get(deputy_admin_url("changelist") + "?level__exact=county")
    assert response.status_code == 200
    assert reverse("admin:roster_import", args=["deputies"]) in response.text
    assert deputy_admin_url("export") + "?level__exact=county" in response.text
    assert client.get(deputy_admin_url("import")).url == reverse("admin:roster_import", args=["deputies"])


def test_staff_upload_with_a_bad_row_shows_the_problems_and_writes_nothing(client, group):
    client.force_login(factories.UserFactory(roles=["staff"]))
    rows = [deputy_row("张伟", "13900000001"), deputy_row("李娜", "12345")]

    response = client.get(upload(client, xlsx(DEPUTY_HEADER, rows)).url)

    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [(3, "手机号码")]
    assert 'id="roster-problems"' in response.text
    assert "<td>3</td><td>手机号码</td>" in response.text
    assert 'id="roster-confirm"' not in response.text  # nothing to confirm
    marked = client.get(reverse("admin:roster_marked", args=[response.context["upload"].pk]))
    cell = load_workbook(BytesIO(marked.content)).worksheets[0].cell(row=3, column=DEPUTY_HEADER.index("手机号码") + 1)
    assert "12345" in cell.comment.text
    assert Deputy.objects.count() == 0


def test_staff_upload_of_a_good_file_imports_once_confirmed(client, group):
    client.force_login(factories.UserFactory(roles=["staff"]))
    rows = [deputy_row("张伟", "13900000001"), deputy_row("李娜", "13900000002")]

    preview_url = upload(client, xlsx(DEPUTY_HEADER, rows)).url
    preview = client.get(preview_url)
    assert [(r["row"].row, r["row"].action) for r in preview.context["rows"]] == [(2, "create"), (3, "create")]
    assert Deputy.objects.count() == 0  # nothing before the confirmation

    response = client.post(preview_url)

    assert response.status_code == 302
    assert response.url == reverse("admin:setup")
    assert Deputy.objects.count() == 2
    assert "2" in [str(m) for m in response.wsgi_request._messages][0]
    assert client.post(preview_url).status_code == 200  # confirmed once: a second post imports nothing
    assert Deputy.objects.count() == 2


def test_staff_upload_page_of_every_roster(client, group):
    client.force_login(factories.UserFactory(roles=["staff"]))
    for kind in ("groups", "deputies", "members", "commissions", "seats", "units", "liaisons", "officials"):
        response = client.get(reverse("admin:roster_import", args=[kind]))
        assert response.status_code == 200
        assert 'id="roster-columns"' in response.text


def test_export_download_follows_the_list_filters(client, group):
    factories.DeputyFactory(term=group.term, group=group, name="县代表", level="county")
    factories.DeputyFactory(term=group.term, group=group, name="省代表", level="province")
    client.force_login(factories.UserFactory(roles=["staff"]))

    response = client.get(deputy_admin_url("export") + "?level__exact=province")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    names = [row[0] for row in read_back(response.content)[1:]]
    assert names == ["省代表"]


def test_leader_may_export_but_not_import(client, group):
    client.force_login(factories.UserFactory(roles=["leader"]))
    assert client.get(deputy_admin_url("export")).status_code == 200
    assert client.get(reverse("admin:roster_export", args=["deputies"])).status_code == 200
    assert client.get(reverse("admin:roster_import", args=["deputies"])).status_code == 403
    response = upload(client, xlsx(DEPUTY_HEADER, [deputy_row()]))
    assert response.status_code == 403
    assert Deputy.objects.count() == 0
    assert reverse("admin:roster_import", args=["deputies"]) not in client.get(deputy_admin_url("changelist")).text


@pytest.mark.parametrize("who", ["liaison", "deputy"])
def test_liaison_and_deputy_are_refused(client, group, who):
    user = factories.liaison_for() if who == "liaison" else factories.deputy_with_login(term=group.term).user
    client.force_login(user)

    response = upload(client, xlsx(DEPUTY_HEADER, [deputy_row("张伟", "13900000001")]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("admin:login") in response.url
    assert client.get(deputy_admin_url("export")).status_code in (302, 403)
    assert Deputy.objects.filter(phone="13900000001").count() == 0


# ---------------------------------------------------------------------------------------------
# Management commands


def test_import_command(tmp_path, group):
    path = tmp_path / "deputies.xlsx"
    path.write_bytes(xlsx(DEPUTY_HEADER, [deputy_row("张伟", "13900000001")]).getvalue())
    out = StringIO()

    call_command("import_roster", "deputies", str(path), stdout=out)

    assert "1" in out.getvalue()
    assert Deputy.objects.count() == 1


def test_import_command_lists_problems_and_fails(tmp_path, group):
    path = tmp_path / "deputies.xlsx"
    path.write_bytes(xlsx(DEPUTY_HEADER, [deputy_row("张伟", "13900000001"), deputy_row("李娜", "12345")]).getvalue())
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_roster", "deputies", str(path), stderr=err)

    assert err.getvalue().startswith("第3行 [手机号码]: ")
    assert Deputy.objects.count() == 0


def test_export_command_writes_a_file_that_imports(tmp_path, group):
    factories.DeputyFactory.create_batch(3, term=group.term, group=group)
    path = tmp_path / "out.xlsx"

    call_command("export_roster", "deputies", str(path), stdout=StringIO())

    assert len(read_back(path.read_bytes())) == 4
    Deputy.objects.all().delete()
    with path.open("rb") as fileobj:
        assert import_roster("deputies", fileobj).created == 3


def test_unknown_kind_is_a_programming_error(term):
    with pytest.raises(ValueError, match="unknown roster kind"):
        import_roster("voters", xlsx(["姓名"], [["张伟"]]))
    assert Term.objects.count() == 1
