"""Run by bench/public/run.py under Django (the bench's database and cache): a decided work
evaluation of 27 units scored by 40 deputies, its results published on the public site; the
page rendered once (which also puts it in the cache) and written out as the minimal view's
payload and as a static file of the very same bytes. Prints JSON: the page's path and size."""

import json
import random
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from congress.services import voting  # noqa: E402
from evaluations.services import meeting  # noqa: E402
from media_publish import services  # noqa: E402
from tests.evaluations.factories import vote, work_campaign_in_meeting  # noqa: E402

LEVELS = ["satisfied", "fairly", "basic", "unsatisfied"]


def main() -> None:
    out = Path(sys.argv[1])
    n_units, n_voters = int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(2026)
    campaign, poll, voters = work_campaign_in_meeting(n_units=n_units, n_voters=n_voters)
    vote(poll, voters, [[rng.choice(LEVELS) for _ in range(n_units)] for _ in voters])
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    column = services.open_column(campaign)
    page = services.publish(services.draft_publication(column, kind="results"))
    cache.clear()
    path = f"/column/{column.pk}/{page.pk}/"
    response = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").get(path)
    assert response.status_code == 200, response.status_code
    body = response.content
    out.mkdir(parents=True, exist_ok=True)
    (out / "payload.html").write_bytes(body)
    static = Path(settings.STATIC_ROOT) / "bench" / "results-page.html"
    static.parent.mkdir(parents=True, exist_ok=True)
    static.write_bytes(body)
    print(json.dumps({"path": path, "size": len(body), "static": "/static/bench/results-page.html"}))


main()
