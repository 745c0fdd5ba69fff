"""The demo county (清河县): a whole standing committee at the scale the seeds describe, so a
newcomer can open every surface of the system with real-looking data and log in as each kind
of person the committee works with.

What it holds, as a county of the 17th term would:

- the Committee and the current Term (第十七届, 2022–2027);
- 13 deputy groups (代表小组), one per township, each with a convener (the township's 人大主席);
- 212 county-level deputies and 591 township-level deputies, spread over the 13 groups;
- 33 standing committee members (常委会组成人员): a director, 5 vice-directors, a
  secretary-general and 26 members; 22 of them full-time;
- 5 special commissions (专门委员会) of 5 seats each (chair, 2 vice-chairs, 2 members), plus the
  working commissions and offices (工作委员会、办公室、研究室);
- 27 units under supervision (26 government departments and one vertical bureau), each with
  its head (述职人), a liaison leader (a vice-director) and a liaison commission (点对点联系);
- an upcoming director's meeting (主任会议) and standing committee session with invitations;
- one login for each role, all with the demo password ``DEMO_PASSWORD``.

People are made by a seeded generator (common surnames and given-name characters), so every
load yields the same county; nothing here needs Faker at run time. The load is one
transaction: either the whole county is there, or nothing is.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

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
    Reminder,
    Role,
    Term,
    Unit,
    User,
)
from congress.services import accounts
from congress.validators import normalize_mobile

DEMO_COMMITTEE_NAME = "清河县人民代表大会常务委员会"
DEMO_COUNTY = "清河县"
# Published on purpose: the start-up banner prints it next to the demo logins.
DEMO_PASSWORD = "Renda-2026!"  # noqa: S105
DEMO_SEED = 2022
TERM_NUMBER = 17
TERM_NAME = "第十七届"
TERM_START = datetime.date(2022, 1, 6)
TERM_END = datetime.date(2027, 1, 5)


@dataclass(frozen=True)
class DemoLogin:
    """One demo login: who it stands for in the committee's work, and where it lands."""

    username: str
    role: str  # what the person is, in Chinese, for the banner
    surface: str  # the URL name of the surface the person lands on after login


DEMO_LOGINS = [
    DemoLogin("admin", "系统管理员（超级用户）", "admin:index"),
    DemoLogin("staff", "常委会机关工作人员", "admin:index"),
    DemoLogin("leader", "常委会副主任（联系县教育局）", "admin:index"),
    DemoLogin("member", "常委会委员", "m:home"),
    DemoLogin("deputy", "县人大代表", "m:home"),
    DemoLogin("liaison", "县教育局联络员", "unit:home"),
]

# The 13 townships, each with its deputy group; the first is the county seat.
TOWNSHIPS = [
    "城关镇",
    "龙泉镇",
    "桃源乡",
    "清河镇",
    "石门乡",
    "白沙镇",
    "新华镇",
    "青山乡",
    "双河镇",
    "永安镇",
    "太平乡",
    "金山镇",
    "柳林镇",
]
# County deputies elected in each township's constituencies (212 in all).
COUNTY_SEATS = [24, 18, 17, 16, 16, 16, 16, 16, 15, 15, 15, 15, 13]
# Township deputies of each township's own congress (591 in all).
TOWNSHIP_SEATS = [64, 50, 48, 46, 46, 45, 44, 44, 43, 42, 41, 40, 38]
COUNTY_DEPUTY_COUNT = sum(COUNTY_SEATS)
TOWNSHIP_DEPUTY_COUNT = sum(TOWNSHIP_SEATS)
MEMBER_COUNT = 33
FULL_TIME_MEMBER_COUNT = 22
VICE_DIRECTOR_COUNT = 5

