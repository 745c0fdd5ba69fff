"""Voting as people do it: on the phone sheet, in the back office, on the hall's screen."""

import io

import openpyxl
import pytest
from django.core import signing
from django.urls import reverse

from congress.models import Ballot, Participation, Poll
from congress.services import voting
from congress.views.screen import screen_url
from tests.factories import UNIT_NAMES_27, MeetingFactory, UserFactory, meeting_with_attendees

pytestmark = pytest.mark.django_db


# Who votes and whether they have (autocommit), then BEGIN, the participation under the poll's
# lock, the slot, COMMIT: the same on SQLite and PostgreSQL.
STATEMENTS_OF_A_CAST = 5


def open_poll(meeting, items=UNIT_NAMES_27[:3], **kwargs):
    poll = voting.create_poll(meeting, title="工作评议满意度测评", kind="satisfaction", items=list(items), **kwargs)
    return voting.open_poll(poll)


def fields(poll, *levels):
    return {f"item-{item.pk}": level for item, level in zip(poll.items.order_by("sort_order"), levels, strict=False)}


class TestPhoneSheet:
    def test_sheet_review_submit_received(self, client):
        meeting, deputies = meeting_with_attendees(2, with_logins=True)
        poll = open_poll(meeting)
        client.force_login(deputies[0].user)
        url = reverse("m:ballot", args=[poll.pk])
        sheet = client.get(url).content.decode()
        assert UNIT_NAMES_27[0] in sheet and "满意" in sheet

        review = client.post(url, fields(poll, "satisfied", "basic")).content.decode()
        assert "基本满意" in review
        assert "1" in review  # one item left empty is announced
        assert not Participation.objects.filter(poll=poll).exists()  # nothing cast before confirming

        done = client.post(url, {**fields(poll, "satisfied", "basic"), "confirm": "1"})
        assert done["Location"] == reverse("m:ballot_received", args=[poll.pk])
        page = client.get(done["Location"]).content.decode()
        assert "基本满意" not in page and "较满意" not in page  # never shown again
        assert Participation.objects.filter(poll=poll).count() == 1

    def test_double_submit_is_refused_clearly_and_changes_nothing(self, client):
        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        client.force_login(deputies[0].user)
        url = reverse("m:ballot", args=[poll.pk])
        client.post(url, {**fields(poll, "satisfied"), "confirm": "1"})
        again = client.post(url, {**fields(poll, "unsatisfied"), "confirm": "1"}, follow=True)
        assert again.status_code == 200
        assert "不能重复投票" in again.content.decode()
        assert Ballot.objects.filter(poll=poll, filled=True).count() == 1
        assert client.get(url)["Location"] == reverse("m:ballot_received", args=[poll.pk])

    @pytest.mark.django_db(transaction=True)  # autocommit, as in production: no savepoints
    def test_confirm_with_a_code_costs_the_casts_statements_and_needs_the_csrf_token(
        self, django_assert_max_num_queries
    ):
        """The hall's confirm tap goes through the whole ordinary stack: Django's CSRF check
        refuses a forged POST, and once the process has served one confirm (the sheet kept
        while the poll is open) a real one costs the cast's own statements on every database:
        who votes and whether they have, the participation under the poll's lock, the slot. Nothing
        reads the session for a voting code."""
        from django.test import Client

        meeting = MeetingFactory()
        codes = voting.issue_voter_codes(meeting, 2)
        poll = open_poll(meeting, electorate=Poll.Electorate.CODES)
        url = reverse("m:ballot", args=[poll.pk])

        def phone_with(code):
            phone = Client(enforce_csrf_checks=True)
            phone.get(reverse("m:code_login", args=[code]))
            phone.get(url)  # the sheet: sets the CSRF cookie
            return phone

        data = {**fields(poll, "satisfied", "fairly", "basic"), "confirm": "1"}
        first, second = phone_with(codes[0]), phone_with(codes[1])
        forged = second.post(url, data)
        assert forged.status_code == 403
        assert not Participation.objects.filter(poll=poll).exists()

        first.post(url, {**data, "csrfmiddlewaretoken": first.cookies["csrftoken"].value})
        data["csrfmiddlewaretoken"] = second.cookies["csrftoken"].value
        with django_assert_max_num_queries(STATEMENTS_OF_A_CAST):
            done = second.post(url, data)
        assert done.status_code == 302
        assert done["Location"] == reverse("m:ballot_received", args=[poll.pk])
        assert "no-cache" in done["Cache-Control"]
        again = second.post(url, data)
        assert again["Location"] == reverse("m:ballot_received", args=[poll.pk]) + "?again=1"
        assert Participation.objects.filter(poll=poll).count() == 2

    @pytest.mark.django_db(transaction=True)  # autocommit, as in production: no savepoints
    def test_a_phones_urlencoded_confirm_is_read_like_django_reads_it(self, django_assert_max_num_queries):
        """Phones post the sheet urlencoded: the last value of a name counts, a blank is a
        blank, and the confirm costs the cast's statements alone once the sheet is kept."""
        from urllib.parse import urlencode

        from django.test import Client

        meeting = MeetingFactory()
        codes = voting.issue_voter_codes(meeting, 2)
        poll = open_poll(meeting, electorate=Poll.Electorate.CODES)
        url = reverse("m:ballot", args=[poll.pk])
        items = list(poll.items.order_by("sort_order"))
        for n, code in enumerate(codes):
            phone = Client(enforce_csrf_checks=True)
            phone.get(reverse("m:code_login", args=[code]))
            phone.get(url)
            body = urlencode(
                [
                    ("csrfmiddlewaretoken", phone.cookies["csrftoken"].value),
                    (f"item-{items[0].pk}", "unsatisfied"),
                    (f"item-{items[0].pk}", "satisfied"),  # the last of a name counts, as in Django
                    (f"item-{items[1].pk}", ""),  # left blank
                    ("confirm", "确认提交"),  # percent-encoded UTF-8
                ]
            )
            with django_assert_max_num_queries(STATEMENTS_OF_A_CAST if n else 8):
                done = phone.post(url, body, content_type="application/x-www-form-urlencoded")
            assert done["Location"] == reverse("m:ballot_received", args=[poll.pk])
        ballots = list(Ballot.objects.filter(poll=poll, filled=True).values_list("choices", flat=True))
        assert ballots == [{str(items[0].pk): "satisfied"}] * 2

    def test_the_review_sends_the_checked_sheet_back_in_one_field(self, client):
        """What the phone posts on 提交: the review page's own form, whose one hidden field holds
        the checked choices; it records exactly them, and 返回修改 brings them back on the sheet."""
        from lxml import html as lxml_html

        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        items = list(poll.items.order_by("sort_order"))
        client.force_login(deputies[0].user)
        url = reverse("m:ballot", args=[poll.pk])
        review = client.post(url, {f"item-{items[0].pk}": "fairly", f"item-{items[2].pk}": "unsatisfied"})
        form = lxml_html.fromstring(review.content.decode()).xpath("//form[contains(@class, 'ballot-form')]")[0]
        hidden = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
        assert set(hidden) == {"csrfmiddlewaretoken", "ballot"}

        back = client.post(url, {"ballot": hidden["ballot"], "edit": "1"}).content.decode()
        assert f'id="item-{items[0].pk}-fairly" value="fairly" autocomplete="off" checked' in back
        assert f'id="item-{items[2].pk}-unsatisfied" value="unsatisfied" autocomplete="off" checked' in back
        assert back.count(" checked") == 2
        assert not Participation.objects.exists()

        done = client.post(url, {"ballot": hidden["ballot"], "confirm": "1"})
        assert done["Location"] == reverse("m:ballot_received", args=[poll.pk])
        ballot = Ballot.objects.get(poll=poll, filled=True)
        assert ballot.choices == {str(items[0].pk): "fairly", str(items[2].pk): "unsatisfied"}

    @pytest.mark.parametrize(
        "packed",
        ["{a}.9", "{a}.0", "{a}.1_{a}.2", "{a}", "{a}.1__", "x.1", "{a}.١", "{a}.1;{b}.2", "999999.1"],
    )
    def test_a_broken_sheet_from_the_review_is_refused_with_a_message(self, client, packed):
        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        a, b, _c = poll.items.order_by("sort_order")
        client.force_login(deputies[0].user)
        page = client.post(
            reverse("m:ballot", args=[poll.pk]), {"ballot": packed.format(a=a.pk, b=b.pk), "confirm": "1"}
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "没有完整送达" in text or "不属于本次投票" in text
        assert 'name="confirm"' not in text  # back on the sheet, to check it again
        assert not Participation.objects.exists() and not Ballot.objects.filter(filled=True).exists()

    def test_tampered_choice_is_refused_with_a_message(self, client):
        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        client.force_login(deputies[0].user)
        page = client.post(reverse("m:ballot", args=[poll.pk]), {**fields(poll, "hacked"), "confirm": "1"})
        assert page.status_code == 200
        assert "hacked" in page.content.decode()
        assert not Participation.objects.exists()

    def test_closed_poll_says_so(self, client):
        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        voting.close_poll(poll)
        client.force_login(deputies[0].user)
        assert client.get(reverse("m:ballot", args=[poll.pk])).status_code == 409

    def test_deputy_outside_the_electorate_sees_no_poll(self, client):
        meeting, _ = meeting_with_attendees(1)
        _, others = meeting_with_attendees(1, with_logins=True)
        poll = open_poll(meeting)
        client.force_login(others[0].user)
        assert poll.title not in client.get(reverse("m:polls")).content.decode()
        client.post(reverse("m:ballot", args=[poll.pk]), {**fields(poll, "satisfied"), "confirm": "1"})
        assert not Participation.objects.exists()

    def test_home_shows_polls_to_vote(self, client):
        meeting, deputies = meeting_with_attendees(1, with_logins=True)
        open_poll(meeting)
        client.force_login(deputies[0].user)
        assert reverse("m:polls") in client.get("/m/").content.decode()


class TestVotingCodes:
    def test_code_slip_to_ballot(self, client):
        meeting = MeetingFactory()
        code = voting.issue_voter_codes(meeting, 1)[0]
        poll = open_poll(meeting, electorate=Poll.Electorate.CODES)
        assert client.get(reverse("m:code_login", args=[code]))["Location"] == reverse("m:polls")
        assert poll.title in client.get(reverse("m:polls")).content.decode()
        client.post(reverse("m:ballot", args=[poll.pk]), {**fields(poll, "fairly"), "confirm": "1"})
        assert Participation.objects.filter(poll=poll, code__isnull=False).count() == 1
        # the same slip on a second phone
        other = client.__class__()
        other.post(reverse("m:code_entry"), {"code": code})
        other.post(reverse("m:ballot", args=[poll.pk]), {**fields(poll, "unsatisfied"), "confirm": "1"})
        assert Participation.objects.filter(poll=poll).count() == 1

    def test_unknown_code_is_refused(self, client):
        response = client.post(reverse("m:code_entry"), {"code": "ZZZZ9999"}, follow=True)
        assert "voter_code" not in client.cookies
        assert response.status_code == 200

    def test_a_forged_code_cookie_holds_no_code(self, client):
        meeting = MeetingFactory()
        code = voting.issue_voter_codes(meeting, 1)[0]
        poll = open_poll(meeting, electorate=Poll.Electorate.CODES)
        client.cookies["voter_code"] = signing.dumps({"code": code, "meeting": meeting.pk}, salt="another.salt")
        page = client.post(reverse("m:ballot", args=[poll.pk]), {**fields(poll, "fairly"), "confirm": "1"})
        assert page["Location"] == reverse("m:code_entry")
        assert not Participation.objects.filter(poll=poll).exists()
        client.get(reverse("m:code_login", args=[code]))
        assert client.cookies["voter_code"]["httponly"]

    def test_a_code_cookie_expires_after_a_day_even_once_it_was_read(self, client, monkeypatch):
        """The phone's code cookie lasts one meeting day (12 hours): a cookie already read
        (and kept by the process) is refused when it is older than that, as a new one is."""
        import time

        meeting = MeetingFactory()
        code = voting.issue_voter_codes(meeting, 1)[0]
        poll = open_poll(meeting, electorate=Poll.Electorate.CODES)
        client.get(reverse("m:code_login", args=[code]))
        sheet = reverse("m:ballot", args=[poll.pk])
        assert client.get(sheet).status_code == 200  # read and kept
        later = time.time() + 12 * 3600 + 5
        monkeypatch.setattr(time, "time", lambda: later)
        page = client.post(sheet, {**fields(poll, "fairly"), "confirm": "1"})
        assert page["Location"] == reverse("m:code_entry")
        assert not Participation.objects.filter(poll=poll).exists()

    def test_staff_prints_codes(self, client):
        meeting = MeetingFactory()
        client.force_login(UserFactory(roles=["staff"]))
        page = client.post(reverse("admin:congress_meeting_voter_codes", args=[meeting.pk]), {"count": 5})
        assert page.status_code == 200
        assert page.content.decode().count("data:image/svg+xml") == 5
        assert meeting.voter_codes.count() == 5


class TestBackOffice:
    def control(self, client, poll, action, **data):
        return client.post(reverse("admin:congress_poll_control", args=[poll.pk, action]), data)

    def test_staff_runs_a_poll_from_draft_to_announced(self, client):
        meeting, deputies = meeting_with_attendees(2)
        poll = voting.create_poll(meeting, title="满意度测评", kind="satisfaction", items=["县水利局"])
        client.force_login(UserFactory(roles=["staff"]))
        self.control(client, poll, "fill_units")
        self.control(client, poll, "open")
        poll.refresh_from_db()
        assert poll.status == "open"
        voting.cast_ballot(poll, voting.Voter(deputy=deputies[0]), {str(poll.items.first().pk): "satisfied"})
        page = client.get(reverse("admin:congress_poll_change", args=[poll.pk])).content.decode()
        assert "1 / 2" in page
        assert deputies[1].name in page  # who has not voted yet: names only
        assert "poll-results" not in page  # no tally while open
        self.control(client, poll, "close")
        self.control(client, poll, "announce")
        poll.refresh_from_db()
        assert poll.status == "announced"
        export = client.get(reverse("admin:congress_poll_export", args=[poll.pk]))
        workbook = openpyxl.load_workbook(io.BytesIO(export.content))
        rows = list(workbook["全体"].iter_rows(values_only=True))
        assert rows[2][1] == "县水利局" and rows[2][2] == 1

    def test_export_refused_while_open(self, client):
        meeting, _ = meeting_with_attendees(1)
        poll = open_poll(meeting)
        client.force_login(UserFactory(roles=["staff"]))
        response = client.get(reverse("admin:congress_poll_export", args=[poll.pk]))
        assert response.status_code == 302

    def test_void_needs_a_reason(self, client):
        meeting, _ = meeting_with_attendees(1)
        poll = open_poll(meeting)
        client.force_login(UserFactory(roles=["staff"]))
        self.control(client, poll, "void", reason="")
        poll.refresh_from_db()
        assert poll.status == "open"
        self.control(client, poll, "void", reason="选票漏印一个单位")
        poll.refresh_from_db()
        assert poll.status == "void"

    def test_leader_cannot_run_polls(self, client):
        meeting, _ = meeting_with_attendees(1)
        poll = voting.create_poll(meeting, title="测评", kind="satisfaction", items=["县水利局"])
        client.force_login(UserFactory(roles=["leader"]))
        assert self.control(client, poll, "open").status_code == 403
        poll.refresh_from_db()
        assert poll.status == "draft"

    def test_paper_ballots_in_bulk(self, client):
        meeting, deputies = meeting_with_attendees(3)
        poll = open_poll(meeting, items=["县民政局"])
        item = poll.items.get()
        client.force_login(UserFactory(roles=["staff"]))
        url = reverse("admin:congress_poll_paper", args=[poll.pk])
        assert deputies[0].name in client.get(url + "?n=2").content.decode()
        client.post(
            url,
            {
                "n": "2",
                "voters": [deputies[0].pk, deputies[1].pk],
                f"sheet-0-item-{item.pk}": "satisfied",
                f"sheet-1-item-{item.pk}": "unsatisfied",
            },
        )
        assert Participation.objects.filter(poll=poll, channel="paper").count() == 2
        assert Ballot.objects.filter(poll=poll, filled=True).count() == 2


class TestScreen:
    def test_screen_shows_count_then_tally(self, client):
        meeting, deputies = meeting_with_attendees(3)
        poll = open_poll(meeting)
        voting.cast_ballot(poll, voting.Voter(deputy=deputies[0]), {str(poll.items.first().pk): "satisfied"})
        page = client.get(screen_url(meeting.pk)).content.decode()
        assert '>1</span> / <span class="eligible">3<' in page
        assert "screen-chart-data" not in page
        voting.close_poll(poll)
        state = client.get(screen_url(meeting.pk) + "state/").content.decode()
        assert "screen-chart-data" not in state  # closed but not announced: still no tally
        voting.announce_poll(poll)
        state = client.get(screen_url(meeting.pk) + "state/").content.decode()
        assert "screen-chart-data" in state and UNIT_NAMES_27[0] in state

    def test_screen_queries_do_not_grow_with_items(self, client, django_assert_max_num_queries):
        meeting, deputies = meeting_with_attendees(2)
        poll = open_poll(meeting, items=UNIT_NAMES_27)
        voting.close_poll(poll)
        voting.announce_poll(poll)
        with django_assert_max_num_queries(8):
            client.get(screen_url(meeting.pk) + "state/")


def test_back_office_shows_tallies_by_voter_group(client):
    meeting, deputies = meeting_with_attendees(1, 1)
    poll = open_poll(meeting, items=["县审计局"])
    item = str(poll.items.get().pk)
    voting.cast_ballot(poll, voting.Voter(deputy=deputies[0]), {item: "satisfied"})  # a deputy
    voting.cast_ballot(poll, voting.Voter(deputy=deputies[1]), {item: "unsatisfied"})  # a member
    voting.close_poll(poll)
    client.force_login(UserFactory(roles=["staff"]))
    url = reverse("admin:congress_poll_change", args=[poll.pk])
    members = client.get(url + "?group=member")
    rows = members.context["poll_panel"]["results"]
    assert [row["cells"] for row in rows] == [[0, 0, 0, 1]]
    deputies_only = client.get(url + "?group=deputy").context["poll_panel"]["results"]
    assert [row["cells"] for row in deputies_only] == [[1, 0, 0, 0]]
    together = client.get(url).context["poll_panel"]["results"]
    assert [row["cells"] for row in together] == [[1, 0, 0, 1]]


def test_open_poll_shows_its_levels_readably(client):
    meeting, _ = meeting_with_attendees(1)
    poll = open_poll(meeting)
    client.force_login(UserFactory(roles=["staff"]))
    page = client.get(reverse("admin:congress_poll_change", args=[poll.pk])).content.decode()
    assert "满意（100）、较满意（80）、基本满意（60）、不满意（0）" in page
    assert '"weight"' not in page


def test_screen_needs_its_key(client):
    meeting, _ = meeting_with_attendees(1)
    open_poll(meeting)
    assert client.get(f"/screen/{meeting.pk}/wrong-key/").status_code == 404
    assert client.get(f"/screen/{meeting.pk}/wrong-key/state/").status_code == 404
    other, _ = meeting_with_attendees(1)
    key_of_other = screen_url(other.pk).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/screen/{meeting.pk}/{key_of_other}/").status_code == 404
    assert client.get(screen_url(meeting.pk)).status_code == 200


def test_voters_see_how_many_have_voted(client):
    meeting, deputies = meeting_with_attendees(3, with_logins=True)
    poll = open_poll(meeting)
    voting.cast_ballot(poll, voting.Voter(deputy=deputies[0]), fields_to_choices(poll, "satisfied"))
    client.force_login(deputies[1].user)
    page = client.get(reverse("m:polls")).content.decode()
    assert "1" in page and "3" in page
    polls = client.get(reverse("m:polls")).context["polls"]
    assert [(p.n_voted, p.eligible_count, p.voted) for p in polls] == [(1, 3, False)]


def fields_to_choices(poll, *levels):
    return {key.removeprefix("item-"): value for key, value in fields(poll, *levels).items()}
