"""A new county's first hour in a real browser: from an empty database, the first login opens
系统初始化, adds the current term, and imports its own workbooks (deputies with their groups
confirmed, members, units), each previewed row by row before it is confirmed."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from congress.models import Deputy, DeputyGroup, Member, Unit
from tests.congress.workbooks import deputies_workbook, table_workbook
from tests.e2e.conftest import watch_errors

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def upload(page, live_server, kind, path, screenshot, step, *, confirm_missing=False):
    page.goto(f"{live_server.url}/admin/setup/")
    page.locator(f"#setup-{kind} a.button", has_text="导入").click()
    page.set_input_files("#id_file", str(path))
    page.click("#roster-import-form input[type=submit]")
    expect(page.locator("#roster-preview")).to_be_visible()
    screenshot(page, f"{step}-preview")
    if confirm_missing:
        page.check("#id_create_missing")
    page.click("#roster-confirm input[type=submit]")
    expect(page.locator("#setup-checklist")).to_be_visible()


def test_a_new_county_sets_itself_up_from_its_own_workbooks(desktop, live_server, screenshot, tmp_path):
    get_user_model().objects.create_superuser("admin", "admin@example.cn", "Renda-2026")
    page = desktop.new_page()
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "Renda-2026")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/setup/")
    expect(page.locator("#setup-term td.missing")).to_be_visible()
    screenshot(page, "1-empty")

    page.locator("#setup-term a.button").click()
    page.fill("#id_number", "18")
    page.fill("#id_start_date", "2021-12-01")
    page.fill("#id_end_date", "2026-12-31")
    page.check("#id_is_current")
    page.click("input[name=_save]")
    page.goto(f"{live_server.url}/admin/setup/")
    expect(page.locator("#setup-term td.done")).to_be_visible()

    deputies = tmp_path / "代表名册.xlsx"
    deputies.write_bytes(deputies_workbook().getvalue())
    upload(page, live_server, "deputies", deputies, screenshot, "2-deputies", confirm_missing=True)
    assert Deputy.objects.count() == 7 and DeputyGroup.objects.count() == 4

    members = tmp_path / "常委会组成人员.xlsx"
    members.write_bytes(
        table_workbook(
            ["序号", "姓名", "职务", "是否专职", "手机号码"],
            [[1, "张伟", "主任", "是", "137 0231 7759"], [2, "李娜", "副主任", "否", "137-0231-7760"]],
            title="常委会组成人员名单",
        ).getvalue()
    )
    upload(page, live_server, "members", members, screenshot, "3-members")
    units = tmp_path / "单位名册.xlsx"
    units.write_bytes(
        table_workbook(
            ["序号", "单位名称", "简称", "类别", "联系领导"],
            [[1, "县财政局", "财政局", "政府组成部门", "李娜"], [2, "县教育局", "教育局", "政府组成部门", "张伟"]],
            title="被监督单位名单",
        ).getvalue()
    )
    upload(page, live_server, "units", units, screenshot, "4-units")
    assert Member.objects.count() == 2 and Unit.objects.count() == 2
    for key in ("term", "groups", "deputies", "members", "units"):
        expect(page.locator(f"#setup-{key} td.done")).to_be_visible()
    screenshot(page, "5-set-up")
    assert errors == []
