"""Related suggestions: the same matter asked again in new words, years apart. The seeds'
drainage station (seed 003: asked for ten years running) is the walk: nine suggestions about
the 南冲 station, 2011–2019 over three terms, among 300 unrelated county suggestions and 15
about other places' drainage works; the 2020 one is submitted by a deputy and its page shows
the nine as proposals, staff confirm them once, and the page then reads as one history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.text import features
from suggestions import selectors, services, similarity
from suggestions.models import RelatedProposal, SimilarityPosting, SimilarityProfile, Suggestion
from tests.suggestions import factories as f
from tests.suggestions.history import past_years

pytestmark = pytest.mark.django_db


def test_features_drop_years_and_common_wording_and_keep_place_names():
    feats = features("关于2019年尽快建设南冲电排站的建议", "礼乐街道南冲片区地势低洼，建议建设泵站。")
    assert "@南冲" in feats and "@南冲泵站" in feats  # 电排站 and 泵站 are one kind of facility
    assert "@礼乐街道" in feats and "@礼乐" in feats
    assert not any(g in feats for g in ("建议", "关于", "尽快", "20", "01", "19"))
    # A place known from other texts is found where a text says it alone.
    assert "@南冲" in features("关于解决片区水浸的建议", "南冲一带农田受浸。", places={"南冲"})


def test_place_names_are_read_the_way_the_county_writes_them():
    # Of two overlapping readings, the stem more texts name: 高桥镇, not 宽高桥.
    feats = features("关于拓宽高桥镇至红旗街道公路的建议", places={"高桥": 40, "宽高": 1})
    assert "@高桥镇" in feats and "@红旗街道" in feats and "@宽高" not in feats
    # A common word ending in a kind's character names no place before it.
    feats = features("关于硬化通组公路的建议", "改造农村电网，该桥被鉴定为危桥。")
    assert not [g for g in feats if g.startswith("@")]
    # A township's 卫生院 or school, with or without its kind; a school by its number.
    assert "@长乐卫生院" in features("关于长乐乡卫生院业务用房改造的建议") and "@长乐卫生院" in features("长乐卫生院")
    assert "@清河中学" in features("清河镇中学学生宿舍拥挤")
    assert "@县二中" in features("关于扩建县第二中学的建议") and "@县二中" in features("县2中大班额")


def submit_2020(history):
    newest = history["newest"]
    suggestion = f.draft(history["deputy_2020"], title=newest.title, text=newest.text)
    services.submit_suggestion(suggestion, deputy=suggestion.lead_deputy)
    suggestion.refresh_from_db()
    return suggestion


def test_the_2020_suggestion_is_proposed_all_nine_earlier_years():
    history = past_years()
    new = submit_2020(history)
    assert new.session.year == 2020 and SimilarityProfile.objects.filter(pk=new.pk).exists()

    matter = selectors.matter_history(new)
    proposed = [row.suggestion.pk for row in matter["proposed"]]
    assert set(proposed) == {s.pk for s in history["earlier"]}, [r.suggestion.title for r in matter["proposed"]]
    assert [r.suggestion.pk for r in matter["chain"]] == [new.pk]  # nothing confirmed yet
    first = next(r for r in matter["proposed"] if r.year == 2011)
    assert first.suggestion.title == "关于尽快建设南冲电排站的建议"
    assert first.unit == "县水利局" and first.reply.category == "C" and first.rating == "不满意"
    assert first.deputies == [first.suggestion.lead_deputy.name]


def test_staff_confirm_and_dismiss_once_and_the_history_reads_back_to_2011_across_terms():
    history = past_years()
    new = submit_2020(history)
    staff = f.staff_user()
    proposals = {r.suggestion.session.year: r.proposal for r in selectors.matter_history(new)["proposed"]}
    for year, pk in proposals.items():
        proposal = RelatedProposal.objects.get(pk=pk)
        if year == 2015:
            services.dismiss_related(proposal, suggestion=new, by=staff)
        else:
            services.confirm_related(proposal, suggestion=new, by=staff)
    with pytest.raises(services.SuggestionError):  # decided once
        services.confirm_related(RelatedProposal.objects.get(pk=proposals[2011]), suggestion=new, by=staff)

    matter = selectors.matter_history(new)
    assert [r.year for r in matter["chain"]] == [2011, 2012, 2013, 2014, 2016, 2017, 2018, 2019, 2020]
    assert {r.suggestion.session.term.number for r in matter["chain"]} == {14, 15, 16}
    assert matter["proposed"] == [] and matter["years"] == 9
    assert matter["chain"][-1].current
    # The 2011 suggestion's page reads the same history, forward to 2020.
    old = selectors.matter_history(history["earlier"][0])
    assert [r.year for r in old["chain"]][-1] == 2020 and not old["chain"][-1].current

    # Rebuilding the index proposes nothing already decided: the dismissed 2015 stays dismissed.
    similarity.rebuild()
    again = selectors.matter_history(new)
    assert again["proposed"] == [] and len(again["chain"]) == 9
    dismissed = RelatedProposal.objects.get(pk=proposals[2015])
    assert dismissed.status == "dismissed" and dismissed.decided_by == staff

    # Every decision left an audit row naming who made it.
    from auditlog.models import LogEntry

    entries = LogEntry.objects.filter(object_pk=str(new.pk), additional_data__isnull=False)
    verbs = [e.additional_data.get("verb") for e in entries]
    assert verbs.count("confirm_related") == 8 and verbs.count("dismiss_related") == 1
    assert all(e.actor == staff for e in entries if e.additional_data.get("verb", "").endswith("_related"))


def test_the_panel_reads_stored_proposals_in_a_fixed_number_of_queries():
    history = past_years(background=60, other_drainage=3)
    new = submit_2020(history)
    with CaptureQueriesContext(connection) as few:
        selectors.matter_history(new)
    staff = f.staff_user()
    for row in selectors.matter_history(new)["proposed"][:4]:
        services.confirm_related(RelatedProposal.objects.get(pk=row.proposal), suggestion=new, by=staff)
    with CaptureQueriesContext(connection) as linked:
        matter = selectors.matter_history(new)
    assert len(matter["chain"]) == 5 and len(matter["proposed"]) == 5
    # Links are followed one step per query (the confirmed ones all link to 2020: one step).
    assert len(few) <= 8 and len(linked) <= len(few) + 2


def test_drafts_are_not_indexed_and_a_new_matter_finds_nothing():
    history = past_years(background=60, other_drainage=3)
    draft = f.draft(
        history["deputy_2020"],
        title="关于建设县城图书馆分馆的建议",
        text="县城图书馆藏书少、座位不足，周末一座难求，建议在新区建设分馆。",
    )
    assert not SimilarityPosting.objects.filter(suggestion=draft).exists()
    services.submit_suggestion(draft, deputy=draft.lead_deputy)
    assert selectors.matter_history(draft)["proposed"] == []
    assert Suggestion.objects.get(pk=draft.pk).status == "submitted"


def test_the_years_statistics_name_the_matters_asked_again(client, django_capture_on_commit_callbacks):
    history = past_years(background=60, other_drainage=3)
    new = submit_2020(history)
    staff = f.staff_user()
    for row in selectors.matter_history(new)["proposed"]:
        services.confirm_related(RelatedProposal.objects.get(pk=row.proposal), suggestion=new, by=staff)
    repeats = selectors.repeated_matters(2020)
    assert len(repeats) == 1
    matter = repeats[0]
    assert matter.suggestion == new and matter.years == list(range(2011, 2021))
    assert matter.units == ["县水利局"] and [r.reply.category for r in matter.earlier][-1] == "A"
    # 2016's statistics see the matter up to 2016 only.
    assert selectors.repeated_matters(2016)[0].years == list(range(2011, 2017))

    client.force_login(staff)
    page = client.get("/admin/suggestions/suggestion/statistics/?year=2020").content.decode()
    assert "历年重复提出的事项" in page and new.title in page and "10（2011、2012" in page
    # The public page shows them once the year is published.
    assert client.get("/statistics/suggestions/2020/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # what is cached is forgotten on commit
        services.accept_suggestion(new, by=staff)
        services.publish_statistics(2020, by=staff)
    page = client.get("/statistics/suggestions/2020/").content.decode()
    assert "历年重复提出的事项" in page and "10（2011—2020）" in page and "县水利局" in page
    assert history["earlier"][0].lead_deputy.name not in page  # the public page names no deputy


def test_a_lookup_scores_only_the_best_candidates_of_its_rare_features(monkeypatch):
    """The cost of finding earlier ones is bounded (congress.text.CANDIDATES), not the number of
    texts sharing a word: among twenty villages' ditches, the 南冲 station is still found first."""
    from congress import text

    villages = [
        "东坪",
        "田心",
        "荷花",
        "茶园",
        "刘家",
        "胡家",
        "胜利",
        "枫树",
        "和平",
        "光明",
        "新民",
        "红星",
        "太阳",
        "金星",
        "长岭",
        "石桥",
        "大塘",
        "杨柳",
        "桂花",
        "竹园",
    ]
    texts = [(v, f"关于修建{v}村灌溉水渠的建议") for v in villages] + [("南冲", "关于建设南冲电排站的建议")]
    index = text.SimilarityIndex(texts)
    monkeypatch.setattr(text, "CANDIDATES", 5)
    found = index.scores(text.features("关于加快南冲泵站和灌溉水渠建设的建议", places=index.places))
    assert len(found) == 5
    assert max(found, key=found.get) == "南冲"


