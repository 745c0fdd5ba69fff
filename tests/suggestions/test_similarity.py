"""Related suggestions at intake: among a few hundred suggestions of earlier years, a reworded
repeat of the same matter is found, and staff are not flooded with unrelated ones."""

import random

import pytest
from django.utils import timezone

from suggestions import selectors
from suggestions.models import CongressSession, Suggestion
from suggestions.similarity import bigrams, profile, rank
from tests.factories import DeputyFactory, TermFactory
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db

PLACES = [
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
]
ROADS = ["人民路", "建设路", "解放街", "文化路", "滨河大道", "工业园一路", "幸福街", "育才路"]
MATTERS = [
    ("修缮{p}中心小学教学楼", "{p}中心小学教学楼建于上世纪八十年代，墙体开裂，存在安全隐患，建议列入校舍改造计划。"),
    ("增设{p}至县城的公交线路", "{p}群众到县城就医办事只能乘坐私家车或摩的，出行不便，建议开通城乡公交线路。"),
    ("整治{r}占道经营", "{r}沿街商户和流动摊贩占道经营，早晚高峰交通拥堵，建议城管部门加强管理，规划临时疏导点。"),
    ("加强{p}农村饮水安全保障", "{p}部分村庄自来水水压不足、水质浑浊，夏季经常停水，建议改造供水管网。"),
    ("在{r}增设停车位", "{r}周边机动车停车位严重不足，车辆乱停乱放，建议利用闲置地块建设公共停车场。"),
    ("提高{p}卫生院医疗服务能力", "{p}卫生院医生不足，设备陈旧，群众看病需到县医院，建议引进医务人员、更新设备。"),
    ("规范{p}农村生活垃圾处理", "{p}农村垃圾收集点设置不足，垃圾随意倾倒焚烧，建议完善收运体系。"),
    ("扶持{p}特色农产品加工", "{p}盛产小米和红薯，但缺少加工企业，农产品附加值低，建议出台扶持政策招引企业。"),
    ("改善{r}老旧小区环境", "{r}老旧小区管网老化、路面破损、无物业管理，建议纳入老旧小区改造计划。"),
    ("加大{p}养老服务设施投入", "{p}留守老人多，日间照料中心设施简陋，建议加大投入，引入社会力量运营。"),
    ("安装{r}路灯", "{r}夜间照明不足，行人和车辆通行存在安全隐患，建议增设路灯并加强维护。"),
    ("治理{p}河道污染", "{p}境内河道沿岸养殖场污水直排，河水发黑发臭，建议开展综合整治。"),
]
DRAINAGE_2016 = (
    "关于尽快建设南冲电排站的建议",
    "礼乐街道南冲片区地势低洼，每逢汛期暴雨，农田和村道大面积水浸，农户损失严重。建议尽快立项建设南冲电排站。",
)
DRAINAGE_2025 = (
    "关于加快推进南冲电排站建设解决礼乐片区水浸的建议",
    "南冲片区汛期水浸问题多年未解决，礼乐农户的农田年年被淹。恳请水利部门将南冲电排站建设列入今年计划，早日开工。",
)


def corpus(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        title, text = rng.choice(MATTERS)
        p, r = rng.choice(PLACES), rng.choice(ROADS)
        rows.append((f"关于{title.format(p=p, r=r)}的建议", text.format(p=p, r=r)))
    return rows


def test_bigrams_ignore_boilerplate_and_punctuation():
    assert set(bigrams("关于尽快建设南冲电排站的建议。")) == {"建设", "设南", "南冲", "冲电", "电排", "排站"}


def test_a_reworded_repeat_is_found_among_hundreds_and_unrelated_ones_are_not():
    texts = corpus(400) + [DRAINAGE_2016]
    others = {i: profile(title, text) for i, (title, text) in enumerate(texts)}
    matches = rank(profile(*DRAINAGE_2025), others)
    assert [m.pk for m in matches] == [400]
    assert matches[0].score > 0.4

    # A new suggestion on a different matter in a place that has others: a few matches on
    # the same matter at most, never the drainage station, never dozens.
    new = ("关于修缮龙泉镇中心小学教学楼的建议", "龙泉镇中心小学教学楼年久失修，屋顶漏雨，建议尽快维修。")
    matches = rank(profile(*new), others)
    assert 400 not in [m.pk for m in matches]
    assert all("小学" in texts[m.pk][0] for m in matches)
    assert len(matches) <= 5
    # An unrelated matter nobody raised before finds nothing.
    lone = ("关于建设县城图书馆分馆的建议", "县城图书馆藏书少、座位不足，周末一座难求，建议在新区建设分馆。")
    assert rank(profile(*lone), others) == []


def test_intake_shows_the_earlier_years_of_the_same_matter():
    term = TermFactory()
    old_session = CongressSession.objects.create(
        term=term, number=1, year=2016, starts_on="2016-01-10", ends_on="2016-01-14"
    )
    deputy = DeputyFactory(term=term)
    rows = [
        Suggestion(session=old_session, lead_deputy=deputy, title=t, text=x, status=Suggestion.Status.COMPLETED)
        for t, x in corpus(200) + [DRAINAGE_2016]
    ]
    Suggestion.objects.bulk_create(rows)
    new = f.submitted(title=DRAINAGE_2025[0], text=DRAINAGE_2025[1])
    started = timezone.now()
    related = selectors.related_candidates(new)
    assert (timezone.now() - started).total_seconds() < 5
    assert [r.suggestion.title for r in related] == [DRAINAGE_2016[0]]
    assert related[0].suggestion.session.year == 2016 and not related[0].linked
