"""Text cleaned where it enters: every text field of every form of the project, and of every
back-office form (each registered ModelAdmin's add form, its inlines' rows, its editable list),
is bound with what Word and a careless paste put into a field (NUL, U+000B, DEL, a C1 control,
U+FFFE, a lone surrogate, CRLF, full-width spaces at the ends) and must come out clean. A form
added without the cleaning fails here. The public questionnaire, which reads posted text
itself, and the roster import clean the same way."""

import contextlib
import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.forms.utils import ErrorDict
from django.test import RequestFactory
from django.urls import reverse

from congress.cleaning import CleanTextMixin, clean_text, is_text_field
from congress.services.imports.cells import cell_text
from surveys.models import Answer, Response, Survey
from tests.factories import UserFactory
from tests.surveys.factories import questions, topic_survey

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("congress", "evaluations", "oversight", "suggestions", "surveys", "media_publish")
# Modules that start a server or a worker when imported, not modules that hold forms.
NOT_IMPORTED = {"congress.wsgi", "congress.asgi"}

# What arrives from a paste: NUL, vertical tab (Word), DEL, a C1 control, U+FFFE, a lone
# surrogate, CRLF and a tab, full-width spaces at both ends, a formula-looking start.
HOSTILE = "\u3000=1+1\x00\x0b\x7f\x85\ufffe\ud800甲\r\n乙\t丙\u3000"
ONE_LINE = "=1+1甲 乙 丙"
MULTI_LINE = "=1+1甲\n乙\t丙"
FORBIDDEN = ["\x00", "\x0b", "\x7f", "\x85", "\ufffe", "\ud800", "\r"]


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name in NOT_IMPORTED:
                continue
            yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class written in the project's apps (imported from every module)."""
    list(_project_modules())
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT_APPS and cls.__module__ != "congress.cleaning"
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _bind(form_class, data, prefix=None) -> forms.BaseForm:
    """``form_class`` bound to ``data``; a form whose constructor needs more than its data (the
    record it belongs to, the deputy) is built by the plain form constructor, which is what binds
    the data and the fields the class declares."""
    try:
        return form_class(data=data, prefix=prefix)
    except TypeError:
        form = form_class.__new__(form_class)
        forms.BaseForm.__init__(form, data=data, prefix=prefix)
        return form


def check_text_fields_cleaned(form_class, where: str, *, prefix=None) -> list[str]:
    """Bind hostile text to every text field of ``form_class`` and clean the fields; the problems
    found, one a line (empty when every text field came out clean)."""
    probe = _bind(form_class, None, prefix)
    names = [name for name, field in probe.fields.items() if is_text_field(field) and not field.disabled]
    if not names:
        return []
    data = {probe.add_prefix(name): HOSTILE for name in names}
    form = _bind(form_class, data, prefix)
    form._errors, form.cleaned_data = ErrorDict(), {}
    # A clean_<field> method that needs the form's record (the deputy who drafts, whose term the
    # co-signers are looked up in) stops here; the text was cleaned before the first field was,
    # and that is what is checked below.
    with contextlib.suppress(AttributeError, KeyError):
        form._clean_fields()
    problems = []
    for name in names:
        field = form.fields[name]
        expected = MULTI_LINE if isinstance(field.widget, forms.Textarea) else ONE_LINE
        if not getattr(field, "strip", True):
            expected = f"\u3000{expected}\u3000"
        bound = form[name].data
        if bound != expected:
            problems.append(f"{where}.{name}: bound data {bound!r}, expected {expected!r}")
        value = form.cleaned_data.get(name)
        if isinstance(value, str) and any(ch in value for ch in FORBIDDEN):
            problems.append(f"{where}.{name}: cleaned value {value!r} still holds control characters")
        for error in form.errors.get(name, []):
            if "Null characters" in error or "空字符" in error:
                problems.append(f"{where}.{name}: NUL refused ({error}) instead of removed")
    return problems


