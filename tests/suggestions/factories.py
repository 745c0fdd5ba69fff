"""Suggestions with realistic content: the current congress session, the office's categories,
and suggestions brought to each step of their handling through the services themselves."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congress.models import Unit
from suggestions import services
from suggestions.models import Category, CongressSession, Suggestion
from tests.factories import TermFactory, UnitFactory, UserFactory, deputy_with_login, liaison_for
from tests.files import pdf_bytes
from tests.files import upload as real_file

CATEGORIES = ["城乡建设", "农业农村", "教育卫生", "社会保障", "经济发展", "生态环境", "政法综合"]

DRAINAGE_TITLE = "关于尽快建设南冲电排站的建议"
DRAINAGE_TEXT = (
    "礼乐街道南冲片区地势低洼，每逢汛期暴雨，农田和村道大面积水浸，农户损失严重。"
    "现有排涝设施老化，排水能力不足。建议县水利局尽快立项建设南冲电排站，"
    "配套疏浚南冲河道，彻底解决礼乐农户的水浸问题。"
)


def current_session(**kwargs) -> CongressSession:
    """第十七届人民代表大会第五次会议, held in January 2026; the suggestions' rules at their defaults."""
    session = CongressSession.objects.filter(is_current=True).first()
    if session:
        return session
    today = timezone.localdate()
    defaults = {
        "term": TermFactory(),
        "number": 5,
        "year": today.year,
        "starts_on": today - datetime.timedelta(days=2),
        "ends_on": today + datetime.timedelta(days=2),
        "is_current": True,
    }
    return CongressSession.objects.create(**{**defaults, **kwargs})


def category(name="城乡建设") -> Category:
    return Category.objects.get_or_create(name=name, defaults={"sort_order": CATEGORIES.index(name)})[0]


def letter(name="答复函.pdf") -> SimpleUploadedFile:
    return real_file(name, pdf_bytes(text="签章答复函"))


def staff_user(username="renda_bgs"):
    return UserFactory(username=username, roles=["staff"])


def draft(deputy=None, *, title=DRAINAGE_TITLE, text=DRAINAGE_TEXT, cosigners=()) -> Suggestion:
    current_session()
    deputy = deputy or deputy_with_login()
    return services.save_draft(deputy, title=title, text=text, category=category(), cosigners=cosigners)


def submitted(deputy=None, **kwargs) -> Suggestion:
    suggestion = draft(deputy, **kwargs)
    services.submit_suggestion(suggestion, deputy=suggestion.lead_deputy)
    suggestion.refresh_from_db()
    return suggestion


def accepted(deputy=None, *, by=None, **kwargs) -> Suggestion:
    suggestion = submitted(deputy, **kwargs)
    services.accept_suggestion(suggestion, by=by or staff_user())
    suggestion.refresh_from_db()
    return suggestion


def assigned(deputy=None, *, unit: Unit | None = None, co_units=(), by=None, **kwargs):
    """An assigned suggestion, its lead assignment and a liaison of the lead unit."""
    by = by or staff_user()
    suggestion = accepted(deputy, by=by, **kwargs)
    unit = unit or UnitFactory(name="县水利局")
    liaison = liaison_for(unit) if not unit.liaisons.exists() else unit.liaisons.first()
    rows = services.assign_suggestion(suggestion, lead_unit=unit, co_units=co_units, by=by)
    suggestion.refresh_from_db()
    return suggestion, rows[0], liaison
