"""The demo county: a whole standing committee at the seeds' scale, loaded once, with one
working login per role, and the start-up banner that says where everything is."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from congress import demo
from congress.models import (
    Attendance,
    Commission,
    CommissionSeat,
    Committee,
    Deputy,
    DeputyGroup,
    Meeting,
    Member,
    Official,
    Term,
    Unit,
    User,
)
from congress.validators import normalize_mobile

pytestmark = pytest.mark.django_db

FIGURES = [
    Committee,
    Term,
    DeputyGroup,
    Deputy,
    Member,
    Commission,
    CommissionSeat,
    Unit,
    Official,
    Meeting,
    Attendance,
]


@pytest.fixture
def loaded():
    assert demo.load_demo() is True


def counts():
    return {model.__name__: model.objects.count() for model in [*FIGURES, User]}


def test_deputies_at_the_seeds_scale(loaded):
    term = Term.objects.get()
    assert term.is_current and term.number == 17
    assert Committee.objects.get().county == "清河县"
    groups = DeputyGroup.objects.filter(term=term)
    assert groups.count() == 13
    assert all(g.name == f"{g.township}代表小组" for g in groups)
    county = Deputy.objects.filter(term=term, level=Deputy.Level.COUNTY)
    township = Deputy.objects.filter(term=term, level=Deputy.Level.TOWNSHIP)
    assert county.count() == 212
    assert township.count() == 591
    assert set(county.values_list("group", flat=True)) == set(groups.values_list("pk", flat=True))
    assert set(township.values_list("group", flat=True)) == set(groups.values_list("pk", flat=True))
    for group in groups:  # the convener is a county deputy of the group itself
        assert group.convener.group_id == group.pk and group.convener.level == Deputy.Level.COUNTY

    everyone = list(Deputy.objects.all())
    genders = Counter(d.gender for d in everyone)
    assert 0.15 < genders["F"] / len(everyone) < 0.45
    ethnicities = Counter(d.ethnicity for d in everyone)
    assert ethnicities["汉族"] / len(everyone) > 0.85 and len(ethnicities) > 1
    occupations = {c for c, _ in Deputy.Occupation.choices}
    assert {d.occupation for d in everyone} <= occupations
    assert {Deputy.Occupation.WORKER, Deputy.Occupation.FARMER, Deputy.Occupation.PROFESSIONAL} <= {
        d.occupation for d in everyone
    }
    assert {d.education for d in everyone} <= {c for c, _ in Deputy.Education.choices}
    assert all(d.workplace and d.birth_date for d in everyone)
    assert all(2 <= len(d.name) <= 4 for d in everyone)
    assert len({d.name for d in everyone}) == len(everyone)


def test_phones_valid_and_unique(loaded):
    # Logins made for deputies copy the deputy's phone; count each person once.
    phones = [*Deputy.objects.values_list("phone", flat=True), *Official.objects.values_list("phone", flat=True)]
    phones += User.objects.filter(deputy__isnull=True).exclude(phone="").values_list("phone", flat=True)
    # 803 deputies, 27 heads of units, 2 logins of their own (admin, staff), and the liaisons
    # (the demo's liaison login; with the year-round extension, every unit's).
    liaisons = User.objects.filter(unit__isnull=False, deputy__isnull=True).count()
    assert liaisons >= 1
    assert len(phones) == len(set(phones)) == 803 + 27 + 2 + liaisons
    for phone in phones:
        assert normalize_mobile(phone) == phone


def test_standing_committee(loaded):
    members = Member.objects.select_related("deputy")
    assert members.count() == 33
    assert members.filter(full_time=True).count() == 22
    positions = Counter(members.values_list("position", flat=True))
    assert positions[Member.Position.DIRECTOR] == 1
    assert positions[Member.Position.VICE_DIRECTOR] in (4, 5)
    assert positions[Member.Position.SECRETARY_GENERAL] == 1
    assert positions[Member.Position.MEMBER] == 33 - 2 - positions[Member.Position.VICE_DIRECTOR]
    assert all(m.deputy.level == Deputy.Level.COUNTY for m in members)

    special = Commission.objects.filter(kind=Commission.Kind.SPECIAL)
    assert set(special.values_list("name", flat=True)) == {
        "法制委员会",
        "财政经济委员会",
        "教育科学文化卫生委员会",
        "农业与农村委员会",
        "城乡建设环境保护委员会",
    }
    for commission in special:
        seats = list(commission.seats.select_related("deputy"))
        assert len(seats) == 5
        roles = Counter(s.role for s in seats)
        assert roles == {"chair": 1, "vice_chair": 2, "member": 2}
        assert all(s.deputy.level == Deputy.Level.COUNTY for s in seats)
    assert Commission.objects.filter(kind=Commission.Kind.WORKING).exists()
    assert Commission.objects.filter(kind=Commission.Kind.OFFICE).exists()


def test_units_heads_and_liaisons(loaded):
    units = Unit.objects.all()
    assert units.count() == 27
    assert units.filter(kind=Unit.Kind.DEPARTMENT).count() == 26
    assert units.filter(kind=Unit.Kind.VERTICAL).count() == 1
    for name in ["县教育局", "县卫生健康局", "县交通运输局", "县住房和城乡建设局", "县公安局", "县财政局"]:
        assert units.filter(name=name).exists()
    for unit in units.select_related("liaison_leader", "liaison_commission"):
        heads = unit.officials.filter(is_head=True, active=True)
        assert heads.count() == 1
        assert heads.get().position
        assert unit.liaison_leader.position == Member.Position.VICE_DIRECTOR
        assert unit.liaison_commission is not None


def test_upcoming_meetings_with_invitations(loaded):
    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    session = Meeting.objects.get(kind=Meeting.Kind.STANDING)
    leaders = Member.objects.exclude(position=Member.Position.MEMBER)
    assert set(directors.attendees.all()) == {m.deputy for m in leaders}
    assert session.attendees.count() == 33
    assert directors.starts_at < session.starts_at


def test_second_load_changes_nothing(loaded):
    before = counts()
    out = StringIO()
    assert demo.load_demo(stdout=out) is False
    assert "already loaded" in out.getvalue()
    assert counts() == before


def test_not_loaded_over_a_real_registry():
    Term.objects.create(number=18, start_date="2027-01-01", end_date="2031-12-31", is_current=True)
    assert demo.load_demo() is False
    assert not Deputy.objects.exists() and not Committee.objects.exists()


def test_load_demo_command_reports_what_it_did():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "212" in out.getvalue() and "591" in out.getvalue()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()


@pytest.mark.parametrize(
    ("username", "roles", "home"),
    [
        ("admin", set(), "/admin/"),
        ("staff", {"staff"}, "/admin/"),
        ("leader", {"leader", "member", "deputy"}, "/admin/"),
        ("member", {"member", "deputy"}, "/m/"),
        ("deputy", {"deputy"}, "/m/"),
        ("liaison", {"liaison"}, "/unit/"),
    ],
)
def test_demo_login_lands_on_its_surface(loaded, client, username, roles, home):
    user = User.objects.get(username=username)
    assert set(user.groups.values_list("name", flat=True)) == roles
    # django-axes wants the request it guards.
    request = RequestFactory().post("/accounts/login/")
    assert client.login(request=request, username=username, password=demo.DEMO_PASSWORD)
    response = client.get("/accounts/home/")
    assert response.status_code == 302
    assert response.url == home
    assert client.get(home).status_code == 200


def test_demo_logins_are_the_right_people(loaded):
    assert User.objects.get(username="admin").is_superuser
    leader = User.objects.get(username="leader")
    assert leader.is_staff and leader.deputy.member.position == Member.Position.VICE_DIRECTOR
    assert Unit.objects.get(name="县教育局").liaison_leader == leader.deputy.member
    member = User.objects.get(username="member")
    assert not member.is_staff and member.deputy.member.position == Member.Position.MEMBER
    deputy = User.objects.get(username="deputy")
    assert deputy.deputy.level == Deputy.Level.COUNTY and not hasattr(deputy.deputy, "member")
    assert User.objects.get(username="liaison").unit.name == "县教育局"


def test_describe_site_names_every_surface(loaded, client):
    out = StringIO()
    call_command("describe_site", "--url", "http://127.0.0.1:8000", stdout=out)
    text = out.getvalue()
    for path in ["/admin/", "/m/", "/unit/", "/healthz", "/accounts/login/"]:
        assert f"http://127.0.0.1:8000{path}" in text
    assert "http://127.0.0.1:8000/\n" in text or "http://127.0.0.1:8000/ " in text
    for login in demo.DEMO_LOGINS:
        assert login.username in text
    assert demo.DEMO_PASSWORD in text
    # The demo deputy's personal link works.
    link = next(line.strip() for line in text.splitlines() if "/m/link/" in line)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.post(path).url == "/m/"
    assert client.get("/m/").context["deputy"].user.username == "deputy"


def test_describe_site_gives_the_demo_hall_screens_address(loaded, client):
    demo.load_extensions()  # the evaluations' demo draws up the session's vote
    out = StringIO()
    call_command("describe_site", "--url", "http://127.0.0.1:8000", stdout=out)
    screen = next(line.strip() for line in out.getvalue().splitlines() if "/screen/" in line)
    page = client.get(screen.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "常委会" in page.content.decode()


def test_describe_site_without_demo():
    out = StringIO()
    call_command("describe_site", "--url", "https://renda.example.cn/", stdout=out)
    text = out.getvalue()
    assert "https://renda.example.cn/admin/" in text
    assert "load_demo" in text and demo.DEMO_PASSWORD not in text
