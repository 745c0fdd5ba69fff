"""``manage.py describe_site``: the start-up banner. Says, in Chinese, where each surface of
the system is, and (when the demo county is loaded) how to log in as each kind of person."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from congress import demo
from congress.models import Committee, User
from congress.services import accounts

# (what the surface is and who uses it, URL name)
SURFACES = [
    ("后台管理（常委会机关工作人员、常委会领导）", "admin:index"),
    ("代表页面（人大代表、常委会组成人员，手机使用）", "m:home"),
    ("单位门户（承办单位联络员）", "unit:home"),
    ("公众网站（向社会公开）", "public:home"),
    ("监督公示栏（各单位承诺事项和监督情况，可打印张贴于大厅）", "oversight:board"),
    ("健康检查", "healthz"),
    ("登录页面", "login"),
]


class Command(BaseCommand):
    help = "Print the address of every surface and the demo logins (the start-up banner)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=settings.SITE_URL,
            help="Base address the site is served at (default: SITE_URL).",
        )

    def handle(self, *args, url, **options):
        base = url.rstrip("/")
        committee = Committee.objects.first()
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(f"{committee.name if committee else '县人大常委会'} · 监督工作系统已启动"))
        write("")
        write("各入口地址：")
        for label, name in SURFACES:
            write(f"  {label}：{base}{reverse(name)}")
        if demo.is_loaded():
            self._demo_logins(base)
        else:
            write("")
            write("尚未加载演示数据；如需试用，请运行 manage.py load_demo。")
        write("")

    def _demo_logins(self, base: str) -> None:
        write = self.stdout.write
        users = User.objects.in_bulk([login.username for login in demo.DEMO_LOGINS], field_name="username")
        write("")
        write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for login in demo.DEMO_LOGINS:
            if login.username in users:
                write(f"  用户名 {login.username}：{login.role}，登录后进入 {base}{reverse(login.surface)}")
        user = users.get("deputy")
        deputy = getattr(user, "deputy", None) if user else None
        if deputy is not None:
            link = base + reverse("deputy_link_login", args=[accounts.login_token(deputy)])
            write("")
            write(f"演示代表“{deputy.name}”的个人登录链接（可制成二维码，免密码登录）：")
            write(f"  {link}")
        from congress.models import Poll
        from congress.views.screen import screen_url

        poll = Poll.objects.filter(status=Poll.Status.DRAFT).select_related("meeting").order_by("pk").first()
        if poll is not None:
            write("")
            write(f"“{poll.meeting.title}”的会场大屏（在投影仪上打开，无需登录；表决“{poll.title}”待开始）：")
            write(f"  {base}{screen_url(poll.meeting_id)}")
