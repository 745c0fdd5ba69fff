"""Likeness of Chinese texts: the one way the project tells that two texts are about the same
matter (a suggestion asked again years later, two topics worded differently).

Chinese is written without spaces, so texts are compared by characters rather than words:
each text becomes its character pairs (bigrams: 南冲电排站 → 南冲 冲电 电排 排站). Measured on the
labelled set in tests/suggestions/similarity/ (37 matters asked again over the years among
5,000 county suggestions), bigrams found rewordings better than a word segmenter would have
to: place names such as 南冲 or 礼乐 are in no dictionary, and a segmenter cuts them apart
differently from one text to the next, while their bigrams stay the same. Measured again with
jieba 0.42 (its search-mode words in place of the bigrams, or beside them): at the same
precision it found fewer earlier suggestions (83.3 % against 85.3 % on series.txt, 65 % against
75 % on the held-out series, both among 5,000), so the bigrams stay.

Before counting, a text is made comparable:

- full-width to half-width, lower case; years and other bare numbers dropped (a matter asked
  in 2011 and in 2020 is the same matter), road codes kept (S312, X205);
- the wording every suggestion uses (关于, 建议, 尽快, 加快, 问题, 群众 …) removed, so it cannot
  make two different matters look alike;
- the names of one kind of facility written one way (电排站, 排涝站, 泵站 → 泵站; 县第二中学, 县2中 →
  县二中; 第一小学 → 一小: second held-out 66.7/72.0 → 70.4/73.1, the others unchanged);
- place and facility names found by what follows them (a township 镇/乡/街道, a village 村, a
  road 路/街/大道, a station 站, a school, a hospital, a bridge, a reservoir …) and counted again
  as names of their own, weighing :data:`NAME_WEIGHT` times a plain bigram: two suggestions
  about 龙泉镇's school and 石门乡's school are about different matters. A kind's character
  is often inside a name (高桥镇, 清河镇, 河口村), so where two readings overlap (拓宽高桥镇:
  宽高桥 or 高桥镇) the stem more texts name as a place is read (:func:`find_names`), and a
  common word ending in a kind's character (通组公路, 改造农村, 列入危桥) names no place. What a
  township has one of is named after it with or without its kind (长乐乡卫生院 = 长乐卫生院,
  清河镇中学 = 清河中学, 古城镇老街 = 古城老街): both are counted (series 94.1/94.1 → 96.1/98.0,
  held-out 75.0/93.8 → 90.0/90.0, the one more proposal there being the same 卫生院's night
  clinic, second held-out unchanged). Measured and not kept: known places said alone in more
  than 0.75 times as many texts as name them taken for words (治理, 改善): 92.2/98.9 ·
  80.0/84.2 · 66.7/72.0.
  Read the first way found, texts held made-up names (@高清 from 提高清河镇, @为危 from
  鉴定为危桥) said by no other text, the rarest and so the heaviest of their place names, and
  their places then disagreed with the matter's other years' (recall / precision among 5,000,
  labelled · held-out · second held-out: 84.3/92.5 · 75.0/93.8 · 55.6/68.2 before, 94.1/94.1 ·
  75.0/93.8 · 66.7/72.0 after). Measured and not kept: the later of two readings when
  neither stem is known (60.0/85.7 held-out), 片区 as a kind of place (55.6/71.4 second held-out).

Each feature weighs 1 + log of how often the text says it (the title's count ``TITLE_WEIGHT``
times: it names the matter), times its rarity among all texts (log(1 + n / df)); two texts are
as alike as the cosine of their weighted features. Features that more than ``COMMON_SHARE`` of
the texts have are left out of the comparison (they say nothing about which matter it is).

A lookup never reads every text sharing a word: it starts from the text's rarest features
(:func:`rare_features`: at most ``CANDIDATE_FEATURES``, each said by at most ``CANDIDATE_DF``
texts), keeps the ``CANDIDATES`` texts sharing most of them, and scores those in full. Its cost
is bounded by these three figures, not by the number of texts.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping

TITLE_WEIGHT = 2
NAME_WEIGHT = 1.0
TEXT_CHARS = 600
COMMON_SHARE = 0.08
COMMON_MIN = 100
# Where candidates come from: the rarest features a text has (at most CANDIDATE_FEATURES of
# them, each said by at most CANDIDATE_DF texts), and only the CANDIDATES best of what they find
# are scored in full. The cost of a lookup is bounded by these three, whatever the collection.
CANDIDATE_DF = 250
CANDIDATE_FEATURES = 400
CANDIDATES = 300
SPLIT_NAMES = True
PLACE_FLOOR = 0.1
PLACE_UNKNOWN = 0.4
SAME_PLACE = 0.6
SAME_PLACE_BOOST = 3.5
UNIGRAMS = 0.6

# Letters and digits of any script are kept; punctuation, spaces and symbols are dropped.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)

# One kind of facility, one word.
SYNONYMS = [
    (re.compile(r"电排站|排涝站|排灌站|排水站|抽水站|提水站|泵站"), "泵站"),
    (re.compile(r"县人民医院|县医院"), "县医院"),
    # A school by its number, as the county says it: 县第二中学, 县2中 → 县二中; 第一小学 → 一小.
    (re.compile(r"(?<=[县第])[1-9](?=[中小])"), lambda m: "一二三四五六七八九"[int(m.group()) - 1]),
    (re.compile(r"第([一二三四五六七八九十]{1,2})([中小])学"), r"\1\2"),
    (re.compile(r"垃圾转运站|垃圾中转站|垃圾转运设施|转运站"), "垃圾中转站"),
    (re.compile(r"互通立交|高速出入口|高速公路出入口"), "互通"),
    (re.compile(r"省道\s*(\d+)"), r"s\1"),
    (re.compile(r"县道\s*(\d+)"), r"x\1"),
    (re.compile(r"卫生所"), "卫生院"),
]
# What every suggestion or topic says, whatever its matter.
BOILERPLATE = re.compile(
    r"关于|的建议|建议|意见|尽快|尽早|早日|进一步|加快|加大|加强|抓紧|切实|积极|推进|推动|落实|完善|"
    r"实施|开展|解决|问题|希望|恳请|请求|予以|重视|有关部门|相关部门|县政府|政府|我县|本县|全县|群众|"
    r"老百姓|反映|强烈|严重|存在|目前|现在|今年|去年|近年来|多年|每年|一直|仍然|至今|以来|没有|不足"
)
YEARS_AND_NUMBERS = re.compile(r"(?<![a-z\d])\d+(?:\.\d+)?(?:年|月|日|号|个|名|人|米|公里|万|亩|伏|张|次|多)?")
CODES = re.compile(r"(?<![a-z])[a-z]\d{2,4}")
# What kind of place or facility a name is, the word after it (路段, 路面 … say what part of a
# road, not which road: 剩余路段 names none; 河道, 桥面, 乡村, 村民 … are words of their own).
KINDS = (
    r"街道|社区|中心小学|中心幼儿园|集镇|镇(?![区])|乡(?![村镇])|村(?![民医道级委干务庄容貌部内组])|大道|大街|老街|"
    r"路(?![段面况基边网口])|街|巷|泵站|水库|水厂|小学|中学|幼儿园|卫生院|医院|敬老院|农贸市场|集贸市场|市场|"
    r"漫水桥|便民桥|大桥|桥(?![面墩梁身])|工业园|园区|小区|景区|公园|河(?![道床堤岸水砂滩面里])|湖(?![水面])|溪|山塘"
)
# What a township has one of, named after it with or without its kind (长乐乡卫生院 is
# 长乐卫生院, 清河镇中学 is 清河中学, 古城镇老街 is 古城老街).
_TOWNSHIP_KINDS = ("镇", "乡", "街道")
_FACILITY = re.compile(
    r"中心小学|中心幼儿园|小学|中学|幼儿园|卫生院|医院|敬老院|农贸市场|集贸市场|市场|泵站|水库|水厂|"
    r"工业园|园区|景区|公园|老街"
)
# Every place a name could start at (overlapping: 拓宽高桥镇 holds 宽高桥 and 高桥镇).
_CANDIDATE = re.compile(rf"(?=([\u4e00-\u9fff]{{2}})({KINDS}))")
# Common words that end in a kind's character, so what comes before them names no place
# (通组公路, 改造农村, 石拱桥, 延伸到村), and characters no place name holds (a township or
# village named with its kind is the kind's name, 和平村小学; 五个村 counts villages).
COMMON_KIND_WORDS = re.compile(
    r"公路|道路|马路|铁路|线路|土路|出路|思路|走路|修路|农村|乡村|"
    r"到村|进村|入村|出村|通村|驻村|邻村|全村|本村|该村|各村|乡镇|"
    r"全镇|本镇|该镇|各镇|到镇|城乡|下乡|回乡|全乡|各乡|危桥|拱桥|"
    r"天桥|过桥|漫水桥|便民桥|过河|沿河|入河|下河|沿湖|入湖|沿街|"
    r"上街|过街|临街"
)
NOT_IN_NAMES = frozenset("县镇乡村区个")
# Places a county has one of, named without a place name of their own.
COUNTY_PLACES = re.compile(r"县[一二三四五六七八九]中|县医院|县图书馆|县体育馆|县殡仪馆|殡仪馆")
# Stems that name no place (中心小学, 城区街道, 乡镇卫生院 …).
NOT_NAMES = frozenset(
    [
        "中心",
        "城区",
        "乡镇",
        "农村",
        "城乡",
        "集镇",
        "县城",
        "城市",
        "老旧",
        "公共",
        "主干",
        "沿街",
        "周边",
        "附近",
        "高速",
        "各个",
        "全县",
        "所在",
        "旅游",
        "公办",
        "民办",
        "公路",
        "道路",
        "马路",
        "铁路",
        "线路",
        "思路",
        "出路",
        "河道",
        "街道",
        "社区",
        "乡村",
        "村民",
        "村道",
        "村庄",
        "偏远",
        "边远",
        "山区",
        "贫困",
        "沿线",
        "沿岸",
        "部分",
        "多个",
        "一些",
        "每个",
        "附近",
        "两岸",
        "过境",
        "临时",
        "新建",
        "建设",
        "改建",
        "扩建",
        "修建",
        "重建",
        "改造",
        "规划",
        "增设",
        "安装",
        "开通",
        "设置",
        "配套",
        "建成",
        "集中",
        "标准",
        "一座",
        "这座",
        "该镇",
        "该乡",
        "该村",
        "本村",
        "全村",
        "全镇",
        "各乡",
        "各村",
        "通往",
        "连接",
        "前往",
        "到达",
        "我们",
        "他们",
    ]
)


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, punctuation and spaces removed."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    for pattern, word in SYNONYMS:
        text = pattern.sub(word, text)
    return text


def _clean(text: str) -> list[str]:
    """The runs of letters and digits left once the common wording and numbers are gone."""
    text = YEARS_AND_NUMBERS.sub(" ", BOILERPLATE.sub(" ", text))
    return [chunk for chunk in _NOISE.split(text) if chunk]


def _bigrams(chunks: list[str], counts: dict, weight: float, places=frozenset()) -> None:
    if SPLIT_NAMES:
        chunks = [part for chunk in chunks for part in _without_names(chunk, places).split(" ") if part]
    for chunk in chunks:
        if len(chunk) == 1 or UNIGRAMS:
            for char in chunk:
                counts["'" + char] = counts.get("'" + char, 0) + weight * UNIGRAMS
        for i in range(len(chunk) - 1):
            gram = chunk[i : i + 2]
            counts[gram] = counts.get(gram, 0) + weight


def _is_name(stem: str, kind: str) -> bool:
    if stem in NOT_NAMES or NOT_IN_NAMES.intersection(stem):
        return False
    said = stem + kind  # a common word from the stem's second character on, or past the stem
    common = COMMON_KIND_WORDS.match(said)
    return not (COMMON_KIND_WORDS.match(said, 1) or (common and common.end() > 2))


def find_names(chunk: str, places=frozenset()) -> list[tuple[int, int]]:
    """Where ``chunk`` names a place: (start, end) of each name with its kind (龙泉镇, 南冲泵站),
    the stem being the first two characters. Where two could be read (拓宽高桥镇: 宽高桥 or
    高桥镇; 治理河口村: 治理河 or 河口村), the one whose stem names a place in more texts
    (``places``: stem → number of texts) is read, else the later: a kind's character
    inside a name (高桥, 清河) is likelier than a name that starts with the word before it."""
    known = places if isinstance(places, Mapping) else dict.fromkeys(places, 1)
    found = [
        (m.start(), m.start() + 2 + len(m.group(2)), m.group(1))
        for m in _CANDIDATE.finditer(chunk)
        if _is_name(m.group(1), m.group(2))
    ]
    found.sort(key=lambda c: (-known.get(c[2], 0), c[0]))
    taken: list[tuple[int, int]] = []
    for start, end, _stem in found:
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
    return sorted(taken)


def _without_names(chunk: str, places=frozenset()) -> str:
    """The chunk with each name's stem taken out, leaving the kind of place it is (the matter's
    words)."""
    parts, at = [], 0
    for start, end in find_names(chunk, places):
        parts += [chunk[at:start], " ", chunk[start + 2 : end], " "]
        at = end
    return "".join(parts) + chunk[at:]


def _names(chunks: list[str], counts: dict, weight: float, places=frozenset()) -> None:
    for chunk in chunks:
        names = find_names(chunk, places)
        for i in range(len(chunk) - 1):
            # A place known by name, said without what it is (not across a name found: 治理滨河大道).
            if chunk[i : i + 2] in places and all(i + 2 <= s or i >= e or i == s for s, e in names):
                counts["@" + chunk[i : i + 2]] = counts.get("@" + chunk[i : i + 2], 0) + weight
        for start, end in names:
            said = {"@" + chunk[start : start + 2], "@" + chunk[start:end]}
            if chunk[start + 2 : end] in _TOWNSHIP_KINDS and (facility := _FACILITY.match(chunk, end)):
                said.add("@" + chunk[start : start + 2] + facility.group())
            for name in said:
                counts[name] = counts.get(name, 0) + weight
        for place in COUNTY_PLACES.findall(chunk):
            counts["@" + place] = counts.get("@" + place, 0) + weight
        for code in CODES.findall(chunk):
            counts["@" + code] = counts.get("@" + code, 0) + weight


def features(title: str, text: str = "", *, places=frozenset()) -> dict[str, float]:
    """What a text is about, as weighted features before rarity: its bigrams (the title's
    counted ``TITLE_WEIGHT`` times) and its place and facility names (``@南冲``, ``@南冲泵站``).
    ``places`` are place names already known (found before a 镇, 村, 站 … in any text), found
    also where a text says them alone (礼乐南冲片区)."""
    title, text = _clean(_prepare(title)), _clean(_prepare((text or "")[:TEXT_CHARS]))
    counts: dict[str, float] = {}
    _bigrams(title, counts, TITLE_WEIGHT, places)
    _bigrams(text, counts, 1, places)
    names: dict[str, float] = {}
    _names(title, names, TITLE_WEIGHT, places)
    _names(text, names, 1, places)
    weighted = {gram: 1 + math.log(n) if n >= 1 else n for gram, n in counts.items()}
    weighted.update({name: NAME_WEIGHT * (1 + math.log(n) if n >= 1 else n) for name, n in names.items()})
    return weighted


def place_names(feats: Mapping[str, float]) -> set[str]:
    """The place names (the two characters of 南冲 in ``@南冲``) among a text's features."""
    return {g[1:] for g in feats if is_place(g) and len(g) == 3 and not g[1:].isascii()}