# (name, short name): the special commissions of the congress, 5 seats each.
SPECIAL_COMMISSIONS = [
    ("法制委员会", "法制委"),
    ("财政经济委员会", "财经委"),
    ("教育科学文化卫生委员会", "教科文卫委"),
    ("农业与农村委员会", "农委"),
    ("城乡建设环境保护委员会", "城建环保委"),
]
# (name, short name, kind): the standing committee's working bodies.
WORKING_BODIES = [
    ("代表工作委员会", "代表工委", Commission.Kind.WORKING),
    ("预算工作委员会", "预算工委", Commission.Kind.WORKING),
    ("监察和司法工作委员会", "监察司法工委", Commission.Kind.WORKING),
    ("办公室", "办公室", Commission.Kind.OFFICE),
    ("研究室", "研究室", Commission.Kind.OFFICE),
]
# Which vice-director leads which domain: the liaison leader of its units.
VICE_DIRECTOR_DOMAINS = [
    "教育科学文化卫生委员会",
    "财政经济委员会",
    "法制委员会",
    "农业与农村委员会",
    "城乡建设环境保护委员会",
]
# (unit, short name, kind, liaison commission, domain of the liaison leader).
UNITS = [
    ("县教育局", "教育局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县卫生健康局", "卫健局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县文化和旅游局", "文旅局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县人力资源和社会保障局", "人社局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县医疗保障局", "医保局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县科学技术局", "科技局", Unit.Kind.DEPARTMENT, "教育科学文化卫生委员会", "教育科学文化卫生委员会"),
    ("县发展和改革局", "发改局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县工业和信息化局", "工信局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县财政局", "财政局", Unit.Kind.DEPARTMENT, "预算工作委员会", "财政经济委员会"),
    ("县审计局", "审计局", Unit.Kind.DEPARTMENT, "预算工作委员会", "财政经济委员会"),
    ("县商务局", "商务局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县统计局", "统计局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县市场监督管理局", "市场监管局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县行政审批服务局", "行政审批局", Unit.Kind.DEPARTMENT, "财政经济委员会", "财政经济委员会"),
    ("县公安局", "公安局", Unit.Kind.DEPARTMENT, "监察和司法工作委员会", "法制委员会"),
    ("县司法局", "司法局", Unit.Kind.DEPARTMENT, "法制委员会", "法制委员会"),
    ("县民政局", "民政局", Unit.Kind.DEPARTMENT, "法制委员会", "法制委员会"),
    ("县退役军人事务局", "退役军人局", Unit.Kind.DEPARTMENT, "法制委员会", "法制委员会"),
    ("县应急管理局", "应急局", Unit.Kind.DEPARTMENT, "法制委员会", "法制委员会"),
    ("县农业农村局", "农业农村局", Unit.Kind.DEPARTMENT, "农业与农村委员会", "农业与农村委员会"),
    ("县水利局", "水利局", Unit.Kind.DEPARTMENT, "农业与农村委员会", "农业与农村委员会"),
    ("县自然资源局", "自然资源局", Unit.Kind.DEPARTMENT, "农业与农村委员会", "农业与农村委员会"),
    ("县住房和城乡建设局", "住建局", Unit.Kind.DEPARTMENT, "城乡建设环境保护委员会", "城乡建设环境保护委员会"),
    ("县交通运输局", "交通局", Unit.Kind.DEPARTMENT, "城乡建设环境保护委员会", "城乡建设环境保护委员会"),
    ("县生态环境局", "生态环境局", Unit.Kind.DEPARTMENT, "城乡建设环境保护委员会", "城乡建设环境保护委员会"),
    ("县城市管理局", "城管局", Unit.Kind.DEPARTMENT, "城乡建设环境保护委员会", "城乡建设环境保护委员会"),
    ("国家税务总局清河县税务局", "税务局", Unit.Kind.VERTICAL, "财政经济委员会", "财政经济委员会"),
]
LIAISON_UNIT = "县教育局"

# --- the people generator ---------------------------------------------------------------

