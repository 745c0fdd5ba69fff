"""Related suggestions: earlier suggestions on the same matter, from any year (seed 003: one
drainage station was asked for by deputies for ten years).

Chinese is not written with spaces, so texts are compared by characters: each text becomes
the set of its character pairs (bigrams, e.g. 南冲 冲电 电排 排站), weighted by how rare each
pair is among all suggestions (a pair such as 建议 or 加强 that every suggestion has weighs
almost nothing, while 电排 weighs much), and two suggestions are as related as the cosine of
their weighted pair vectors. The title counts three times: it names the matter. A reworded
repeat shares the place names and the rare words and scores high; two suggestions that only
share the committee's common vocabulary score low. ``THRESHOLD`` was tuned on the test set in
tests/suggestions/test_similarity.py (a few hundred suggestions).
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

THRESHOLD = 0.25
LIMIT = 5
TEXT_CHARS = 600
TITLE_WEIGHT = 3
# Words every suggestion uses; removed before comparing.
BOILERPLATE = re.compile(r"关于|的建议|建议|尽快|进一步|加快|加大|加强|解决|问题|希望|有关部门|相关部门|我县|县城|群众")
NOT_WORD = re.compile(r"[^\w]|_|\d")


def bigrams(text: str) -> Counter:
    text = NOT_WORD.sub(" ", BOILERPLATE.sub(" ", text or ""))
    counts: Counter = Counter()
    for chunk in text.split():
        if len(chunk) == 1:
            continue
        counts.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return counts


def profile(title: str, text: str) -> Counter:
    counts = bigrams(text[:TEXT_CHARS])
    for gram, n in bigrams(title).items():
        counts[gram] += n * TITLE_WEIGHT
    return counts


@dataclass
class Match:
    pk: int
    score: float


def rank(target: Counter, others: dict[int, Counter], *, threshold=THRESHOLD, limit=LIMIT) -> list[Match]:
    """The ``others`` most like ``target``, best first, above ``threshold``."""
    n_docs = len(others) + 1
    df: Counter = Counter()
    for counts in others.values():
        df.update(counts.keys())
    df.update(target.keys())

    def weights(counts: Counter) -> dict[str, float]:
        return {g: (1 + math.log(c)) * math.log(1 + n_docs / df[g]) for g, c in counts.items() if df[g]}

    target_w = weights(target)
    target_norm = math.sqrt(sum(w * w for w in target_w.values()))
    if not target_norm:
        return []
    matches = []
    for pk, counts in others.items():
        shared = target_w.keys() & counts.keys()
        if not shared:
            continue
        other_w = weights(counts)
        norm = math.sqrt(sum(w * w for w in other_w.values()))
        if not norm:
            continue
        score = sum(target_w[g] * other_w[g] for g in shared) / (target_norm * norm)
        if score >= threshold:
            matches.append(Match(pk, round(score, 3)))
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]
