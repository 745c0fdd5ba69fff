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

import re
from collections import Counter
from dataclasses import dataclass

from congress.text import SimilarityIndex

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
    """The ``others`` most like ``target``, best first, above ``threshold`` (profiles weighed
    and compared as every likeness of texts in the project is: ``congress.text``)."""
    index = SimilarityIndex(others.items(), analyzer=Counter)  # the profiles are counted already
    return [Match(pk, score) for pk, score in index.similar_to(target, threshold=threshold, limit=limit)]