# Common surnames, most frequent first; weights fall off with rank as they do in a census.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [max(1.0, 60.0 / (rank + 1) ** 0.8) for rank in range(len(SURNAMES))]
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰亮成志东文海兵春新振庆德胜利忠民永清家兴学福荣"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英红梅兰琴云莲萍燕雪婷颖倩慧洁琳丹晶月凤彩春晓莉佳欣悦雅琪淑珍爱玉美荣华"
MINORITIES = ["回族", "回族", "回族", "满族", "满族", "蒙古族", "壮族", "土家族"]
MOBILE_PREFIXES = [
    "139",
    "138",
    "137",
    "136",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "133",
    "189",
]
VILLAGES = [
    "张庄",
    "李家屯",
    "王官营",
    "北关",
    "南街",
    "东辛庄",
    "西杨庄",
    "前进",
    "红旗",
    "马厂",
    "后屯",
    "大吕",
    "小营",
    "赵庄",
    "孙洼",
    "刘桥",
    "陈楼",
    "高堂",
    "杨庄",
    "河东",
]
INDUSTRIES = ["羊绒制品", "汽车配件", "纺织", "食品", "建材", "机械制造", "新能源", "农产品加工", "物流", "电子科技"]

Occ = Deputy.Occupation
Edu = Deputy.Education
COUNTY_OCCUPATIONS = {
    Occ.CADRE: 26,
    Occ.WORKER: 12,
    Occ.FARMER: 20,
    Occ.PROFESSIONAL: 18,
    Occ.BUSINESS: 18,
    Occ.MILITARY: 1,
    Occ.OTHER: 5,
}
TOWNSHIP_OCCUPATIONS = {
    Occ.CADRE: 18,
    Occ.WORKER: 12,
    Occ.FARMER: 40,
    Occ.PROFESSIONAL: 12,
    Occ.BUSINESS: 15,
    Occ.OTHER: 3,
}
# Education by occupation: (postgraduate, bachelor, junior college, secondary, junior).
EDUCATION_ORDER = [Edu.POSTGRADUATE, Edu.BACHELOR, Edu.COLLEGE, Edu.SECONDARY, Edu.JUNIOR]
EDUCATION_WEIGHTS = {
    Occ.CADRE: [15, 65, 20, 0, 0],
    Occ.PROFESSIONAL: [20, 60, 18, 2, 0],
    Occ.BUSINESS: [5, 35, 35, 20, 5],
    Occ.WORKER: [0, 10, 40, 40, 10],
    Occ.FARMER: [0, 3, 22, 45, 30],
    Occ.MILITARY: [10, 80, 10, 0, 0],
    Occ.OTHER: [0, 20, 40, 30, 10],
}


