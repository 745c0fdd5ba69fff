"""The demo county comes with its public site: a column per campaign, last year's evaluation
published stage by stage with its video and replays, and this year's suggestion statistics."""

import pytest
from django.utils import timezone

from congress import demo
from media_publish.demo import load_publication_demo
from media_publish.models import Column, Publication

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_its_public_site(client):
    demo.load_demo()
    demo.load_extensions()
    year = timezone.localdate().year
    last = Column.objects.get(campaign__year=year - 1, campaign__kind="work")
    kinds = set(last.publications.filter(status="published").values_list("kind", flat=True))
    assert kinds == {"plan", "subjects", "results", "rectification", "recording"}
    results = last.publications.get(kind="results")
    assert any(r["label"] == "县教育局" and r["verdict"] == "fail" for r in results.content["rows"])
    video = last.publications.get(kind="recording")
    assert video.content["embed_url"].startswith("https://tv.qinghe.example.cn/") and len(video.content["slots"]) == 4
    this_year = Column.objects.get(campaign__year=year, campaign__kind="work")
    assert set(this_year.publications.values_list("kind", flat=True)) == {"plan", "subjects"}
    assert Publication.objects.get(kind="suggestions").year == year
    assert load_publication_demo() is False  # loaded once
    home = client.get("/").content.decode()
    for page in Publication.objects.filter(status="published"):
        response = client.get(f"/column/{page.column_id}/{page.pk}/")
        assert response.status_code == 200, page
    assert "满意度测评结果" in home and "会议录像" in home and "代表建议办理情况" in home
