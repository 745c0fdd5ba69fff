"""Related suggestions: earlier ones on the same matter, from any year and any term (seed 003:
the 南冲 drainage station was asked for ten years running, in new words each time).

The likeness is the project's one (congress.text: bigrams and place names, weighted by
rarity). This module chooses what to propose and keeps the index in the database.
"""

from congress.text import expand
from congress.text import features as _features

# Chosen on the labelled set (tests/suggestions/similarity/score.py).
THRESHOLD = 0.08
RELATIVE = 0
LIMIT = 10
GAP = 0
SEEDS = 3
SEED_SHARE = 0.8
SEED_WEIGHT = 2.0


def features(title: str, text: str, *, places=frozenset()) -> dict[str, float]:
    return _features(title, text, places=places)


def choose(scores: dict, *, limit: int | None = None, threshold: float | None = None) -> list[tuple[object, float]]:
    """The proposals among ``scores`` (key → cosine): at most ``limit``, best first, each at
    least ``threshold`` alike and at least ``RELATIVE`` times as alike as the best."""
    limit = LIMIT if limit is None else limit
    threshold = THRESHOLD if threshold is None else threshold
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], str(pair[0])))
    if not ranked:
        return []
    floor = max(threshold, RELATIVE * ranked[0][1])
    chosen = []
    for key, score in ranked[:limit]:
        if score < floor or (chosen and score < GAP * chosen[-1][1]):
            break
        chosen.append((key, round(score, 3)))
    return chosen


def seeds(scores: dict) -> list:
    """The surest matches of a first look: at most ``SEEDS``, each at least ``SEED_SHARE`` times
    as alike as the best and above ``THRESHOLD``."""
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], str(pair[0])))[:SEEDS]
    if not ranked:
        return []
    floor = max(THRESHOLD, SEED_SHARE * ranked[0][1])
    return [key for key, score in ranked if score >= floor]


def look_again(query: dict, seed_features: list[dict]) -> dict:
    return expand(query, seed_features, weight=SEED_WEIGHT) if seed_features else query
