"""Topic near-duplicates use the project's one likeness (congress.text, the one that finds a
suggestion's earlier years): every rewording of the demo county's parking topic is proposed
for merging with another parking topic, and nothing pairs parking with another matter."""

import pytest
from django.utils import timezone

from congress import demo
from evaluations import selectors
from evaluations.models import Campaign, Topic
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db

WALK_REWORDINGS = ["县城停车难，停车位严重不足", "城区停车位严重不足，停车难", "县城停车难、乱停车现象严重"]


def test_every_parking_rewording_of_the_demo_county_is_proposed():
    demo.load_demo()
    demo.load_extensions()
    duty = Campaign.objects.get(year=timezone.localdate().year, kind="duty")
    parking = list(Topic.objects.filter(campaign=duty, merged_into=None, title__contains="停车"))
    assert len(parking) >= 3
    pairs = selectors.near_duplicate_topics(duty)
    for topic in parking:
        assert any(topic in (a, b) and "停车" in a.title and "停车" in b.title for a, b, _s in pairs), topic.title
    assert not any(("停车" in a.title) != ("停车" in b.title) for a, b, _s in pairs)


def test_the_walks_three_rewordings_each_pair_with_the_listed_topic():
    campaign = Campaign.objects.create(year=2026, kind="duty", term=TermFactory())
    listed = Topic.objects.create(campaign=campaign, title="城区停车难问题")
    others = [Topic.objects.create(campaign=campaign, title=t) for t in WALK_REWORDINGS]
    water = Topic.objects.create(campaign=campaign, title="农村饮水安全")
    Topic.objects.create(campaign=campaign, title="农村饮水安全保障不足")
    pairs = {(a.pk, b.pk) for a, b, _s in selectors.near_duplicate_topics(campaign)}
    for topic in others:
        assert (listed.pk, topic.pk) in pairs
    assert not any(water.pk in pair and listed.pk in pair for pair in pairs)
