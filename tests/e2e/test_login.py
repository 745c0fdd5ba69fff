"""Logging in, in a real browser: staff into the back office, deputies by their personal link
on a phone, a revoked link refused, and the public site on a phone.

The project's own strings are English msgids until the Chinese catalogue is compiled, so these
tests assert on data (names, addresses) and on the Django admin's own Chinese."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from congress.models import Committee, Notice
from congress.services import accounts
from tests import factories
from tests.e2e.conftest import assert_no_horizontal_scroll, url_re, watch_errors

# The live server sees only committed data: transactional tests (roles: see conftest._roles).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise looks for collected files; the live server serves static files itself.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def committee():
    """A real committee's name is long; it must fit the phone's header."""
    return Committee.objects.create(name="青山县人民代表大会常务委员会", county="青山县")


def test_staff_logs_into_the_back_office(live_server, desktop, screenshot):
    factories.UserFactory(username="staff1", roles=["staff"])
    deputy = factories.DeputyFactory()
    page = desktop.new_page()
    errors = watch_errors(page)

    page.goto(live_server.url + reverse("admin:index"))
    page.wait_for_url(url_re(live_server, reverse("admin:login")))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("#id_username", "staff1")
    page.fill("#id_password", "Renda-2026")
    screenshot(page, "login")
    page.locator("#login-form [type=submit]").click()

    page.wait_for_url(url_re(live_server, reverse("admin:index")))
    user_tools = page.locator("#user-tools")
    assert "欢迎" in user_tools.inner_text()  # Django admin's own zh-hans: "Welcome,"
    assert "退出" in user_tools.inner_text()  # "Log out", as our catalogue words it everywhere
    deputies_link = page.locator(f'#content-main a[href="{reverse("admin:congress_deputy_changelist")}"]')
    assert deputies_link.count() >= 1, "the admin index does not link to the deputies list"
    screenshot(page, "index")

    deputies_link.first.click()
    page.wait_for_url(url_re(live_server, reverse("admin:congress_deputy_changelist")))
    assert page.locator("#changelist").is_visible()
    assert deputy.name in page.locator("#result_list").inner_text()
    screenshot(page, "deputies")
    assert errors == []


def test_deputy_logs_in_by_personal_link_on_a_phone(live_server, phone, screenshot, committee):
    deputy = factories.deputy_with_login()
    notice = Notice.objects.create(
        recipient=deputy.user, title="请于5月20日前完成县教育局工作评议问卷", body="评议问卷已发布，请在手机上作答。"
    )
    link = live_server.url + reverse("deputy_link_login", args=[accounts.login_token(deputy)])
    page = phone.new_page()
    errors = watch_errors(page)

    # The link (or QR code) first asks to confirm, so a chat app's link preview logs nobody in.
    response = page.goto(link)
    assert response.status == 200
    assert deputy.name in page.locator("main h1").inner_text()
    assert not Session.objects.exists()
    assert_no_horizontal_scroll(page)
    screenshot(page, "confirm")

    page.locator("main form [type=submit]").tap()
    page.wait_for_url(url_re(live_server, reverse("m:home")))
    assert deputy.name in page.locator("main h1").inner_text()
    assert committee.name in page.locator(".m-header").inner_text()
    assert notice.title in page.locator("main").inner_text()  # the latest notices on the home page
    assert Session.objects.count() == 1
    assert_no_horizontal_scroll(page)
    screenshot(page, "home")

    page.locator(f'.m-tabbar a[href="{reverse("m:notices")}"]').tap()
    page.wait_for_url(url_re(live_server, reverse("m:notices")))
    notices = page.locator(".notice-list")
    assert notice.title in notices.inner_text()
    assert notice.body in notices.inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "notices")

    page.locator(f'.m-tabbar a[href="{reverse("m:profile")}"]').tap()
    page.wait_for_url(url_re(live_server, reverse("m:profile")))
    profile = page.locator(".m-profile").inner_text()
    assert deputy.name in profile
    assert deputy.phone in profile
    assert str(deputy.group) in profile
    assert_no_horizontal_scroll(page)
    screenshot(page, "profile")
    assert errors == []


def test_revoked_link_is_refused(live_server, phone, screenshot):
    deputy = factories.deputy_with_login()
    link = live_server.url + reverse("deputy_link_login", args=[accounts.login_token(deputy)])
    page = phone.new_page()

    # A phone that opened the link before the staff revoked it cannot log in by tapping.
    page.goto(link)
    assert deputy.name in page.locator("main h1").inner_text()
    accounts.revoke_login_links([deputy])
    with page.expect_navigation() as posted:
        page.locator("main form [type=submit]").tap()
    assert posted.value.request.method == "POST"
    assert posted.value.status == 400
    assert page.locator("main form").count() == 0

    # The link opened afresh shows the refusal page: no confirm button, a way to the login page.
    response = page.goto(link)
    assert response.status == 400
    assert page.locator("main [role=alert]").is_visible()
    assert deputy.name not in page.content()
    assert page.locator("main form").count() == 0
    assert page.locator(f'main a[href="{reverse("login")}"]').is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page)

    # Nobody is logged in: the deputy pages send the phone to the login page.
    assert not Session.objects.exists()
    assert not get_user_model().objects.filter(pk=deputy.user_id, last_login__isnull=False).exists()
    page.goto(live_server.url + reverse("m:home"))
    page.wait_for_url(url_re(live_server, reverse("login")))


def test_public_home_on_a_phone(live_server, phone, screenshot, committee):
    page = phone.new_page()
    errors = watch_errors(page)

    response = page.goto(live_server.url + reverse("public:home"))
    assert response.status == 200
    assert page.locator("main h1").is_visible()
    assert committee.name in page.locator("header .navbar-brand").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "home")

    # The menu is folded on a phone: open it, then follow the login link.
    login_link = page.locator(f'header a[href="{reverse("login")}"]')
    if not login_link.is_visible():
        page.locator("header .navbar-toggler").tap()
        page.locator("#public-nav.collapse.show").wait_for()  # the menu has finished opening
    screenshot(page, "menu")
    login_link.tap()
    page.wait_for_url(url_re(live_server, reverse("login")))
    assert page.locator("#id_username").is_visible()
    assert page.locator("#id_password").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "login")
    assert errors == []
