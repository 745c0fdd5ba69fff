"""Past years of a county's suggestions, as an office that imported them finds them: the 南冲
drainage station asked for nine years running (2011–2019, three terms, one wording a year from
the labelled set in tests/suggestions/similarity/series.txt, each handled by the water bureau,
replied and rated), among unrelated county suggestions and other places' drainage works; the
index is built once (``rebuild_index``), as after an import. The 2020 wording is left for the
test to submit through the services, as a deputy would."""

import datetime

from django.utils import timezone

from congress.models import Term, Unit
from suggestions import similarity
from suggestions.models import Assignment, CongressSession, Feedback, Reply, Suggestion
from tests.factories import DeputyFactory, UnitFactory
from tests.suggestions import factories as f
from tests.suggestions.similarity.background import generate
from tests.suggestions.similarity.score import load_series

S = Suggestion.Status
# Term 14 elected in 2007, 15 in 2011 (late in the year), 16 in 2016: the matter crosses terms.
TERMS = [(14, 2007, 2011), (15, 2011, 2016), (16, 2016, 2021)]
REPLIES = {
    2011: ("C", "unsatisfied"),
    2012: ("C", "unsatisfied"),
    2013: ("B", "basic"),
    2014: ("C", "unsatisfied"),
    2015: ("B", "basic"),
    2016: ("B", "basic"),
    2017: ("B", "unsatisfied"),
    2018: ("B", "basic"),
    2019: ("A", "satisfied"),
}
OTHER_DRAINAGE = [
    ("关于建设{v}电排站的建议", "{t}{v}地势低洼，汛期农田常被水淹，现有排水沟渠淤塞，建议建设电排站，疏浚排水渠。"),
    ("关于解决{v}农田排涝问题的建议", "每逢雨季{t}{v}一带积水难排，稻田受浸减产，建议水利部门规划建设排涝设施。"),
    ("关于修复{t}{v}排水闸的建议", "{v}排水闸年久失修，闸门锈死，汛期无法开闸排水，建议尽快维修。"),
]
OTHER_PLACES = [
    ("龙泉镇", "张家村"),
    ("清河镇", "柳树村"),
    ("白沙镇", "河口村"),
    ("双河镇", "沙坝村"),
    ("永安镇", "大塘村"),
    ("太平乡", "下湾村"),
    ("新华镇", "田心村"),
    ("石门乡", "桥头村"),
    ("金山镇", "黄泥村"),
    ("高桥镇", "荷花村"),
    ("马鞍镇", "东坪村"),
    ("柳林乡", "竹园村"),
    ("古城镇", "梅子村"),
    ("向阳镇", "上湾村"),
    ("平安镇", "大湾村"),
]


def drainage_series() -> list:
    return load_series()["南冲电排站"]


def sessions() -> dict[int, CongressSession]:
    """One session of the county congress a year, 2011–2020; 2020's is the current one."""
    by_year = {}
    for number, first, last in TERMS:
        term, _created = Term.objects.get_or_create(
            number=number,
            defaults={
                "start_date": datetime.date(first, 12, 1),
                "end_date": datetime.date(last + (number == 16), 11, 30),
                "is_current": number == 16,
            },
        )
        for i, year in enumerate(range(max(first + 1, 2011), last + 1 + (number == 16))):
            if year > 2020 or year in by_year:
                continue
            by_year[year] = CongressSession.objects.get_or_create(
                term=term,
                number=i + 1,
                defaults={
                    "year": year,
                    "starts_on": datetime.date(year, 1, 10),
                    "ends_on": datetime.date(year, 1, 14),
                    "is_current": year == 2020,
                },
            )[0]
    return by_year


def past_years(*, background: int = 300, other_drainage: int = 15, propose_since: int | None = None) -> dict:
    """The office's past years: the nine drainage suggestions (2011–2019) and the others,
    handled and rated, with the index built. Returns the sessions, the nine (oldest first),
    the water bureau and a lead deputy of term 16 to submit the 2020 wording."""
    by_year = sessions()
    terms = {t.number: t for t in Term.objects.filter(number__in=[14, 15, 16])}
    deputies = {n: [DeputyFactory(term=terms[n]) for _ in range(4)] for n in terms}

    def term_of(year):
        return 14 if year <= 2011 else 15 if year <= 2016 else 16

    category = f.category()
    water = Unit.objects.filter(name="县水利局").first() or UnitFactory(name="县水利局")
    rows, series = [], drainage_series()
    for i, item in enumerate(series[:-1]):
        rows.append((item.year, item.title, item.text, deputies[term_of(item.year)][i % 4]))
    for i in range(other_drainage):
        title, text = OTHER_DRAINAGE[i % len(OTHER_DRAINAGE)]
        town, village = OTHER_PLACES[i % len(OTHER_PLACES)]
        year = 2011 + i % 9
        rows.append((year, title.format(t=town, v=village), text.format(t=town, v=village), deputies[term_of(year)][0]))
    for i, (year, title, text) in enumerate(generate(background, years=(2011, 2019))):
        rows.append((year, title, text, deputies[term_of(year)][i % 4]))
    numbers: dict[int, int] = {}
    suggestions = []
    for year, title, text, deputy in rows:
        numbers[year] = numbers.get(year, 0) + 1
        suggestions.append(
            Suggestion(
                session=by_year[year],
                number=numbers[year],
                lead_deputy=deputy,
                title=title,
                text=text,
                category=category,
                status=S.COMPLETED,
                submitted_at=timezone.make_aware(datetime.datetime(year, 1, 12, 10)),
            )
        )
    Suggestion.objects.bulk_create(suggestions)
    nine = list(suggestions[: len(series) - 1])
    for s in nine:
        year = s.session.year
        assigned = timezone.make_aware(datetime.datetime(year, 2, 1, 9))
        lead = Assignment.objects.create(
            suggestion=s,
            unit=water,
            role=Assignment.Role.LEAD,
            status=Assignment.Status.CLOSED,
            assigned_at=assigned,
            signed_at=assigned,
            return_due_at=assigned + datetime.timedelta(days=10),
        )
        category_, rating = REPLIES[year]
        reply = Reply.objects.create(
            suggestion=s,
            assignment=lead,
            category=category_,
            text=f"{year}年答复：南冲电排站建设情况说明。",
            letter="suggestions/replies/letter.pdf",
            replied_at=assigned + datetime.timedelta(days=80),
        )
        Feedback.objects.create(reply=reply, deputy=s.lead_deputy, rating=rating)
    similarity.rebuild(propose_since=propose_since)
    return {"sessions": by_year, "earlier": nine, "water": water, "deputy_2020": deputies[16][1], "newest": series[-1]}