def _workplace_options(rng: random.Random, occupation: str, township: str, level: str) -> tuple[list, list]:
    """Posts a deputy of this occupation may hold (工作单位及职务, as the roster writes it):
    (posts one person holds, such as a party secretary; posts many share, such as a teacher)."""
    village = rng.choice(VILLAGES)
    industry = rng.choice(INDUSTRIES)
    head = "乡长" if township.endswith("乡") else "镇长"
    county = level != Deputy.Level.TOWNSHIP
    if occupation == Occ.CADRE:
        if county:
            single = [
                f"{township}党委书记",
                f"{township}党委副书记、{head}",
                "县委组织部副部长",
                "县纪委监委副主任",
                "县委宣传部副部长",
                "县人民法院副院长",
                "县人民检察院副检察长",
                "县总工会副主席",
                "县妇联主席",
                "团县委书记",
            ]
            return single, [f"{township}党委委员、副{head}", f"{township}{village}村党支部书记"]
        single = [
            f"{township}党委委员、组织委员",
            f"{township}人大副主席",
            f"{township}农业综合服务中心主任",
            f"{township}社会事务办公室主任",
            f"{township}{village}村党支部书记",
        ]
        return single, [f"{township}党委委员、副{head}", f"{township}人民政府干部"]
    if occupation == Occ.WORKER:
        job = rng.choice(["车间主任", "技术员", "班组长", "一线职工", "质检员", "电工"])
        return [], [f"清河县{industry}有限公司{job}", f"{township}{industry}厂{job}"]
    if occupation == Occ.FARMER:
        single = [
            f"{township}{village}村党支部书记、村委会主任",
            f"{township}{rng.choice(['蔬菜', '果品', '粮食', '食用菌', '养殖'])}专业合作社理事长",
        ]
        return single, [f"{township}{village}村村民", f"{township}{village}村家庭农场主"]
    if occupation == Occ.PROFESSIONAL:
        if county:
            single = ["县中医院副院长", f"{township}中心卫生院院长", "县第一中学校长"]
            shared = [
                f"县人民医院{rng.choice(['内科', '外科', '儿科', '妇产科'])}主任医师",
                "县第一中学教师",
                "县农业技术推广中心高级农艺师",
                f"清河{rng.choice(['正义', '明德', '公信'])}律师事务所律师",
                "县疾病预防控制中心主任医师",
                "县职业教育中心教师",
            ]
            return single, shared
        single = [f"{township}中心小学校长", f"{township}中学校长"]
        shared = [
            f"{township}中心卫生院医生",
            f"{township}中心小学教师",
            f"{township}中学教师",
            f"{township}农业技术服务站农艺师",
            f"{township}{village}村卫生室乡村医生",
        ]
        return single, shared
    if occupation == Occ.BUSINESS:
        post = rng.choice(["董事长", "总经理"])
        return [f"清河县{industry}有限公司{post}"], [f"{township}{industry}商贸有限公司经理"]
    if occupation == Occ.MILITARY:
        return ["县人民武装部政委", "县人民武装部部长", "县消防救援大队大队长"], ["县人民武装部参谋"]
    if county:
        single = ["县工商联副主席", "县残联理事长", f"{township}社区居委会主任"]
        return single, [f"{township}个体工商户"]
    return [f"{township}社区居委会主任"], [f"{township}个体工商户"]


class PeopleMaker:
    """Makes people for the demo from one seeded random source: unique names and unique
    mobile numbers that pass the registry's validator, realistic gender, ethnicity and age."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.phones: set[str] = set()
        self.posts: set[str] = set()

    def name(self, gender: str) -> tuple[str, str]:
        """(surname, given name), unique among everyone made so far."""
        rng = self.rng
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        while True:
            surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
            given = rng.choice(chars)
            if rng.random() < 0.75:
                second = rng.choice(chars)
                if second == given:
                    continue
                given += second
            if surname + given not in self.names:
                self.names.add(surname + given)
                return surname, given

    def phone(self) -> str:
        while True:
            candidate = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if candidate in self.phones:
                continue
            try:
                number = normalize_mobile(candidate)
            except ValidationError:
                continue
            self.phones.add(number)
            return number

    def gender(self, female_share: float) -> str:
        return "F" if self.rng.random() < female_share else "M"

    def ethnicity(self) -> str:
        return self.rng.choice(MINORITIES) if self.rng.random() < 0.05 else "汉族"

    def birth_date(self, first_year: int, last_year: int) -> datetime.date:
        start = datetime.date(first_year, 1, 1)
        span = (datetime.date(last_year, 12, 31) - start).days
        return start + datetime.timedelta(days=self.rng.randrange(span))

    def workplace(self, occupation: str, township: str, level: str) -> str:
        """A post for a new deputy: one nobody holds yet, or one that many people share."""
        single, shared = _workplace_options(self.rng, occupation, township, level)
        free = [post for post in single if post not in self.posts]
        post = self.rng.choice(free + shared) if free else self.rng.choice(shared)
        self.posts.add(post)
        return post

    def deputy(self, term: Term, group: DeputyGroup, level: str, female_share: float) -> Deputy:
        """One deputy of ``group``'s township at ``level``, not yet saved."""
        rng = self.rng
        weights = COUNTY_OCCUPATIONS if level == Deputy.Level.COUNTY else TOWNSHIP_OCCUPATIONS
        occupation = rng.choices(list(weights), weights=list(weights.values()))[0]
        gender = self.gender(female_share)
        surname, given = self.name(gender)
        return Deputy(
            term=term,
            name=surname + given,
            gender=gender,
            ethnicity=self.ethnicity(),
            birth_date=self.birth_date(1963, 1994),
            level=level,
            occupation=occupation,
            education=rng.choices(EDUCATION_ORDER, weights=EDUCATION_WEIGHTS[occupation])[0],
            workplace=self.workplace(occupation, group.township, level),
            phone=self.phone(),
            group=group,
        )


