"""The county's own workbooks, imported as offices keep them (tests/congress/workbooks.py):
header below a merged title and a blank row, the office's header names, full-width spaces,
numbers stored as numbers, Excel dates and text dates (1962.01); every column kept, groups
created once confirmed, a second import changing nothing; a bad workbook refused whole with
each row named and a marked copy; ID numbers masked in exports unless asked for."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from congress.models import Commission, CommissionSeat, Deputy, DeputyGroup, Member, Official, Role, Unit, User
from congress.services.imports import RosterRejected, import_roster, preview_roster
from tests import factories
from tests.congress.workbooks import DEPUTIES, deputies_workbook, id_number, table_workbook

pytestmark = pytest.mark.django_db

GROUPS = ["城关镇代表小组", "河西乡代表小组", "东山镇代表小组", "北关街道代表小组"]


@pytest.fixture
def term():
    return factories.TermFactory(number=18)


def save(tmp_path, content: BytesIO, name="代表名册.xlsx"):
    path = tmp_path / name
    path.write_bytes(content.getvalue())
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), False
    return out.getvalue(), err.getvalue(), True


def registry():
    fields = [f.name for f in Deputy._meta.concrete_fields if f.name != "id"]
    return sorted(Deputy.objects.values_list(*fields)), sorted(DeputyGroup.objects.values_list("name", "township"))


def test_office_roster_imports_every_column_once_groups_are_confirmed(tmp_path, term):
    path = save(tmp_path, deputies_workbook())

    out, err, ok = run("import_roster", "deputies", str(path))
    assert not ok
    assert "城关镇代表小组、河西乡代表小组、东山镇代表小组、北关街道代表小组" in err
    assert "--create-missing" in err
    assert Deputy.objects.count() == 0 and DeputyGroup.objects.count() == 0

    out, err, ok = run("import_roster", "deputies", str(path), "--create-missing")
    assert ok, err
    assert "7" in out
    deputies = {d.name: d for d in Deputy.objects.select_related("group")}
    assert set(deputies) == {"张伟", "李娜", "王芳", "赵建国", "刘洋", "陈秀英", "杨帆"}  # padding dropped
    zhang = deputies["张伟"]
    assert (zhang.gender, zhang.ethnicity, zhang.party, zhang.level) == ("M", "汉族", "中共党员", "county")
    assert (zhang.occupation, zhang.education, zhang.workplace) == ("cadre", "bachelor", "城关镇党委书记")
    assert (zhang.birth_date, zhang.birth_month_only) == (datetime.date(1962, 1, 1), True)  # text 1962.01
    assert zhang.phone == "13702317759"  # 137 0231 7759
    assert zhang.id_number == id_number(datetime.date(1962, 1, 15), 1)
    assert zhang.group.name == "城关镇代表小组" and zhang.group.township == "城关镇"
    li = deputies["李娜"]
    assert (li.birth_date, li.birth_month_only) == (datetime.date(1980, 7, 1), False)  # an Excel date
    assert (li.gender, li.ethnicity, li.education, li.phone) == ("F", "回族", "college", "13702317760")
    wang = deputies["王芳"]
    assert (wang.birth_date, wang.birth_month_only) == (datetime.date(1968, 3, 1), True)  # the number 1968.03
    assert (wang.level, wang.phone) == ("township", "13702317761")  # a number stored as a number
    zhao = deputies["赵建国"]
    assert (zhao.birth_date, zhao.party, zhao.phone) == (datetime.date(1971, 10, 1), "中共党员", "13702317762")
    assert deputies["刘洋"].phone == "16602317763"  # +86 166 …
    assert deputies["陈秀英"].phone == "19902317764"
    assert deputies["杨帆"].phone == "19202317765" and deputies["杨帆"].group.township == "北关街道"
    assert sorted(DeputyGroup.objects.values_list("name", flat=True)) == sorted(GROUPS)

    before = registry()
    out, err, ok = run("import_roster", "deputies", str(path), "--create-missing")
    assert ok, err
    assert registry() == before
    plan = preview_roster("deputies", deputies_workbook())
    assert (plan.created, plan.updated, plan.unchanged, plan.problems) == (0, 0, 7, [])


def test_dry_run_prints_every_row_by_its_sheet_number_and_writes_nothing(tmp_path, term):
    path = save(tmp_path, deputies_workbook())

    out, err, ok = run("import_roster", "deputies", str(path), "--dry-run", "--create-missing")

    assert ok, err
    assert "第4行 新增 张伟" in out and "第10行 新增 杨帆" in out  # the header is on row 3
    assert "城关镇代表小组（第4行）" in out
    assert Deputy.objects.count() == 0 and DeputyGroup.objects.count() == 0


def test_a_corrected_file_updates_the_person_recognised_by_id_number(term):
    import_roster("deputies", deputies_workbook(), create_missing=True)
    rows = [list(r) for r in DEPUTIES]
    rows[0][10] = "138 0000 0001"  # 张伟 changed his mobile
    rows[0][9] = "城关镇人民政府镇长"

    plan = preview_roster("deputies", deputies_workbook(rows))
    assert [(r.row, r.action, r.changes) for r in plan.rows if r.action != "unchanged"] == [
        (4, "update", ("工作单位及职务", "联系电话"))
    ]
    import_roster("deputies", deputies_workbook(rows))

    zhang = Deputy.objects.get(id_number=id_number(datetime.date(1962, 1, 15), 1))
    assert (zhang.name, zhang.phone, zhang.workplace) == ("张伟", "13800000001", "城关镇人民政府镇长")
    assert Deputy.objects.count() == 7


def test_a_bad_workbook_imports_nothing_and_names_each_row(tmp_path, term):
    for name in GROUPS:
        factories.DeputyGroupFactory(term=term, name=name)
    rows = [list(r) for r in DEPUTIES[:3]]
    bad_phone = list(DEPUTIES[3])
    bad_phone[10] = "137 0231 776"  # ten digits
    unknown_group = list(DEPUTIES[4])
    unknown_group[6] = "城南镇代表小组"
    no_name = list(DEPUTIES[5])
    no_name[0] = "　"
    bad_check_digit = list(DEPUTIES[6])
    duplicate = list(DEPUTIES[0])  # 张伟 again, the same ID number
    duplicate[10] = "139 0000 0009"
    workbook = deputies_workbook([*rows, bad_phone, unknown_group, no_name, bad_check_digit, duplicate])
    # The check digit of row 10 (杨帆) typed wrong.
    book = load_workbook(workbook)
    cell = book.active.cell(row=10, column=13)
    cell.value = cell.value[:-1] + ("0" if cell.value[-1] != "0" else "1")
    path = tmp_path / "代表名册.xlsx"
    book.save(path)

    out, err, ok = run("import_roster", "deputies", str(path))

    assert not ok
    assert "第7行 [联系电话]: “137 0231 776”不是有效的中国大陆手机号码。" in err
    assert "第8行 [所在代表小组]: 代表小组“城南镇代表小组”尚未登记" in err
    assert "第9行 [姓名]: 此项为必填项。" in err
    assert "第10行 [公民身份号码]: " in err and "校验位" in err
    assert "第11行 [公民身份号码]: 与第4行的公民身份号码相同" in err
    assert "未导入任何数据" in err
    assert Deputy.objects.count() == 0
    assert DeputyGroup.objects.count() == len(GROUPS)

    marked = load_workbook(tmp_path / "代表名册-标注.xlsx").active
    for row, column, words in [
        (7, 12, "手机号码"),
        (8, 8, "城南镇"),
        (9, 2, "必填"),
        (10, 13, "校验位"),
        (11, 13, "第4行"),
    ]:
        cell = marked.cell(row=row, column=column)
        assert cell.comment is not None and words in cell.comment.text, (row, column)
        assert cell.fill.start_color.rgb == "FFFFC7CE"
    assert marked.cell(row=4, column=2).comment is None  # good rows are left as they were
    assert marked["A1"].value.startswith("某某县")  # the office's own file, title and all


def test_a_column_not_recognised_is_named_by_its_own_header(term):
    header = ["序号", "姓名", "性别", "职业类别", "联系手机"]
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", table_workbook(header, [[1, "张伟", "男", "农民", "13702317759"]], title="代表名单"))
    (problem,) = excinfo.value.problems
    assert (problem.row, problem.column) == (3, "联系电话")  # the header row, found on row 3
    assert "联系手机" in problem.message


def test_id_numbers_old_numbers_stored_numbers_and_masked_ones(term):
    header = ["姓名", "性别", "职业类别", "手机", "身份证号"]
    old = "371526620115123"  # 15 digits: born 1962-01-15
    rows = [
        ["张伟", "男", "农民", "13702317759", old],
        ["李娜", "女", "农民", "13702317760", 371526198007010044],  # typed as a number: digits lost
    ]
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", table_workbook(header, rows))
    assert [(p.row, p.column) for p in excinfo.value.problems] == [(3, "身份证号")]

    import_roster("deputies", table_workbook(header, rows[:1]))
    zhang = Deputy.objects.get()
    assert zhang.id_number == "371526196201151239"  # converted, with its check digit
    assert (zhang.birth_date, zhang.birth_month_only) == (datetime.date(1962, 1, 15), False)  # from the number

    # An exported file (ID masked) imported again keeps the number on file.
    masked = [["张伟", "男", "农民", "13702317759", "371526********1239"]]
    assert import_roster("deputies", table_workbook(header, masked)).unchanged == 1
    assert Deputy.objects.get().id_number == "371526196201151239"


def test_date_of_birth_must_agree_with_the_id_number(term):
    header = ["姓名", "性别", "出生年月", "职业类别", "联系电话", "公民身份号码"]
    rows = [["张伟", "女", "1963.01", "农民", "13702317759", id_number(datetime.date(1962, 1, 15), 1)]]
    with pytest.raises(RosterRejected) as excinfo:
        import_roster("deputies", table_workbook(header, rows))
    assert [(p.row, p.column) for p in excinfo.value.problems] == [(2, "性别"), (2, "出生年月")]


@pytest.mark.parametrize(
    "phone",
    [
        "134 0231 7759",
        "145-0231-7759",
        "147 0231 7759",
        "149 0231 7759",
        "162 0231 7759",
        "165 0231 7759",
        "167 0231 7759",
        "170 0231 7759",
        "171 0231 7759",
        "172 0231 7759",
        "173 0231 7759",
        "174 0031 7759",
        "175 0231 7759",
        "176 0231 7759",
        "178 0231 7759",
        "190 0231 7759",
        "191 0231 7759",
        "192 0231 7759",
        "193 0231 7759",
        "195 0231 7759",
        "196 0231 7759",
        "197 0231 7759",
        "198 0231 7759",
        "199 0231 7759",
        "+86 13702317759",
        "0086-137-0231-7759",
        "(137)0231-7759",
    ],
)
def test_every_allocated_mobile_segment_is_accepted_and_normalised(term, phone):
    header = ["姓名", "性别", "职业类别", "联系电话"]
    import_roster("deputies", table_workbook(header, [["张伟", "男", "农民", phone]]))
    digits = "".join(c for c in phone if c.isdigit())
    assert Deputy.objects.get().phone == digits[-11:]


def test_export_masks_id_numbers_unless_asked_for_whole(tmp_path, term):
    import_roster("deputies", deputies_workbook(), create_missing=True)
    masked, full = tmp_path / "out.xlsx", tmp_path / "full.xlsx"

    run("export_roster", "deputies", str(masked))
    run("export_roster", "deputies", str(full), "--full-id")

    def rows(path):
        sheet = load_workbook(path).active
        header = [c.value for c in sheet[1]]
        return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]

    zhang = next(r for r in rows(masked) if r["姓名"] == "张伟")
    assert zhang["公民身份号码"] == "371526********" + id_number(datetime.date(1962, 1, 15), 1)[-4:]
    assert zhang["出生年月"] == "1962.01"  # a year and month stays one
    for column in ("政治面貌", "文化程度", "代表层级", "所在代表小组", "职业类别", "联系电话"):
        assert zhang[column], column
    assert next(r for r in rows(full) if r["姓名"] == "张伟")["公民身份号码"] == id_number(
        datetime.date(1962, 1, 15), 1
    )

    # The full export is the county's record: imported into an empty term it gives it back.
    before = registry()
    Deputy.objects.all().delete()
    with open(full, "rb") as fileobj:
        import_roster("deputies", fileobj)
    assert registry() == before


def test_every_roster_of_a_new_county(term):
    """Groups, deputies, members, commissions and seats, units, liaisons and officials, each
    from an office-style workbook, in the order a county brings them in."""
    groups = table_workbook(
        ["序号", "代表小组名称", "乡镇（街道）", "召集人"],
        [[n, name, name.replace("代表小组", ""), ""] for n, name in enumerate(GROUPS, start=1)],
        title="代表小组名单",
    )
    assert import_roster("groups", groups).created == 4
    import_roster("deputies", deputies_workbook())
    groups_again = table_workbook(["代表小组名称", "召集人"], [["城关镇代表小组", "张　伟"]], title="召集人")
    assert import_roster("groups", groups_again).updated == 1
    assert DeputyGroup.objects.get(name="城关镇代表小组").convener.name == "张伟"

    members = table_workbook(
        ["序号", "姓名", "职务", "是否专职", "身份证号"],
        [[1, "张伟", "主任", "是", id_number(datetime.date(1962, 1, 15), 1)], [2, "李娜", "副主任", "否", ""]],
        title="常委会组成人员名单",
    )
    with pytest.raises(RosterRejected):  # 李娜 named by neither phone nor ID number
        import_roster("members", members)
    members = table_workbook(
        ["序号", "姓名", "职务", "是否专职", "手机号码"],
        [[1, "张伟", "主任", "是", "137 0231 7759"], [2, "李娜", "副主任", "否", "137-0231-7760"]],
        title="常委会组成人员名单",
    )
    assert import_roster("members", members).created == 2
    assert Member.objects.get(position="director").deputy.name == "张伟"

    commissions = table_workbook(
        ["名称", "简称", "类别"],
        [["财政经济委员会", "财经委", "专门委员会"], ["代表工作委员会", "代表工委", "工作委员会"]],
    )
    assert import_roster("commissions", commissions).created == 2
    seats = table_workbook(
        ["委员会", "姓名", "职务", "联系电话"],
        [["财经委", "刘洋", "主任委员", "16602317763"], ["财经委", "陈秀英", "委员", "19902317764"]],
    )
    assert import_roster("seats", seats).created == 2
    assert CommissionSeat.objects.get(role="chair").deputy.name == "刘洋"

    units = table_workbook(
        ["单位名称", "简称", "类别", "联系领导", "联系工委"],
        [["县财政局", "财政局", "政府组成部门", "李娜", "财经委"], ["县教育局", "教育局", "政府组成部门", "", ""]],
        title="被监督单位名单",
    )
    assert import_roster("units", units).created == 2
    liaisons = table_workbook(
        ["单位名称", "联络员", "手机号码"],
        [["县财政局", "周　敏", "135 0000 1111"], ["县审计局", "吴　刚", "135-0000-2222"]],
    )
    with pytest.raises(RosterRejected):  # 县审计局 is not on file, and not confirmed
        import_roster("liaisons", liaisons)
    result = import_roster("liaisons", liaisons, create_missing=True)
    assert (result.created, result.made) == (2, {"单位": 1})
    zhou = User.objects.get(phone="13500001111")
    assert (zhou.username, zhou.get_full_name(), zhou.unit.name) == ("13500001111", "周敏", "县财政局")
    assert zhou.has_role(Role.LIAISON) and not zhou.has_usable_password()
    officials = table_workbook(
        ["姓名", "性别", "所在单位", "职务", "任命方式", "是否主要负责人", "联系电话", "任职时间"],
        [["孙　强", "男", "县财政局", "局长", "任命", "是", "13600001111", datetime.datetime(2022, 1, 10)]],
    )
    assert import_roster("officials", officials).created == 1
    assert Official.objects.get().took_office == datetime.date(2022, 1, 10)
    assert Unit.objects.count() == 3 and Commission.objects.count() == 2

    # Every roster again: nothing changes.
    for kind, content in [
        ("groups", groups_again),
        ("deputies", deputies_workbook()),
        ("members", members),
        ("commissions", commissions),
        ("seats", seats),
        ("units", units),
        ("liaisons", liaisons),
        ("officials", officials),
    ]:
        result = import_roster(kind, content)
        assert (result.created, result.updated) == (0, 0), kind