def test_deleting_a_suggestion_counts_its_features_down(client, django_user_model):
    """A suggestion deleted in the back office no longer makes its words look common, nor
    counts among the indexed suggestions: the index reads as if it had never been written."""
    from suggestions.models import SimilarityFeature

    history = past_years(background=30, other_drainage=2)
    before = dict(SimilarityFeature.objects.values_list("feature", "df"))
    new = submit_2020(history)
    feats = SimilarityProfile.objects.get(pk=new.pk).features
    assert similarity.indexed_count() == before[similarity.ALL] + 1
    assert SimilarityFeature.objects.get(feature="@南冲泵站").df == before["@南冲泵站"] + 1

    admin = django_user_model.objects.create_superuser("admin_i24", password="x")  # noqa: S106
    client.force_login(admin)
    response = client.post(f"/admin/suggestions/suggestion/{new.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Suggestion.objects.filter(pk=new.pk).exists()

    after = dict(SimilarityFeature.objects.filter(feature__in=[*feats, similarity.ALL]).values_list("feature", "df"))
    assert after == {g: before.get(g, 0) for g in [*feats, similarity.ALL]}
    assert not SimilarityPosting.objects.filter(suggestion_id=new.pk).exists()
    # Deleting another (one never assigned: handled ones are protected) counts its own down.
    old = Suggestion.objects.filter(assignments__isnull=True, similarity_profile__isnull=False).first()
    old_feats = SimilarityProfile.objects.get(pk=old.pk).features
    old.delete()
    assert SimilarityFeature.objects.get(feature=similarity.ALL).df == before[similarity.ALL] - 1
    assert all(
        df == before[g] - 1
        for g, df in SimilarityFeature.objects.filter(feature__in=old_feats).values_list("feature", "df")
    )
