"""A county's first evaluation, from an empty database, through the back office as a person
would do it: the rosters imported from the office's own workbooks (upload, preview, confirm),
the term plan, the campaign, the survey teams' checklists and reports, the roll of the
evaluation meeting, the satisfaction poll, the deputies voting on their phones, and the result
announced on the hall's screen.

Every click, tap, choice and field filled by a person is counted by ``Hands``; the count is
printed and must stay under 100 (issue 27: a person needed 4–6 hours of clicking before).
Navigation by typing an address is counted too (one action), since a person clicks a link or a
bookmark for it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from congress.models import Attendance, Deputy, Meeting, Participation, Poll, Role, Unit
from congress.services.accounts import login_token
from congress.views.screen import screen_url
from evaluations.models import Campaign, Result
from tests.congress.workbooks import deputies_workbook, table_workbook
from tests.e2e.conftest import watch_errors

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

MAX_ACTIONS = 100
UNITS = [
    [1, "县财政局", "财政局", "政府组成部门", "李娜", "黄海燕", "139 2231 0001"],
    [2, "县教育局", "教育局", "政府组成部门", "张伟", "周建军", "139-2231-0002"],
    [3, "县卫生健康局", "卫健局", "政府组成部门", "李娜", "吴晓梅", "13922310003"],
]


class Hands:
    """A person's hands on the pages: every action goes through here and is counted."""

    def __init__(self):
        self.count = 0
        self.log: list[str] = []

    def _did(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def goto(self, page, url: str) -> None:
        self._did(f"open {url}")
        page.goto(url)

    def click(self, page, selector: str, *, navigates=True) -> None:
        self._did(f"click {selector}")
        if navigates:
            with page.expect_navigation():
                page.locator(selector).click()
        else:
            page.locator(selector).click()

    def tap(self, page, selector: str, *, navigates=False) -> None:
        self._did(f"tap {selector}")
        if navigates:
            with page.expect_navigation():
                page.locator(selector).tap()
        else:
            page.locator(selector).tap()

    def fill(self, page, selector: str, value: str) -> None:
        self._did(f"fill {selector}")
        page.fill(selector, value)

    def check(self, page, selector: str) -> None:
        self._did(f"check {selector}")
        page.check(selector)

    def select(self, page, selector: str, value: str) -> None:
        self._did(f"select {selector}")
        page.select_option(selector, value)

    def choose_file(self, page, selector: str, path) -> None:
        self._did(f"choose file {path.name}")
        page.set_input_files(selector, str(path))


def workbook(tmp_path, name, content) -> object:
    path = tmp_path / name
    path.write_bytes(content.getvalue())
    return path


def import_roster(hands, page, kind, path, shot, *, confirm_missing=False):
    """From 系统初始化: the roster's import, the preview read, then confirmed."""
    hands.click(page, f"#setup-{kind} a.button:has-text('导入')")
    hands.choose_file(page, "#id_file", path)
    hands.click(page, "#roster-import-form input[type=submit]")
    expect(page.locator("#roster-preview")).to_be_visible()
    shot(page, f"import-{kind}")
    if confirm_missing:
        hands.check(page, "#id_create_missing")
    hands.click(page, "#roster-confirm input[type=submit]")
    expect(page.locator(".messagelist .success").first).to_be_visible()


def test_a_county_runs_its_first_evaluation_from_an_empty_database(live_server, desktop, phone, screenshot, tmp_path):
    get_user_model().objects.create_superuser("admin", "admin@example.cn", "Renda-2026")
    year = datetime.date.today().year  # noqa: DTZ011 (the year of the office's calendar)
    hands = Hands()
    base = live_server.url
    page = desktop.new_page()
    errors = watch_errors(page)

    # Log in: the back office opens on the workbench.
    hands.goto(page, f"{base}/admin/")
    hands.fill(page, "#id_username", "admin")
    hands.fill(page, "#id_password", "Renda-2026")
    hands.click(page, "#login-form [type=submit]")

    # 系统初始化: the term, then the rosters from the office's workbooks.
    hands.goto(page, f"{base}/admin/setup/")
    hands.click(page, "#setup-term a.button")
    hands.fill(page, "#id_number", "18")
    hands.fill(page, "#id_start_date", f"{year - 5}-12-01")
    hands.fill(page, "#id_end_date", f"{year + 1}-12-31")
    hands.check(page, "#id_is_current")
    hands.click(page, "input[name=_save]")
    hands.goto(page, f"{base}/admin/setup/")
    screenshot(page, "01-setup")

    import_roster(
        hands,
        page,
        "deputies",
        workbook(tmp_path, "代表名册.xlsx", deputies_workbook()),
        screenshot,
        confirm_missing=True,
    )
    members = table_workbook(
        ["序号", "姓名", "职务", "是否专职", "手机号码"],
        [[1, "张伟", "主任", "是", "137 0231 7759"], [2, "李娜", "副主任", "否", "137-0231-7760"]],
        title="县人大常委会组成人员名单",
    )
    import_roster(hands, page, "members", workbook(tmp_path, "常委会组成人员.xlsx", members), screenshot)
    units = table_workbook(
        ["序号", "单位名称", "简称", "类别", "联系领导", "联络员", "联络员手机"], UNITS, title="被监督单位名单"
    )
    import_roster(hands, page, "units", workbook(tmp_path, "单位名册.xlsx", units), screenshot)
    assert Deputy.objects.count() == 7 and Unit.objects.count() == 3
    # Each unit's liaison has a login in the liaison role, made by the units' import.
    liaisons = get_user_model().objects.filter(groups__name=Role.LIAISON)
    assert sorted(liaisons.values_list("username", "unit__name")) == [
        ("13922310001", "县财政局"),
        ("13922310002", "县教育局"),
        ("13922310003", "县卫生健康局"),
    ]
    screenshot(page, "02-set-up")

    # The term plan: two units this year, one next year, ticked in one form.
    hands.goto(page, f"{base}/admin/evaluations/termplan/add/")
    hands.check(page, f".plan-units input[value='{Unit.objects.get(name='县财政局').pk}']")
    hands.check(page, f".plan-units input[value='{Unit.objects.get(name='县教育局').pk}']")
    hands.click(page, "input[name=_save]")
    expect(page.locator("#plan-coverage")).to_contain_text("县卫生健康局")
    screenshot(page, "03-plan")
    hands.check(page, "input[name=accept_uncovered]")
    hands.click(page, "#plan-coverage button[form=plan-approve]")
    expect(page.locator(".messagelist .success").first).to_be_visible()

    # The meetings: the director's meeting that hears the survey reports, the evaluation meeting.
    for kind, title in (
        (Meeting.Kind.DIRECTORS, "县人大常委会第六十一次主任会议"),
        (Meeting.Kind.EVALUATION, f"{year}年度部门工作评议大会"),
    ):
        hands.goto(page, f"{base}/admin/congress/meeting/add/")
        hands.select(page, "#id_kind", kind)
        hands.fill(page, "#id_title", title)
        hands.fill(page, "#id_starts_at_0", f"{year}-12-20")
        hands.fill(page, "#id_starts_at_1", "09:00")
        hands.click(page, "input[name=_continue]")
    hall = Meeting.objects.get(kind=Meeting.Kind.EVALUATION)

    # The year's campaign: a work evaluation, from the planned units.
    hands.goto(page, f"{base}/admin/evaluations/campaign/add/")
    hands.select(page, "#id_kind", Campaign.Kind.WORK)
    screenshot(page, "04-campaign-form")
    hands.click(page, "input[name=_save]")
    campaign = Campaign.objects.get()
    hands.click(page, "#step-buttons button.default")
    expect(page.locator("#subjects tbody tr")).to_have_count(2)

    # The survey teams: each subject's checklist ticked at once, then its report submitted.
    for n in range(2):
        hands.click(page, f"#subjects tbody tr:nth-child({n + 1}) td:nth-child(2) a")
        hands.check(page, "#id_tick_all")
        hands.fill(page, "#id_tick_notes", "调研组听取汇报，查阅台账资料，走访服务对象12人次。")
        if n == 0:
            screenshot(page, "05-subject")
        hands.click(page, "input[name=_save]")
        hands.click(page, f"#subjects tbody tr:nth-child({n + 1}) a.report-add")
        hands.fill(page, "#id_summary", "依法履职总体较好，存在问题需整改。")
        if n == 0:
            screenshot(page, "06-report")
        hands.click(page, "input[name=_save]")
    expect(page.locator("#subjects")).to_contain_text("2/2")
    screenshot(page, "07-dashboard")

    # The roll of the evaluation meeting: every deputy present but one, on leave.
    hands.goto(page, f"{base}/admin/congress/meeting/{hall.pk}/roll/")
    absent = Deputy.objects.order_by("pk").last()
    hands.select(page, f"select[name=status_{absent.pk}]", Attendance.Status.ON_LEAVE)
    hands.fill(page, f"input[name=reason_{absent.pk}]", "外出学习")
    screenshot(page, "08-roll")
    hands.click(page, "#roll-form input[type=submit]")
    assert Attendance.objects.filter(meeting=hall, status=Attendance.Status.PRESENT).count() == 6

    # The meeting: the satisfaction ballot drawn up, opened; the hall's screen on the projector.
    hands.goto(page, f"{base}/admin/evaluations/campaign/{campaign.pk}/dashboard/")
    hands.click(page, "#step-buttons button.default")
    campaign.refresh_from_db()
    assert campaign.stage == Campaign.Stage.MEETING
    hands.click(page, "#step-buttons a.button")
    hands.click(page, "#poll-link")
    hands.click(page, "button[form=poll-open]")
    poll = Poll.objects.get(pk=campaign.satisfaction_poll_id)
    assert poll.status == Poll.Status.OPEN
    with desktop.expect_page() as opened:  # the poll page's 会场大屏 opens on the projector
        hands.click(page, f"a[href='{screen_url(hall.pk)}']", navigates=False)
    screen = opened.value
    screen_errors = watch_errors(screen)
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.wait_for_load_state()

    # Three deputies score on their phones, from the personal link in their SMS.
    voters = list(
        Deputy.objects.filter(attendance__meeting=hall, attendance__status=Attendance.Status.PRESENT).order_by("pk")[:3]
    )
    items = list(poll.items.order_by("sort_order"))
    choices = [("satisfied", "fairly"), ("satisfied", "unsatisfied"), ("basic", "unsatisfied")]
    for n, (deputy, levels) in enumerate(zip(voters, choices, strict=True)):
        mobile = phone.new_page()
        mobile_errors = watch_errors(mobile)
        # The SMS's link (congress.services.accounts.login_url), on the live server's address.
        link = reverse("deputy_link_login", args=[login_token(deputy)])
        hands.goto(mobile, f"{base}{link}?next=/m/polls/{poll.pk}/")
        hands.tap(mobile, "main form button[type=submit]", navigates=True)  # 进入: a link preview logs no one in
        for item, level in zip(items, levels, strict=True):
            hands.tap(mobile, f'label[for="item-{item.pk}-{level}"]')
        if n == 0:
            screenshot(mobile, "09-phone-sheet")
        hands.tap(mobile, "form.ballot-sheet button[type=submit]", navigates=True)
        hands.tap(mobile, "button[name=confirm]", navigates=True)
        expect(mobile.locator(".ballot-received")).to_be_visible()
        assert mobile_errors == []
        mobile.close()
    assert Participation.objects.filter(poll=poll).count() == 3
    expect(screen.locator("#screen-state")).to_contain_text("3", timeout=5_000)
    screenshot(screen, "10-screen-voting")

    # Closed and announced: the screen shows the verdicts.
    hands.click(page, "button[form=poll-close]")
    hands.click(page, "button[form=poll-announce]")
    table = screen.locator("#screen-state .screen-table")
    expect(table).to_be_visible(timeout=5_000)
    assert "县财政局" in table.inner_text() and "县教育局" in table.inner_text()
    screenshot(screen, "11-screen-announced")

    # The results decided from the tally.
    hands.goto(page, f"{base}/admin/evaluations/campaign/{campaign.pk}/meeting/")
    hands.click(page, "#meeting-poll button.default")
    assert Result.objects.filter(subject__campaign=campaign).count() == 2
    screenshot(page, "12-results")

    print(f"\nclicks and field fills from an empty database to the announced result: {hands.count}")
    print("\n".join(f"  {n:3d} {what}" for n, what in enumerate(hands.log, 1)))
    assert hands.count < MAX_ACTIONS, f"{hands.count} actions"
    assert errors == [] and screen_errors == []
