"""Likeness of Chinese texts, compared by characters rather than words.

Chinese is written without spaces, so a word-based comparison needs a segmenter and a
dictionary. Character bigrams need neither and catch rewordings well: "县城停车难" and
"县城区停车位严重不足" share 县城 and 停车. Bigrams that appear in many texts (问题, 建议, 加快)
say little about what a text is about, so each is weighted by its inverse document frequency
over the collection (and a bigram said twice counts 1 + log 2 times, not twice), and texts are
compared by the cosine of their weighted bigram vectors. The weighting was chosen on the larger
of the project's two test sets (hundreds of suggestions, tests/suggestions/test_similarity.py),
where it kept reworded repeats and different matters furthest apart.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable

# Letters and digits of any script are kept; punctuation, spaces and symbols are dropped.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, punctuation and spaces removed."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def bigrams(text: str) -> Counter:
    """The character bigrams of a text (a one-character text is its own single gram)."""
    chars = normalize(text)
    if len(chars) < 2:
        return Counter([chars] if chars else [])
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


class SimilarityIndex:
    """Texts indexed by key, for finding the ones most like a given text (or each other).

    Lookups touch only the texts sharing at least one bigram with the query, through an
    inverted index, so a few thousand texts are compared in milliseconds. ``analyzer`` turns
    a document (and a query) into its bigram counts: :func:`bigrams` of a plain text by
    default; a module with documents of its own shape passes its own (a suggestion is a title
    and a text, its title counting more).
    """

    def __init__(self, texts: Iterable[tuple[Hashable, object]], *, analyzer: Callable[..., Counter] = bigrams):
        self._analyze = analyzer
        self._grams: dict[Hashable, Counter] = {}
        postings: dict[str, set] = defaultdict(set)
        for key, text in texts:
            grams = analyzer(text)
            self._grams[key] = grams
            for gram in grams:
                postings[gram].add(key)
        self._postings = postings
        n = max(len(self._grams), 1)
        self._idf = {gram: math.log(1 + n / len(keys)) for gram, keys in postings.items()}
        self._vectors = {key: self._weigh(grams) for key, grams in self._grams.items()}

    def __len__(self):
        return len(self._grams)

    def _weigh(self, grams: Counter) -> tuple[dict[str, float], float]:
        # Unknown bigrams (a query's own) get the weight of a bigram seen once.
        rare = math.log(1 + max(len(self._grams), 1))
        vector = {gram: (1 + math.log(count)) * self._idf.get(gram, rare) for gram, count in grams.items()}
        return vector, math.sqrt(sum(w * w for w in vector.values())) or 1.0

    def _cosine(self, vector, norm, key) -> float:
        other, other_norm = self._vectors[key]
        return sum(w * other.get(gram, 0.0) for gram, w in vector.items()) / (norm * other_norm)

    def similar_to(self, text, *, threshold: float = 0.5, limit: int = 10, exclude=()) -> list[tuple[Hashable, float]]:
        """The keys of the texts at least ``threshold`` alike to ``text``, most alike first."""
        vector, norm = self._weigh(self._analyze(text))
        keys = set().union(*(self._postings.get(gram, ()) for gram in vector)) - set(exclude)
        scored = [(key, self._cosine(vector, norm, key)) for key in keys]
        scored = [(key, round(score, 3)) for key, score in scored if score >= threshold]
        scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
        return scored[:limit]

    def pairs(self, *, threshold: float = 0.5) -> list[tuple[Hashable, Hashable, float]]:
        """Every pair of indexed texts at least ``threshold`` alike, most alike first."""
        found = []
        order = {key: i for i, key in enumerate(self._grams)}
        for key, (vector, norm) in self._vectors.items():
            neighbours = set().union(*(self._postings[gram] for gram in vector))
            for other in neighbours:
                if order[other] <= order[key]:
                    continue
                score = self._cosine(vector, norm, other)
                if score >= threshold:
                    found.append((key, other, round(score, 3)))
        found.sort(key=lambda t: (-t[2], order[t[0]], order[t[1]]))
        return found