def rarity(df: int, n: int) -> float:
    """How much sharing a feature says: log(1 + n / df)."""
    return math.log(1 + max(n, 1) / max(df, 1))


def is_place(gram: str) -> bool:
    return gram.startswith("@")


def norm(feats: Mapping[str, float], df: Mapping[str, int], n: int) -> tuple[float, float]:
    """The lengths of a text's matter part and of its place part."""
    parts = [0.0, 0.0]
    for g, w in feats.items():
        parts[is_place(g)] += (w * rarity(df.get(g, 1), n)) ** 2
    return math.sqrt(parts[0]) or 1.0, math.sqrt(parts[1])


def combine(dot, query_norm: tuple[float, float], other_norm: tuple[float, float]) -> float:
    """Alike when about the same matter in the same place: the matter's cosine, in full when
    the places agree (a place cosine of ``SAME_PLACE`` or more), else divided by
    ``SAME_PLACE_BOOST`` and scaled down further (to ``PLACE_FLOOR``) as far as the places
    differ, or to ``PLACE_UNKNOWN`` when the other text names no place. When the query names
    no place, the matter alone counts (divided likewise: at most 1 / ``SAME_PLACE_BOOST``)."""
    matter = dot[0] / (query_norm[0] * other_norm[0])
    if not query_norm[1]:
        return matter / SAME_PLACE_BOOST
    if not other_norm[1]:
        return matter * PLACE_UNKNOWN / SAME_PLACE_BOOST
    place = dot[1] / (query_norm[1] * other_norm[1])
    if place >= SAME_PLACE:
        return matter * (PLACE_FLOOR + (1 - PLACE_FLOOR) * place)
    return matter * (PLACE_FLOOR + (1 - PLACE_FLOOR) * place) / SAME_PLACE_BOOST


