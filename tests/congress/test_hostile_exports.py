"""Every export opens in Excel and holds what people typed as text: a formula (=HYPERLINK, =1+1,
@SUM), a vertical tab pasted from Word, a NUL and a character outside the basic plane (𠀀) are
entered through the forms and pages that reach each export: the deputy's suggestion form, the
public questionnaire, the poll's title and items, a campaign's topics, the unit register, the
rectification opinions, the deputies' register. Each export is downloaded as staff do it and
opened with openpyxl: the cells hold the cleaned text, as text (never a formula).

Text already stored before it was cleaned on entry (an old suggestion title holding U+000B)
still exports: the writer removes what a workbook cannot hold."""

import io

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Deputy, Unit
from congress.services import voting
from evaluations.models import Opinion, Rectification, Topic
from suggestions.models import Suggestion
from surveys.models import Survey
from tests.factories import UserFactory, deputy_with_login, meeting_with_attendees
from tests.surveys.factories import questions, topic_survey

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
ONE_PLUS_ONE = "=1+1"
AT_SUM = "@SUM(A1)"
ASTRAL = "𠀀"  # U+20000, in names such as 𠀀家村


def typed(formula: str, words: str) -> tuple[str, str]:
    """What is typed (the formula, a vertical tab and a NUL pasted in, an astral character) and
    what the field keeps once cleaned."""
    return f"{formula}{words[:2]}\x0b{words[2:]}\x00{ASTRAL}", f"{formula}{words}{ASTRAL}"


