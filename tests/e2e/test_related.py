"""The same matter asked again, in a real browser: the 南冲 drainage station asked for nine
years running (2011–2019, three terms) among 300 unrelated suggestions and 15 about other
places' drainage works; the 2020 wording is submitted, and the office's page of it proposes
all nine; staff confirm each once, and the page shows the whole chain back to 2011 (year,
deputies, unit, reply, rating); the deputy's phone shows the same history."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress.services import accounts
from suggestions import services
from suggestions.models import RelatedProposal, Suggestion
from tests.e2e.conftest import assert_no_horizontal_scroll, url_re, watch_errors
from tests.e2e.test_suggestions import phone_login
from tests.suggestions import factories as f
from tests.suggestions.history import past_years

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_the_2020_suggestions_page_shows_the_whole_chain_back_to_2011(live_server, desktop, phone, screenshot):
    history = past_years()
    deputy = history["deputy_2020"]
    accounts.ensure_deputy_user(deputy)
    deputy.refresh_from_db()
    newest = history["newest"]
    draft = f.draft(deputy, title=newest.title, text=newest.text)
    services.submit_suggestion(draft, deputy=deputy)
    f.staff_user("renda_bgs")

    page = desktop.new_page()
    errors = watch_errors(page)
    path = reverse("admin:suggestions_suggestion_change", args=[draft.pk])
    page.goto(live_server.url + path)
    page.fill("#id_username", "renda_bgs")
    page.fill("#id_password", "Renda-2026")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(url_re(live_server, path))

    proposals = page.locator("#sg-matter tr.sg-proposal")
    expect(proposals).to_have_count(9)
    years = sorted(int(y) for y in proposals.locator("th").all_inner_texts())
    assert years == list(range(2011, 2020))
    expect(page.locator("#sg-matter")).to_contain_text("关于尽快建设南冲电排站的建议")
    expect(page.locator("#sg-matter")).to_contain_text("县水利局")
    page.locator("#sg-matter").scroll_into_view_if_needed()
    screenshot(page, "1-proposed")

    # Staff confirm each one once; the list of proposals empties into the timeline.
    for remaining in range(9, 0, -1):
        with page.expect_navigation():
            page.locator("#sg-matter tr.sg-proposal").first.get_by_role("button", name="是同一事项", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("已确认为同一事项")
        expect(page.locator("#sg-matter tr.sg-proposal")).to_have_count(remaining - 1)
    chain = page.locator("#sg-matter tr.sg-chain")
    expect(chain).to_have_count(10)
    assert [int(y) for y in chain.locator("th").all_inner_texts()] == list(range(2011, 2021))
    expect(page.locator("#sg-matter h2")).to_contain_text("先后10年提出")
    first = chain.first
    expect(first).to_contain_text("关于尽快建设南冲电排站的建议")
    expect(first).to_contain_text("县水利局")
    expect(first).to_contain_text("不满意")
    expect(chain.nth(8)).to_contain_text("A")
    expect(page.locator("#sg-matter tr.sg-current")).to_contain_text(newest.title)
    screenshot(page, "2-chain")
    assert RelatedProposal.objects.filter(later=draft, status="confirmed").count() == 9
    assert errors == []

    # The deputy reads the same history on the phone.
    mobile = phone.new_page()
    mobile_errors = watch_errors(mobile)
    detail = reverse("suggestions:m_detail", args=[draft.pk])
    phone_login(mobile, live_server, Suggestion.objects.get(pk=draft.pk).lead_deputy, detail)
    items = mobile.locator(".sg-matter li")
    expect(items).to_have_count(10)
    expect(items.first).to_contain_text("2011")
    expect(mobile.locator(".sg-matter")).to_contain_text("先后10年提出")
    assert_no_horizontal_scroll(mobile)
    mobile.locator(".sg-matter").scroll_into_view_if_needed()
    screenshot(mobile, "3-phone")
    assert mobile_errors == []
