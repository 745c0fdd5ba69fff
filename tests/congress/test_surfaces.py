"""Each person reaches their own surface, and only theirs."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from congress.models import Notice
from congress.services import accounts
from tests.factories import DeputyFactory, UnitFactory, UserFactory, deputy_with_login, liaison_for

pytestmark = pytest.mark.django_db


def notice(user, title="关于提交代表建议的通知", **kwargs):
    return Notice.objects.create(recipient=user, title=title, **kwargs)


class TestAccessAcrossRoles:
    def test_anonymous_is_sent_to_login(self, client):
        for url in ("/m/", "/m/notices/", "/unit/", "/unit/notices/"):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))

    def test_liaison_cannot_enter_deputy_pages_nor_back_office(self, client):
        client.force_login(liaison_for())
        assert client.get("/m/").status_code == 403
        assert client.get("/admin/").status_code == 302  # admin's own login
        assert client.get("/unit/").status_code == 200

    def test_deputy_cannot_enter_unit_portal_nor_back_office(self, client):
        client.force_login(deputy_with_login().user)
        assert client.get("/unit/").status_code == 403
        assert client.get("/admin/").status_code == 302
        assert client.get("/m/").status_code == 200

    def test_staff_is_not_a_deputy(self, client):
        client.force_login(UserFactory(roles=["staff"]))
        assert client.get("/m/").status_code == 403
        assert client.get("/admin/").status_code == 200

    def test_inactive_deputy_is_refused(self, client):
        deputy = deputy_with_login()
        deputy.active = False
        deputy.save()
        client.force_login(deputy.user)
        assert client.get("/m/").status_code == 403

    def test_leader_views_but_does_not_edit_the_registry(self, client):
        client.force_login(UserFactory(roles=["leader"]))
        assert client.get(reverse("admin:congress_deputy_changelist")).status_code == 200
        assert client.get(reverse("admin:congress_deputy_add")).status_code == 403

    def test_staff_edits_the_registry(self, client):
        client.force_login(UserFactory(roles=["staff"]))
        assert client.get(reverse("admin:congress_deputy_add")).status_code == 200

    @pytest.mark.parametrize(
        ("role", "target"), [("staff", "/admin/"), ("leader", "/admin/"), ("liaison", "/unit/"), ("deputy", "/m/")]
    )
    def test_each_person_lands_on_their_surface(self, client, role, target):
        if role == "deputy":
            user = deputy_with_login().user
        elif role == "liaison":
            user = liaison_for()
        else:
            user = UserFactory(roles=[role])
        client.force_login(user)
        assert client.get(reverse("home"))["Location"] == target


class TestNotices:
    def test_deputy_sees_only_own_notices(self, client):
        me, other = deputy_with_login(), deputy_with_login()
        notice(me.user, "给我的通知")
        notice(other.user, "给别人的通知")
        client.force_login(me.user)
        page = client.get("/m/notices/").content.decode()
        assert "给我的通知" in page
        assert "给别人的通知" not in page

    def test_cannot_mark_someone_elses_notice_read(self, client):
        me, other = deputy_with_login(), deputy_with_login()
        theirs = notice(other.user)
        client.force_login(me.user)
        client.post(f"/m/notices/{theirs.pk}/read/")
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_marking_read(self, client):
        me = deputy_with_login()
        mine = notice(me.user)
        client.force_login(me.user)
        assert client.post(f"/m/notices/{mine.pk}/read/").status_code == 302
        mine.refresh_from_db()
        assert mine.read_at is not None

    def test_liaison_notices_in_unit_portal(self, client):
        liaison = liaison_for(UnitFactory(name="县教育局"))
        notice(liaison, "整改计划即将到期")
        client.force_login(liaison)
        page = client.get("/unit/").content.decode()
        assert "整改计划即将到期" in page
        assert "县教育局" in page

    def test_staff_notices_in_back_office(self, client):
        staff = UserFactory(roles=["staff"])
        notice(staff, "答复期限临近")
        client.force_login(staff)
        assert "答复期限临近" in client.get(reverse("admin:my_notices")).content.decode()
        assert "答复期限临近" in client.get(reverse("admin:index")).content.decode()

    def test_notice_pages_are_bounded_in_queries(self, client, django_assert_max_num_queries):
        me = deputy_with_login()
        client.force_login(me.user)
        for i in range(60):
            notice(me.user, f"通知{i}")
        with django_assert_max_num_queries(12):
            assert client.get("/m/notices/").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get("/m/").status_code == 200


class TestPersonalLink:
    def link(self, deputy):
        return reverse("deputy_link_login", args=[accounts.login_token(deputy)])

    def test_link_asks_then_logs_the_deputy_in(self, client):
        deputy = DeputyFactory(name="王秀英")
        url = self.link(deputy)
        page = client.get(url)
        assert page.status_code == 200
        assert "王秀英" in page.content.decode()
        assert "_auth_user_id" not in client.session  # a link preview logs nobody in
        response = client.post(url)
        assert response["Location"] == "/m/"
        deputy.refresh_from_db()
        assert deputy.user is not None
        assert int(client.session["_auth_user_id"]) == deputy.user_id
        assert "王秀英" in client.get("/m/").content.decode()

    def test_member_gets_member_role(self, client):
        from tests.factories import MemberFactory

        member = MemberFactory()
        client.post(self.link(member.deputy))
        member.deputy.refresh_from_db()
        assert member.deputy.user.has_role("member")
        assert member.deputy.user.has_role("deputy")

    def test_revoked_link_is_refused(self, client):
        deputy = DeputyFactory()
        url = self.link(deputy)
        accounts.revoke_login_links([deputy])
        response = client.post(url)
        assert response.status_code == 400
        assert "_auth_user_id" not in client.session
        # a new link works
        deputy.refresh_from_db()
        assert client.post(self.link(deputy)).status_code == 302

    def test_expired_link_is_refused(self, client, settings):
        settings.DEPUTY_LINK_MAX_AGE_DAYS = 30
        deputy = DeputyFactory()
        url = self.link(deputy)
        with time_machine.travel(timezone.now() + timedelta(days=31)):
            response = client.post(url)
        assert response.status_code == 400
        assert "_auth_user_id" not in client.session

    def test_tampered_link_is_refused(self, client):
        deputy = DeputyFactory()
        token = accounts.login_token(deputy)
        response = client.get(reverse("deputy_link_login", args=[token[:-2] + "xx"]))
        assert response.status_code == 400

    def test_link_of_a_deputy_who_left_is_refused(self, client):
        deputy = DeputyFactory(active=False)
        assert client.post(self.link(deputy)).status_code == 400

    def test_staff_prints_qr_codes_for_a_group(self, client):
        deputy = DeputyFactory(name="李建国")
        client.force_login(UserFactory(roles=["staff"]))
        page = client.get(reverse("admin:congress_deputygroup_qr", args=[deputy.group_id]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "李建国" in html
        assert "data:image/svg+xml" in html

    def test_staff_revokes_links_in_back_office(self, client):
        deputy = DeputyFactory()
        old = self.link(deputy)
        client.force_login(UserFactory(roles=["staff"]))
        client.post(
            reverse("admin:congress_deputy_changelist"),
            {"action": "revoke_links", "_selected_action": [deputy.pk]},
        )
        assert client.post(old).status_code == 400


class TestPasswordLoginLockout:
    def attempt(self, client, username, password, ip):
        return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)

    def test_lockout_is_per_user_and_address(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        UserFactory(username="zhangwei", roles=["staff"])
        UserFactory(username="lina", roles=["staff"])
        for _ in range(3):
            self.attempt(client, "zhangwei", "wrong", "10.0.0.8")
        locked = self.attempt(client, "zhangwei", "Renda-2026", "10.0.0.8")
        assert locked.status_code == 429
        # another deputy on the same meeting-room Wi-Fi still gets in
        assert self.attempt(client, "lina", "Renda-2026", "10.0.0.8").status_code == 302
        # and the same person from another network
        client.logout()
        assert self.attempt(client, "zhangwei", "Renda-2026", "10.0.0.9").status_code == 302


class TestPublicAndHealth:
    def test_public_pages(self, client):
        UnitFactory(name="县水利局")
        assert client.get("/").status_code == 200
        about = client.get("/about/").content.decode()
        assert "县水利局" in about

    def test_healthz_reports_each_service(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}

    def test_healthz_fails_when_broker_is_down(self, client, monkeypatch):
        from congress.views import health

        def down():
            raise ConnectionError("broker down")

        monkeypatch.setattr(health, "_check_broker", down)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert json.loads(response.content)["broker"].startswith("error")

    def test_pages_send_a_content_security_policy(self, client):
        header = client.get("/")["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in header.split(";"))
        assert directives["script-src"].startswith("'self'")
        assert "unsafe" not in directives["script-src"]
        assert directives["object-src"] == "'none'"


def test_every_surface_names_the_site_icon_and_the_root_probe_finds_it(client):
    """Browsers, phones' home screens and WeChat ask for an icon; none of them gets a 404."""
    icon = static("favicon.ico")
    for url in (reverse("public:home"), reverse("login"), reverse("admin:login")):
        page = client.get(url).content.decode()
        assert f'<link rel="icon" href="{icon}"' in page, url
        assert f'<link rel="apple-touch-icon" href="{static("apple-touch-icon.png")}"' in page, url
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icon
    data = Path(finders.find("favicon.ico")).read_bytes()
    assert data[:4] == b"\0\0\1\0" and int.from_bytes(data[4:6], "little") == 3  # an ICO of 16, 32 and 48 px


@pytest.mark.django_db
def test_permissions_are_named_in_chinese_in_the_user_and_role_forms(client):
    """Django names permissions in English when it makes them ("Can add access attempt"); the
    back office lists them in the forms for users and roles, so they are named in Chinese."""
    permissions = Permission.objects.select_related("content_type")
    assert permissions.get(codename="add_meeting").name == "可添加会议"
    assert permissions.get(codename="publish_publication").name == "可以发布和撤回公开内容"
    assert permissions.get(codename="view_logentry", content_type__app_label="auditlog").name == "可查看日志记录"
    standard = Q(codename__startswith="add_") | Q(codename__startswith="change_") | Q(codename__startswith="delete_")
    assert not permissions.filter(standard | Q(codename__startswith="view_"), name__startswith="Can ").exists()
    client.force_login(UserFactory(username="root1", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_group_add")).content.decode()
    assert "可添加会议" in page and "Can add" not in page
