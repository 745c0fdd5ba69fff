"""The likeness scored on the labelled set, smaller than score.py's default (the 37 series
among 1,000 unrelated suggestions instead of 5,000) so that CI runs it in seconds: for each
series' newest suggestion, the share of its earlier ones proposed (recall) and the share of the
proposals that are right (precision). The issue's target is 90 % and 80 %; measured today:
88.2 % and 96.8 % on this set (84.3 % and 92.5 % on score.py's 5,000), so the recall asserted
is the floor reached, to catch a regression, until the likeness finds the last rewordings.
The held-out series (heldout.txt, never used to choose the likeness's figures) are scored too:
85.0 % and 85.0 % among 1,000 (75.0 % and 93.8 % among 5,000), and the second held-out series
(heldout2.txt, written before the crowd rule was tried): 51.9 % and 82.4 % among 1,000 (55.6 %
and 68.2 % among 5,000), far from the targets: those figures are the floors asserted."""

from tests.suggestions.similarity.score import HERE, evaluate, load_series


def test_the_labelled_set_has_at_least_30_series_of_3_to_10():
    series = load_series()
    assert len(series) >= 30
    assert all(3 <= len(rows) <= 10 for rows in series.values())
    assert len({it.key for rows in series.values() for it in rows}) == sum(len(r) for r in series.values())


def test_recall_and_precision_on_the_labelled_set():
    score = evaluate(background=1000)
    print(f"recall {score.recall:.1%}, precision {score.precision:.1%}")
    assert score.recall >= 0.88, score.misses
    assert score.precision >= 0.8, score.misses


def test_recall_and_precision_on_the_held_out_series():
    score = evaluate(background=1000, path=HERE / "heldout.txt")
    assert score.series >= 8
    assert score.recall >= 0.85, score.misses
    assert score.precision >= 0.8, score.misses


def test_recall_and_precision_on_the_second_held_out_series():
    score = evaluate(background=1000, path=HERE / "heldout2.txt")
    assert score.series >= 8
    assert score.recall >= 0.5, score.misses
    assert score.precision >= 0.8, score.misses