# --- loading ------------------------------------------------------------------------------


# Workflow apps add their own demo data (suggestions, …) through extensions they register in
# ``AppConfig.ready``; the institution never imports them. Each extension takes ``stdout`` and
# must be idempotent: ``manage.py load_demo`` runs them every time the demo county is there.
_extensions: list = []


def register_extension(load) -> None:
    """Add an app's demo loader, run after the county by ``load_extensions``."""
    if load not in _extensions:
        _extensions.append(load)


def load_extensions(*, stdout=None) -> None:
    """Run every app's demo loader (each does nothing when its data is already there)."""
    if not is_loaded():
        return
    for load in _extensions:
        load(stdout=stdout)


def is_loaded() -> bool:
    """Whether the demo county is in the database (its Committee row is written in the same
    transaction as everything else, so its presence means the whole demo is there)."""
    return Committee.objects.filter(name=DEMO_COMMITTEE_NAME, county=DEMO_COUNTY).exists()


def load_demo(*, stdout=None) -> bool:
    """Create the demo county in one transaction. Returns True when it was loaded, False when
    nothing was done: the demo is already there, or the database already holds a committee's
    own registry (a real installation is never mixed with demo people)."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    reason = _refusal()
    if reason:
        say(reason)
        return False
    started = timezone.now()
    try:
        with transaction.atomic():
            reason = _refusal()  # checked again under the transaction: another load may have won
            if reason:
                say(reason)
                return False
            summary = _build(random.Random(DEMO_SEED))
            transaction.on_commit(lambda: cache.delete("congress:committee-name"))
    except IntegrityError:
        # A concurrent load committed its (singleton) committee between our check and insert.
        reason = _refusal()
        if reason is None:
            raise
        say(reason)
        return False
    seconds = (timezone.now() - started).total_seconds()
    say(f"已加载演示县“{DEMO_COUNTY}”（{seconds:.1f} 秒）：")
    for line in summary:
        say(f"  {line}")
    return True


def _refusal() -> str | None:
    """Why the demo must not be loaded now, or None when the registry is empty."""
    if is_loaded():
        return f"演示县“{DEMO_COUNTY}”已加载（already loaded），未作任何改动。"
    if any(model.objects.exists() for model in (Committee, Term, Deputy, Unit, Commission)):
        return "数据库中已有常委会、届次、代表或单位数据，未加载演示数据（demo not loaded）。"
    return None


def _build(rng: random.Random) -> list[str]:
    """Write the whole county; returns the summary lines."""
    people = PeopleMaker(rng)
    Committee.objects.create(
        name=DEMO_COMMITTEE_NAME,
        county=DEMO_COUNTY,
        address="清河县城关镇人民路1号",
        phone="0319-8123456",
        document_code="清人常",
    )
    term = Term.objects.create(number=TERM_NUMBER, start_date=TERM_START, end_date=TERM_END, is_current=True)
    groups = DeputyGroup.objects.bulk_create(
        [
            DeputyGroup(term=term, name=f"{township}代表小组", township=township, sort_order=i)
            for i, township in enumerate(TOWNSHIPS, start=1)
        ]
    )

    # County deputies: the first of each group is its convener, the township's 人大主席.
    county = []
    conveners = []
    for group, seats in zip(groups, COUNTY_SEATS, strict=True):
        for i in range(seats):
            deputy = people.deputy(term, group, Deputy.Level.COUNTY, female_share=0.28)
            if i == 0:
                deputy.occupation = Occ.CADRE
                deputy.education = Edu.BACHELOR
                deputy.workplace = f"{group.township}人大主席"
                conveners.append(deputy)
            county.append(deputy)
    convener_ids = {id(d) for d in conveners}
    candidates = [d for d in county if id(d) not in convener_ids]
    chosen = rng.sample(candidates, MEMBER_COUNT + 4)
    member_deputies, seat_only_deputies = chosen[:MEMBER_COUNT], chosen[MEMBER_COUNT:]
    plan = _member_plan()
    for deputy, (_, full_time, post, _seat) in zip(member_deputies, plan, strict=True):
        if full_time:
            # Full-time members are cadres of the committee itself; the roster names their post.
            deputy.occupation = Occ.CADRE
            deputy.education = rng.choice([Edu.BACHELOR, Edu.BACHELOR, Edu.POSTGRADUATE])
            deputy.workplace = post
            deputy.birth_date = people.birth_date(1964, 1976)

    township_deputies = [
        people.deputy(term, group, Deputy.Level.TOWNSHIP, female_share=0.3)
        for group, seats in zip(groups, TOWNSHIP_SEATS, strict=True)
        for _ in range(seats)
    ]
    Deputy.objects.bulk_create(county + township_deputies, batch_size=500)
    for group, convener in zip(groups, conveners, strict=True):
        group.convener = convener
    DeputyGroup.objects.bulk_update(groups, ["convener"])

    members = Member.objects.bulk_create(
        [
            Member(term=term, deputy=deputy, position=position, full_time=full_time, sort_order=order)
            for order, (deputy, (position, full_time, _post, _seat)) in enumerate(
                zip(member_deputies, plan, strict=True), start=1
            )
        ]
    )

    commissions = _commissions()
    seats = _seats(commissions, member_deputies, plan, seat_only_deputies)
    vice_directors = [m for m in members if m.position == Member.Position.VICE_DIRECTOR]
    leader_of_domain = dict(zip(VICE_DIRECTOR_DOMAINS, vice_directors, strict=True))
    units = Unit.objects.bulk_create(
        [
            Unit(
                name=name,
                short_name=short,
                kind=kind,
                liaison_leader=leader_of_domain[domain],
                liaison_commission=commissions[commission],
                phone=f"0319-81{rng.randrange(10**5):05d}",
                sort_order=order,
            )
            for order, (name, short, kind, commission, domain) in enumerate(UNITS, start=1)
        ]
    )
    officials = Official.objects.bulk_create([_head(people, unit) for unit in units])
    meetings, invitations = _meetings(term, members)
    logins = _logins(people, units, members, county, member_deputies, seat_only_deputies, conveners)
    reminded = _group_reminder(groups[0])

    full_time = sum(1 for m in members if m.full_time)
    return [
        f"常委会：{DEMO_COMMITTEE_NAME}，{TERM_NAME}（{TERM_START} 至 {TERM_END}）",
        f"代表小组 {len(groups)} 个；县级人大代表 {len(county)} 名；乡镇人大代表 {len(township_deputies)} 名",
        f"常委会组成人员 {len(members)} 名（专职 {full_time} 名）",
        f"专门委员会 {len(SPECIAL_COMMISSIONS)} 个、工作机构 {len(WORKING_BODIES)} 个，席位 {seats} 个",
        f"被监督单位 {len(units)} 个，负责人 {len(officials)} 名",
        f"会议 {meetings} 个（邀请 {invitations} 人次）",
        f"提醒 1 条：{groups[0].name} {reminded} 名代表（manage.py send_reminders 发送短信）",
        f"演示账号 {len(logins)} 个：{'、'.join(logins)}（密码 {DEMO_PASSWORD}）",
    ]


def _member_plan() -> list[tuple[str, bool, str, tuple[str, str] | None]]:
    """The 33 members in order: (position, full-time, post on the roster, commission seat).
    The seat is (commission name, seat role) or None."""
    P = Member.Position
    S = CommissionSeat.Role
    plan = [(P.DIRECTOR, True, "县人大常委会主任", None)]
    plan += [(P.VICE_DIRECTOR, True, "县人大常委会副主任", None)] * VICE_DIRECTOR_COUNT
    plan.append((P.SECRETARY_GENERAL, True, "县人大常委会秘书长、办公室主任", ("办公室", S.CHAIR)))
    # Full-time members: who runs each commission and working body.
    for name, _short in SPECIAL_COMMISSIONS:
        plan.append((P.MEMBER, True, f"县人大{name}主任委员", (name, S.CHAIR)))
    for name, _short in SPECIAL_COMMISSIONS:
        plan.append((P.MEMBER, True, f"县人大{name}副主任委员", (name, S.VICE_CHAIR)))
    for name, _short, kind in WORKING_BODIES:
        if kind == Commission.Kind.WORKING or name == "研究室":
            plan.append((P.MEMBER, True, f"县人大常委会{name}主任", (name, S.CHAIR)))
    plan.append((P.MEMBER, True, "县人大常委会办公室副主任", ("办公室", S.VICE_CHAIR)))
    # Part-time members keep their own workplace; they fill the other special seats.
    for name, _short in SPECIAL_COMMISSIONS:
        plan.append((P.MEMBER, False, "", (name, S.VICE_CHAIR)))
    for name, _short in SPECIAL_COMMISSIONS:
        plan.append((P.MEMBER, False, "", (name, S.MEMBER)))
    plan.append((P.MEMBER, False, "", (SPECIAL_COMMISSIONS[0][0], S.MEMBER)))
    return plan


def _commissions() -> dict[str, Commission]:
    rows = [Commission(name=n, short_name=s, kind=Commission.Kind.SPECIAL) for n, s in SPECIAL_COMMISSIONS]
    rows += [Commission(name=n, short_name=s, kind=k) for n, s, k in WORKING_BODIES]
    for order, row in enumerate(rows, start=1):
        row.sort_order = order
    return {c.name: c for c in Commission.objects.bulk_create(rows)}


def _seats(commissions, member_deputies, plan, seat_only_deputies) -> int:
    """Seats from the member plan, then ordinary deputies fill the special commissions up to
    5 seats each (1 chair, 2 vice-chairs, 2 members)."""
    seats = [
        CommissionSeat(commission=commissions[seat[0]], deputy=deputy, role=seat[1])
        for deputy, (_, _, _, seat) in zip(member_deputies, plan, strict=True)
        if seat
    ]
    filled = dict.fromkeys(commissions, 0)
    for seat in seats:
        filled[seat.commission.name] += 1
    spare = iter(seat_only_deputies)
    for name, _short in SPECIAL_COMMISSIONS:
        while filled[name] < 5:
            seats.append(
                CommissionSeat(commission=commissions[name], deputy=next(spare), role=CommissionSeat.Role.MEMBER)
            )
            filled[name] += 1
    CommissionSeat.objects.bulk_create(seats)
    return len(seats)


def _head(people: PeopleMaker, unit: Unit) -> Official:
    """The unit's head (述职人): a bureau chief appointed by the standing committee. (A vertical
    bureau's chief is appointed by the higher bureau; the registry records it as appointed.)"""
    gender = people.gender(0.2)
    surname, given = people.name(gender)
    start = datetime.date(2019, 3, 1)
    return Official(
        name=surname + given,
        gender=gender,
        unit=unit,
        position="局长",
        appointment=Official.Appointment.APPOINTED,
        is_head=True,
        phone=people.phone(),
        took_office=start + datetime.timedelta(days=people.rng.randrange(6 * 365)),
    )