def admin_form_post(client, url: str, changes: dict, *, form_id: str | None = None):
    """Post a back-office form as a browser would: every field as the page shows it, then the
    ``changes`` typed in."""
    page = client.get(url)
    assert page.status_code == 200, url
    doc = lxml.html.fromstring(page.content.decode())
    form = doc.xpath(f"//form[@id='{form_id}']" if form_id else "//form[contains(@id, '_form')]")[0]
    data: dict[str, list[str]] = {}
    for element in form.inputs:
        name = element.name
        if not name or "__prefix__" in name:
            continue
        if element.tag == "input":
            kind = (element.type or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if element.checked:
                    data.setdefault(name, []).append(element.get("value", "on"))
                continue
            data.setdefault(name, []).append(element.value or "")
        elif element.tag == "select":
            if element.multiple:
                data[name] = list(element.value)
            elif element.value:
                data[name] = [element.value]
            elif element.get("required") is not None:  # a required choice: the first one, as a clerk would
                data[name] = [next(v for v in element.value_options if v)]
        else:
            data.setdefault(name, []).append(element.value or "")
    data.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    data["_save"] = ["保存"]
    return client.post(url, data)


def form_errors(response) -> list[str]:
    doc = lxml.html.fromstring(response.content.decode())
    return [" ".join(e.getparent().itertext())[:200] for e in doc.xpath("//ul[contains(@class, 'errorlist')]")]


def assert_text_cells(content: bytes, expected: list[str]) -> None:
    """The workbook opens; each of ``expected`` is a cell of its own, held as text, and no cell
    anywhere is a formula."""
    workbook = load_workbook(io.BytesIO(content))
    cells = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    cells.setdefault(cell.value, cell)
    for text in expected:
        assert text in cells, f"{text!r} not in the workbook"
        assert cells[text].data_type == "s"
        assert cells[text].quotePrefix or not text.startswith(("=", "+", "-", "@"))


def assert_download(response, name: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    from urllib.parse import unquote

    assert unquote(disposition.split("''", 1)[1]) == name
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def test_the_roster_export_holds_deputies_names_as_text(staff):
    from congress.exports import export_filename

    term = deputy_with_login(name="王建国").term
    name, name_kept = typed(ONE_PLUS_ONE, "张伟明")
    workplace, workplace_kept = typed(HYPERLINK, "县水利局")
    response = admin_form_post(
        staff,
        reverse("admin:congress_deputy_add"),
        {"name": name, "workplace": workplace, "term": str(term.pk)},
    )
    assert response.status_code == 302, form_errors(response)
    deputy = Deputy.objects.get(name=name_kept)
    assert deputy.workplace == workplace_kept
    export = staff.get(reverse("admin:roster_export", args=["deputies"]))
    assert_text_cells(assert_download(export, export_filename("deputies")), [name_kept, workplace_kept])
    export = staff.get(reverse("admin:congress_deputy_export"))
    assert_text_cells(assert_download(export, export_filename("deputies")), [name_kept, workplace_kept])


def test_the_year_workbook_holds_unit_names_as_text(staff):
    from oversight.selectors import this_year

    name, kept = typed(HYPERLINK, "县市场监管局")
    response = admin_form_post(staff, reverse("admin:congress_unit_add"), {"name": name})
    assert response.status_code == 302, form_errors(response)
    assert Unit.objects.filter(name=kept).exists()
    year = this_year()
    export = staff.get(reverse("admin:oversight_activity_year") + f"?year={year}&format=xlsx")
    assert_text_cells(assert_download(export, f"年度监督工作统计-{year}.xlsx"), [kept])


def test_poll_results_hold_the_title_and_item_labels_as_text(staff):
    meeting, deputies = meeting_with_attendees(2)
    poll = voting.create_poll(meeting, title="满意度测评", kind="satisfaction", items=["县水利局", "县财政局"])
    title, title_kept = typed(ONE_PLUS_ONE, "工作评议测评")
    first, first_kept = typed(AT_SUM, "县水利局")
    second, second_kept = typed(HYPERLINK, "县财政局")
    items = list(poll.items.order_by("sort_order", "pk"))
    change = reverse("admin:congress_poll_change", args=[poll.pk])
    page = lxml.html.fromstring(staff.get(change).content.decode())
    existing = [
        n.removesuffix("-id")
        for n in page.xpath("//input[@value!=''][substring(@name, string-length(@name) - 2) = '-id']/@name")
    ]
    label_fields = [f"{prefix}-label" for prefix in existing if prefix.startswith("items-")]
    assert len(label_fields) == 2, existing
    response = admin_form_post(staff, change, {"title": title, label_fields[0]: first, label_fields[1]: second})
    assert response.status_code == 302, form_errors(response)
    poll.refresh_from_db()
    assert poll.title == title_kept
    assert sorted(i.label for i in poll.items.all()) == sorted([first_kept, second_kept])
    voting.open_poll(poll)
    voting.cast_ballot(poll, voting.Voter(deputy=deputies[0]), {str(items[0].pk): "satisfied"})
    voting.close_poll(poll)
    export = staff.get(reverse("admin:congress_poll_export", args=[poll.pk]))
    poll.refresh_from_db()
    content = assert_download(export, f"{title_kept}-测评结果.xlsx")
    assert_text_cells(content, [title_kept, first_kept, second_kept])


def test_the_years_suggestions_hold_the_deputys_title_as_text(staff, client):
    from tests.suggestions import factories as f

    session = f.current_session()
    deputy = deputy_with_login(name="孙丽华")
    title, kept = typed(HYPERLINK, "关于加快城区停车场建设的建议")
    deputy_client = type(client)()
    deputy_client.force_login(deputy.user)
    response = deputy_client.post(
        reverse("suggestions:m_new"),
        {"title": title, "text": f.DRAINAGE_TEXT, "category": f.category().pk, "cosigner_names": "", "submit": "1"},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.title == kept
    staff.post(reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, "accept"]), {})
    assert Suggestion.objects.get().number == 1
    export = staff.get(reverse("admin:suggestions_suggestion_export") + f"?year={session.year}")
    assert_text_cells(assert_download(export, f"代表建议-{session.year}.xlsx"), [kept])


def test_survey_responses_hold_the_publics_answers_as_text(staff, client):
    survey = topic_survey(audience=Survey.Audience.PUBLIC, title="2026年度部门工作满意度问卷")
    by_kind = questions(survey)
    answer, answer_kept = typed(ONE_PLUS_ONE, "希望增加城区公共停车位")
    name, name_kept = typed(AT_SUM, "马红梅")
    public = type(client)()
    response = public.post(
        reverse("surveys:public_answer", args=[survey.code]),
        {
            f"q{by_kind['single'].pk}": str(by_kind["single"].choices.first().pk),
            f"q{by_kind['rating'].pk}": "4",
            f"q{by_kind['topics'].pk}": [str(by_kind["topics"].choices.first().pk)],
            f"q{by_kind['text'].pk}": answer,
            "name": name,
            "phone": "13912345678",
        },
    )
    assert response.status_code == 302
    export = staff.get(reverse("admin:surveys_survey_export", args=[survey.pk]))
    content = assert_download(export, _survey_name(export))
    assert_text_cells(content, [answer_kept, name_kept])


def _survey_name(response) -> str:
    from urllib.parse import unquote

    name = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert name.startswith("2026年度部门工作满意度问卷-答卷-") and name.endswith(".xlsx")
    return name


def test_campaign_results_hold_topics_as_text(staff):
    from tests.evaluations.test_admin import decided_campaign

    campaign = decided_campaign(2)
    title, kept = typed(HYPERLINK, "农村公路养护不到位")
    response = admin_form_post(
        staff, reverse("admin:evaluations_topic_add"), {"title": title, "campaign": str(campaign.pk)}
    )
    assert response.status_code == 302, form_errors(response)
    topic = Topic.objects.get(title=kept)
    subject = campaign.subjects.order_by("sort_order", "pk").first()
    subject.topics.add(topic)
    export = staff.get(reverse("admin:evaluations_campaign_export", args=[campaign.pk]))
    content = assert_download(export, f"{campaign.title}-统计结果.xlsx")
    assert_text_cells(content, [kept])


def test_the_ledger_holds_opinions_as_text(staff):
    from congress.models import Meeting
    from tests.evaluations.test_admin import decided_campaign

    campaign = decided_campaign(1)
    subject = campaign.subjects.get()
    finding, finding_kept = typed(ONE_PLUS_ONE, "执法程序不规范")
    action, action_kept = typed(AT_SUM, "开展执法案卷评查")
    target, target_kept = typed(HYPERLINK, "执法案卷合格率")
    page = reverse("admin:evaluations_campaign_opinions", args=[campaign.pk])
    staff.post(
        page,
        {
            "step": "add",
            "subject": subject.pk,
            "finding": finding,
            "action": action,
            "target": target,
            "deadline": "2027-03-31",
        },
    )
    rectification = Rectification.objects.get(subject=subject)
    opinion = Opinion.objects.get(rectification=rectification)
    assert (opinion.finding, opinion.action, opinion.target) == (finding_kept, action_kept, target_kept)
    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    staff.post(page, {"step": "approve", "rectification": rectification.pk, "meeting": directors.pk})
    staff.post(page, {"step": "deliver", "rectification": rectification.pk})
    export = staff.get(reverse("admin:evaluations_rectification_ledger") + "?format=xlsx")
    stamp = timezone.localdate().strftime("%Y%m%d")
    content = assert_download(export, f"整改台账-{stamp}.xlsx")
    assert_text_cells(content, [finding_kept, action_kept, target_kept])


def test_text_stored_before_it_was_cleaned_still_exports(staff):
    """A title holding U+000B (pasted from Word) once made the year's export a 500; an answer
    longer than a cell holds is cut to Excel's 32,767 characters."""
    from surveys.models import Answer
    from tests.suggestions import factories as f

    suggestion = f.accepted()
    Suggestion.objects.filter(pk=suggestion.pk).update(title="=1+1关于\x0b加快城区停车场建设的建议")
    export = staff.get(reverse("admin:suggestions_suggestion_export") + f"?year={suggestion.session.year}")
    content = assert_download(export, f"代表建议-{suggestion.session.year}.xlsx")
    assert_text_cells(content, ["=1+1关于加快城区停车场建设的建议"])

    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    by_kind = questions(survey)
    type(staff)().post(
        reverse("surveys:public_answer", args=[survey.code]),
        {
            f"q{by_kind['single'].pk}": str(by_kind["single"].choices.first().pk),
            f"q{by_kind['rating'].pk}": "4",
            f"q{by_kind['topics'].pk}": [str(by_kind["topics"].choices.first().pk)],
            f"q{by_kind['text'].pk}": "希望增加城区公共停车位",
        },
    )
    Answer.objects.filter(question=by_kind["text"]).update(text="-" + "停车\x0b难" * 20000)
    content = b"".join(staff.get(reverse("admin:surveys_survey_export", args=[survey.pk])).streaming_content)
    cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    long = next(c for c in cells if isinstance(c.value, str) and c.value.startswith("-停车难"))
    assert long.data_type == "s" and len(long.value) == 32767


def test_every_export_view_names_its_file_in_chinese(staff):
    """No download is left with an English name (the poll's, the campaign's and the survey's are
    checked with their exports above)."""
    names = []
    for url in [
        reverse("admin:evaluations_rectification_ledger") + "?format=xlsx",
        reverse("admin:oversight_activity_year") + "?year=2026&format=xlsx",
        reverse("admin:suggestions_suggestion_export") + "?year=2026",
        reverse("admin:roster_export", args=["units"]),
    ]:
        response = staff.get(url)
        assert response.status_code == 200, url
        names.append(response["Content-Disposition"])
    assert all("filename*=utf-8''" in n for n in names), names