def is_common(df: int, n: int) -> bool:
    """Said by so many texts (more than ``COMMON_SHARE`` of them, and more than ``COMMON_MIN``)
    that sharing it tells nothing about the matter."""
    return df > COMMON_MIN and df > COMMON_SHARE * n


def rare_features(query: Mapping[str, float], df: Mapping[str, int]) -> list[str]:
    """The features a lookup starts from: the query's rarest (said by at most ``CANDIDATE_DF``
    texts), at most ``CANDIDATE_FEATURES`` of them, place names first among equals."""
    rare = [g for g in query if 0 < df.get(g, 0) <= CANDIDATE_DF]
    rare.sort(key=lambda g: (df[g], not is_place(g), g))
    return rare[:CANDIDATE_FEATURES]


def best_candidates(dots: Mapping[Hashable, list[float]]) -> list[Hashable]:
    """The ``CANDIDATES`` texts that share most of the rare features (matter and place parts
    summed), to be scored in full."""
    ranked = sorted(dots.items(), key=lambda pair: (-(pair[1][0] + pair[1][1]), str(pair[0])))
    return [key for key, _dot in ranked[:CANDIDATES]]


def score_postings(
    query: Mapping[str, float],
    df: Mapping[str, int],
    n: int,
    postings: Iterable[tuple[Hashable, str, float]],
) -> dict[Hashable, float]:
    """The dot products of ``query`` with every text in ``postings`` ((key, feature, weight)
    rows of the texts sharing a feature with it), weighted by rarity; divide by both norms for
    the cosine."""
    factor = {g: w * rarity(df.get(g, 1), n) ** 2 for g, w in query.items()}
    dots: dict[Hashable, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for key, gram, weight in postings:
        dots[key][is_place(gram)] += factor.get(gram, 0.0) * weight
    return dots


class SimilarityIndex:
    """Texts indexed by key, for finding the ones most like a given text (or each other), in
    memory: for a list on one page (a campaign's topics) or for measuring the likeness on a
    labelled set. The suggestions keep the same index in their database (suggestions/similarity.py).

    ``analyzer`` turns a document (and a query) into its weighted features: :func:`features`
    of a plain text by default.
    """

    def __init__(self, texts: Iterable[tuple[Hashable, object]], *, analyzer: Callable[..., Mapping] = features):
        self._analyze = analyzer
        self._feats: dict[Hashable, Mapping[str, float]] = {}
        self._postings: dict[str, list[tuple[Hashable, float]]] = defaultdict(list)
        texts = list(texts)
        self.places = dict(Counter(name for _key, text in texts for name in place_names(analyzer(text))))
        for key, text in texts:
            feats = analyzer(text, places=self.places)
            self._feats[key] = feats
            for gram, weight in feats.items():
                self._postings[gram].append((key, weight))
        self.n = len(self._feats)
        self.df = {gram: len(keys) for gram, keys in self._postings.items()}
        self._norms = {key: norm(feats, self.df, self.n) for key, feats in self._feats.items()}

    def __len__(self):
        return self.n

    def scores(self, feats: Mapping[str, float], *, exclude=()) -> dict[Hashable, float]:
        """The likeness of ``feats`` with the texts found by its rare features (the
        ``CANDIDATES`` best of them), each scored on every uncommon feature they share."""
        excluded = set(exclude)
        rows = (
            (key, g, w) for g in rare_features(feats, self.df) for key, w in self._postings[g] if key not in excluded
        )
        candidates = best_candidates(score_postings(feats, self.df, self.n, rows))
        wanted = [g for g in feats if not is_common(self.df.get(g, 0), self.n)]
        rows = ((key, g, self._feats[key][g]) for key in candidates for g in wanted if g in self._feats[key])
        dots = score_postings(feats, self.df, self.n, rows)
        query_norm = norm(feats, self.df, self.n)
        return {k: combine(dot, query_norm, self._norms[k]) for k, dot in dots.items()}

    def features_of(self, key) -> Mapping[str, float]:
        return self._feats[key]

    def norm_of(self, key) -> tuple[float, float]:
        return self._norms[key]

    def similar_to(self, text, *, threshold: float = 0.5, limit: int = 10, exclude=()) -> list[tuple[Hashable, float]]:
        """The keys of the texts at least ``threshold`` alike to ``text``, most alike first."""
        feats = self._analyze(text, places=self.places)
        scored = [(k, round(s, 3)) for k, s in self.scores(feats, exclude=exclude).items()]
        scored = [(k, s) for k, s in scored if s >= threshold]
        scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
        return scored[:limit]

    def pairs(self, *, threshold: float = 0.5) -> list[tuple[Hashable, Hashable, float]]:
        """Every pair of indexed texts at least ``threshold`` alike, most alike first."""
        found = []
        order = {key: i for i, key in enumerate(self._feats)}
        for key, feats in self._feats.items():
            for other, score in self.scores(feats).items():
                if order[other] > order[key] and score >= threshold:
                    found.append((key, other, round(score, 3)))
        found.sort(key=lambda t: (-t[2], order[t[0]], order[t[1]]))
        return found


def expand(query: Mapping[str, float], seeds: Iterable[Mapping[str, float]], *, weight: float) -> dict[str, float]:
    """The query with what its surest matches say added (``weight`` times their mean): a
    matter's newest wording finds the older wordings through the ones in between."""
    seeds = list(seeds)
    expanded = dict(query)
    for seed in seeds:
        for gram, w in seed.items():
            expanded[gram] = expanded.get(gram, 0.0) + weight * w / len(seeds)
    return expanded