def _meetings(term: Term, members: list[Member]) -> tuple[int, int]:
    """An upcoming director's meeting (director, vice-directors, secretary-general) and the
    standing committee session a week later (all members), with everyone invited."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    directors = Meeting.objects.create(
        term=term,
        kind=Meeting.Kind.DIRECTORS,
        title=f"县{TERM_NAME}人大常委会第六十一次主任会议",
        starts_at=datetime.datetime.combine(today + datetime.timedelta(days=3), datetime.time(9, 0), tzinfo=tz),
        place="县人大常委会第一会议室",
    )
    session = Meeting.objects.create(
        term=term,
        kind=Meeting.Kind.STANDING,
        title=f"县{TERM_NAME}人大常委会第三十二次会议",
        starts_at=datetime.datetime.combine(today + datetime.timedelta(days=10), datetime.time(8, 30), tzinfo=tz),
        place="县人大常委会会议厅",
    )
    rows = [Attendance(meeting=directors, deputy_id=m.deputy_id) for m in members if m.is_leader]
    rows += [Attendance(meeting=session, deputy_id=m.deputy_id) for m in members]
    Attendance.objects.bulk_create(rows)
    return 2, len(rows)


def _group_reminder(group: DeputyGroup) -> int:
    """A reminder the office set for one deputy group, due now: most of its deputies have no
    login, so it reaches them by SMS with their personal link (manage.py send_reminders)."""
    reminder = Reminder.objects.create(
        title="请于本周五前在手机上提交年度履职情况",
        body=f"{group.name}各位代表：年度履职登记已开放，请按时填报。县人大常委会代表工作委员会",
        url="/m/",
        remind_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    deputies = list(Deputy.objects.filter(group=group).values_list("pk", flat=True))
    reminder.deputies.set(deputies)
    return len(deputies)


def _logins(people, units, members, county, member_deputies, seat_only_deputies, conveners) -> list[str]:
    """One login per role, all with the demo password. A username already taken is left
    alone (an installer may have made their own ``admin`` first)."""
    password = make_password(DEMO_PASSWORD)
    taken = set(
        User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list("username", flat=True)
    )
    made = []

    def person_user(username: str, **fields) -> User:
        gender = people.gender(0.5)
        surname, given = people.name(gender)
        user = User(username=username, last_name=surname, first_name=given, phone=people.phone(), **fields)
        user.password = password
        user.save()
        return user

    def deputy_user(username: str, deputy: Deputy) -> User:
        user = accounts.ensure_deputy_user(deputy)
        user.username = username
        user.password = password
        user.save(update_fields=["username", "password"])
        return user

    if "admin" not in taken:
        person_user("admin", is_staff=True, is_superuser=True)
        made.append("admin")
    if "staff" not in taken:
        accounts.grant_role(person_user("staff"), Role.STAFF)
        made.append("staff")
    if "leader" not in taken:
        vice_director = next(m for m in members if m.position == Member.Position.VICE_DIRECTOR)
        accounts.grant_role(deputy_user("leader", vice_director.deputy), Role.LEADER)
        made.append("leader")
    if "member" not in taken:
        ordinary = next(m for m in members if m.position == Member.Position.MEMBER and not m.full_time)
        deputy_user("member", ordinary.deputy)
        made.append("member")
    if "deputy" not in taken:
        busy = {id(d) for d in (*member_deputies, *seat_only_deputies, *conveners)}
        deputy_user("deputy", next(d for d in county if id(d) not in busy))
        made.append("deputy")
    if "liaison" not in taken:
        unit = next(u for u in units if u.name == LIAISON_UNIT)
        accounts.grant_role(person_user("liaison", unit=unit), Role.LIAISON)
        made.append("liaison")
    return made