def test_clean_text_rules():
    assert clean_text(HOSTILE) == ONE_LINE
    assert clean_text(HOSTILE, multiline=True) == MULTI_LINE
    assert clean_text("\u3000\u3000县城停车难\u3000") == "县城停车难"
    assert clean_text("县城　停车难") == "县城　停车难"  # a full-width space inside stays
    assert clean_text("第一条\r第二条\r\n第三条", multiline=True) == "第一条\n第二条\n第三条"
    assert clean_text("𠀀家村") == "𠀀家村"  # characters outside the basic plane are kept
    assert clean_text(None) is None and clean_text(3) == 3


def test_every_project_form_has_the_cleaning():
    classes = project_form_classes()
    assert len(classes) >= 30  # the walk found the project's forms (34 when this was written)
    missing = [f"{cls.__module__}.{cls.__qualname__}" for cls in classes if not issubclass(cls, CleanTextMixin)]
    assert missing == [], "forms without CleanTextMixin (derive from congress.cleaning.Form / ModelForm)"


def test_every_text_field_of_every_project_form_is_cleaned():
    problems, checked = [], 0
    for cls in project_form_classes():
        found = check_text_fields_cleaned(cls, f"{cls.__module__}.{cls.__qualname__}")
        problems += found
        checked += 1
    assert checked >= 30
    assert problems == []


def test_every_back_office_form_is_cleaned():
    superuser = UserFactory(username="guanliyuan", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    problems, forms_checked = [], 0
    for model, model_admin in admin.site._registry.items():
        label = f"{type(model_admin).__module__}.{type(model_admin).__name__}"
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue  # read-only (the audit log, login attempts): no form to submit
        problems += check_text_fields_cleaned(model_admin.get_form(request, None), label)
        forms_checked += 1
        if model_admin.list_editable:
            problems += check_text_fields_cleaned(model_admin.get_changelist_form(request), f"{label} list")
            forms_checked += 1
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            formset = inline.get_formset(request, None)
            problems += check_text_fields_cleaned(formset.form, f"{label} {inline_class.__name__}", prefix="row-0")
            forms_checked += 1
    assert forms_checked >= 50
    assert problems == []


def test_a_nul_in_a_public_questionnaire_answer_is_removed_not_a_server_error(client):
    """It was a 500 on PostgreSQL ("A string literal cannot contain NUL")."""
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    by_kind = questions(survey)
    data = {
        f"q{by_kind['single'].pk}": str(by_kind["single"].choices.get(label="满意").pk),
        f"q{by_kind['rating'].pk}": "4",
        f"q{by_kind['topics'].pk}": [str(c.pk) for c in by_kind["topics"].choices.all()[:2]],
        f"q{by_kind['text'].pk}": "\u3000希望增加\x00城区公共停车位\x0b\r\n尽快解决\u3000",
        "name": "马红\x00梅\u3000",
        "phone": "13912345678",
    }
    response = client.post(reverse("surveys:public_answer", args=[survey.code]), data)
    assert response.status_code == 302
    answer = Answer.objects.get(question=by_kind["text"])
    assert answer.text == "希望增加城区公共停车位\n尽快解决"
    assert Response.objects.get(survey=survey).name == "马红梅"


def test_the_suggestion_form_takes_a_nul_out_instead_of_refusing_it():
    from suggestions.forms import SuggestionForm

    form = SuggestionForm(data={"title": "关于\x00加快城区\x0b停车场建设的建议", "text": "县城停车难。\r\n建议如下。"})
    form.is_valid()
    assert "title" not in form.errors and "text" not in form.errors
    assert form.cleaned_data["title"] == "关于加快城区停车场建设的建议"
    assert form.cleaned_data["text"] == "县城停车难。\n建议如下。"


def test_the_roster_import_cleans_cells_the_same_way():
    assert cell_text("张\x0b三\x00") == "张三"
    assert cell_text("县交通运输局\u3000") == "县交通运输局"
    assert cell_text("第一行\r\n第二行") == "第一行\n第二行"


def test_a_user_name_pasted_with_a_nul_and_full_width_spaces_still_logs_in(client):
    UserFactory(username="bangongshi", password="Renda-2026-jiandu", roles=["staff"])
    for url in [reverse("login"), reverse("admin:login")]:
        client.logout()
        response = client.post(url, {"username": "\u3000bangong\x00shi\u3000", "password": "Renda-2026-jiandu"})
        assert response.status_code == 302, url
