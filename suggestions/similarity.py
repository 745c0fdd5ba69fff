"""Related suggestions: earlier ones on the same matter, from any year and any term (seed 003:
the 南冲 drainage station was asked for ten years running, in new words each time).

The likeness is the project's one (congress.text: bigrams, characters and place names,
weighted by rarity, a same place counting for much and a different place against). This
module keeps it in the database and chooses what to propose:

- when a suggestion is written (submitted), :func:`index_suggestion` stores its features and
  their postings (which suggestions say 南冲), counts each feature's rarity, then looks up the
  suggestions found by its rarest features (at most ``likeness.CANDIDATES`` of them, scored in
  full: the lookup's cost is bounded, 39 ms at 50,000 suggestions instead of 6.6 s), twice: the second time with what its surest
  matches say added, so the newest wording finds the oldest through the ones in between. The
  best of them, at most ``LIMIT``, are stored as proposals (``RelatedProposal``) for the office
  to confirm or dismiss once. A page reads the stored proposals: its cost does not grow with
  the number of suggestions.
- ``manage.py rebuild_index`` builds it all again from the suggestions (after an import, or
  to pick up a change of the likeness); decided proposals are kept.

The figures below were chosen on the labelled set (tests/suggestions/similarity/score.py):
37 matters asked again 3–10 times among 5,000 county suggestions, and checked on two held-out
sets written without looking at the scores (heldout.txt, heldout2.txt). With place names read
as congress.text reads them since (of two overlapping readings the better known, a township's
school or 卫生院 with or without its kind), the figures are 96.1/98.0 · 90.0/90.0 · 70.4/73.1
(recall / precision among 5,000, labelled · held-out · second held-out). Measured before that
and not kept, because the held-out sets did not confirm them (against 84.3/92.5 · 75.0/93.8 ·
55.6/68.2 kept then):

- ``THRESHOLD`` 0.015: 92.2/87.9 · 80.0/88.9 · 55.6/65.2 (and 90.0/75.0 held-out among 1,000):
  the labelled set's targets met by precision lost on both unseen sets;
- place names found where a kind word begins another name (治理河口村 → 河口村, not 治理河):
  80.4/88.2 · 50.0/71.4 · 59.3/80.0;
- ``SEED_WEIGHT`` 1.0 or 0.75 instead of 2.0, or the better of the two looks per suggestion:
  at most one more found on the labelled set, none on the held-out sets;
- seeds chosen like proposals (twice the crowd, from 0.015): 85.3/92.6 · 85.0/85.0 · 55.6/68.2.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from congress import text as likeness

THRESHOLD = SEED_THRESHOLD = 0.023
LIMIT = 10
# A proposal stands out from the crowd: at least CROWD_RATIO times as alike as the best of the
# ones the panel would not show (the LIMIT + 1st), the level of the place's or the template's
# ordinary suggestions for this query.
CROWD_RATIO = 2.0
SEEDS = 3
SEED_SHARE = 0.8
SEED_WEIGHT = 2.0
# The feature every indexed suggestion has: its df is how many there are.
ALL = ""
# Drafts are not compared (their text can still change).
UNWRITTEN = ("draft",)


def features(title: str, text: str, *, places=frozenset()) -> dict[str, float]:
    return likeness.features(title, text, places=places)


def choose(scores: dict, *, limit: int | None = None, threshold: float | None = None) -> list[tuple[object, float]]:
    """The proposals among ``scores`` (key → likeness): at most ``limit``, best first, each at
    least ``threshold`` alike and at least ``CROWD_RATIO`` times as alike as the crowd (the
    best of those beyond ``limit``).

    A matter asked again is one of a few texts that stand out; below them come the ordinary
    suggestions of the same township or the same template (twenty villages' 安装健身器材), all
    alike to about the same degree. How alike that crowd is differs from one query to the next
    by ten times (a township with many suggestions, a short text), so a fixed threshold alone
    either cuts a real rewording of one matter or lets the crowd of another through."""
    limit = LIMIT if limit is None else limit
    threshold = THRESHOLD if threshold is None else threshold
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], str(pair[0])))
    crowd = ranked[limit][1] if len(ranked) > limit else 0.0
    floor = max(threshold, CROWD_RATIO * crowd)
    return [(key, round(score, 3)) for key, score in ranked[:limit] if score >= floor]


def seeds(scores: dict) -> list:
    """The surest matches of a first look: at most ``SEEDS``, each at least ``SEED_SHARE`` times
    as alike as the best and above ``SEED_THRESHOLD``."""
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], str(pair[0])))[:SEEDS]
    if not ranked:
        return []
    floor = max(SEED_THRESHOLD, SEED_SHARE * ranked[0][1])
    return [key for key, score in ranked if score >= floor]


def look_again(query: dict, seed_features: list[dict]) -> dict:
    return likeness.expand(query, seed_features, weight=SEED_WEIGHT) if seed_features else query


# --- the index in the database -------------------------------------------------------------


def _models():
    from .models import RelatedProposal, SimilarityFeature, SimilarityPosting, SimilarityProfile

    return RelatedProposal, SimilarityFeature, SimilarityPosting, SimilarityProfile


def known_places(title: str, text: str) -> dict[str, int]:
    """The county's place names (found before a 镇, 村, 站 … in some suggestion) that this text
    says, with or without what they are, each with the number of suggestions naming it (one
    query): where two names overlap (拓宽高桥镇), the one more suggestions name is read."""
    _p, SimilarityFeature, _q, _r = _models()
    chars = likeness.normalize(f"{title} {text[: likeness.TEXT_CHARS]}")
    candidates = {"@" + chars[i : i + 2] for i in range(len(chars) - 1)}
    found = SimilarityFeature.objects.filter(feature__in=candidates, df__gt=0).values_list("feature", "df")
    return {feature[1:]: df for feature, df in found}


def _df(keys: Iterable[str]) -> dict[str, int]:
    _p, SimilarityFeature, _q, _r = _models()
    return dict(SimilarityFeature.objects.filter(feature__in=list(keys)).values_list("feature", "df"))


def indexed_count() -> int:
    """How many suggestions are indexed: the df of :data:`ALL`, the feature every suggestion has
    (one row read, not a count of the table)."""
    _p, SimilarityFeature, _q, _r = _models()
    return SimilarityFeature.objects.filter(feature=ALL).values_list("df", flat=True).first() or 0


def scores(feats: dict, *, exclude: int | None = None) -> dict[int, float]:
    """The likeness of ``feats`` with the suggestions found by its rare features (at most
    ``likeness.CANDIDATES`` of them), each scored on every uncommon feature they share (five
    queries: the count, rarities, the rare features' postings, the candidates' postings and
    lengths). Every query is bounded by the likeness's figures, not by the number of
    suggestions."""
    _p, _f, SimilarityPosting, SimilarityProfile = _models()
    n = indexed_count()
    df = _df(feats)
    rows = SimilarityPosting.objects.filter(feature__in=likeness.rare_features(feats, df))
    if exclude is not None:
        rows = rows.exclude(suggestion_id=exclude)
    found = likeness.score_postings(feats, df, n, rows.values_list("suggestion_id", "feature", "weight"))
    candidates = likeness.best_candidates(found)
    wanted = [g for g in feats if df.get(g) and not likeness.is_common(df[g], n)]
    shared = SimilarityPosting.objects.filter(suggestion_id__in=candidates, feature__in=wanted)
    dots = likeness.score_postings(feats, df, n, shared.values_list("suggestion_id", "feature", "weight"))
    norms = {
        pk: (matter, place)
        for pk, matter, place in SimilarityProfile.objects.filter(pk__in=list(dots)).values_list(
            "pk", "matter_norm", "place_norm"
        )
    }
    query_norm = likeness.norm(feats, df, n)
    return {pk: likeness.combine(dot, query_norm, norms[pk]) for pk, dot in dots.items() if pk in norms}


def related_scores(feats: dict, *, exclude: int | None = None) -> dict[int, float]:
    """The two looks: the text's own features, then with its surest matches' added."""
    _p, _f, _q, SimilarityProfile = _models()
    first = scores(feats, exclude=exclude)
    surest = seeds(first)
    if not surest:
        return first
    seed_features = list(SimilarityProfile.objects.filter(pk__in=surest).values_list("features", flat=True))
    return scores(look_again(feats, seed_features), exclude=exclude)


def _count(keys: Iterable[str], delta: int) -> None:
    _p, SimilarityFeature, _q, _r = _models()
    keys = list(keys)
    SimilarityFeature.objects.filter(feature__in=keys).update(df=F("df") + delta)
    if delta > 0:
        have = set(SimilarityFeature.objects.filter(feature__in=keys).values_list("feature", flat=True))
        SimilarityFeature.objects.bulk_create(
            [SimilarityFeature(feature=k, df=delta) for k in keys if k not in have], ignore_conflicts=True
        )


def forget(sender=None, instance=None, **kwargs) -> None:
    """A suggestion deleted (in the back office, or by a cascade) no longer counts in its
    features' rarities nor in the number of indexed suggestions: its features are counted down
    before it goes (connected to ``pre_delete`` of ``Suggestion``, inside the transaction that
    deletes). Its profile, postings and proposals go with it (cascade)."""
    _p, _f, _q, SimilarityProfile = _models()
    feats = SimilarityProfile.objects.filter(pk=instance.pk).values_list("features", flat=True).first()
    if feats is not None:
        _count([*feats, ALL], -1)


def index_suggestion(suggestion) -> list:
    """Keep the index up to date with a suggestion just written, and store what it proposes:
    the suggestions on the same matter (at most ``LIMIT``, best first), except pairs the
    office has already decided. Called by the service that writes the suggestion, inside its
    transaction; its cost depends on how many suggestions share its rarer words, not on how
    many there are."""
    RelatedProposal, _f, SimilarityPosting, SimilarityProfile = _models()
    with transaction.atomic():
        feats = features(suggestion.title, suggestion.text, places=known_places(suggestion.title, suggestion.text))
        old = SimilarityProfile.objects.filter(pk=suggestion.pk).first()
        if old is not None:
            _count(old.features, -1)
            SimilarityPosting.objects.filter(suggestion_id=suggestion.pk).delete()
        _count([*feats, ALL] if old is None else feats, +1)
        SimilarityPosting.objects.bulk_create(
            SimilarityPosting(feature=g, suggestion_id=suggestion.pk, weight=w) for g, w in feats.items()
        )
        n = indexed_count()
        matter, place = likeness.norm(feats, _df(feats), n)
        SimilarityProfile.objects.update_or_create(
            suggestion_id=suggestion.pk, defaults={"features": feats, "matter_norm": matter, "place_norm": place}
        )
        found = earlier_only(suggestion.pk, related_scores(feats, exclude=suggestion.pk))
        return store_proposals(suggestion.pk, choose(found))


def earlier_only(pk: int, found: dict) -> dict:
    """A suggestion proposes the ones written before it (a smaller id); the later ones are
    proposed by themselves, and both pages show the pair."""
    return {key: score for key, score in found.items() if key < pk}


def store_proposals(pk: int, chosen: list[tuple[int, float]]) -> list:
    """Replace the suggestion's undecided proposals (of earlier suggestions) with ``chosen``;
    decided pairs stay as they were decided (a dismissed pair is never proposed again)."""
    RelatedProposal, _f, _q, _r = _models()
    decided = set(
        RelatedProposal.objects.filter(later_id=pk)
        .exclude(status=RelatedProposal.Status.PROPOSED)
        .values_list("earlier_id", flat=True)
    )
    RelatedProposal.objects.filter(later_id=pk, status=RelatedProposal.Status.PROPOSED).delete()
    rows = [
        RelatedProposal(earlier_id=other, later_id=pk, score=score)
        for other, score in chosen
        if other < pk and other not in decided
    ]
    RelatedProposal.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def rebuild(*, propose_since: int | None = None, stdout=None) -> dict:
    """Build the whole index again from the suggestions (``manage.py rebuild_index``): the
    place names first (every text read once), then each suggestion's features, postings and
    lengths, then the proposals of the suggestions of ``propose_since`` and later (all when
    None), each compared with all. Decided proposals are kept."""
    from .models import Suggestion

    RelatedProposal, SimilarityFeature, SimilarityPosting, SimilarityProfile = _models()
    started = timezone.now()
    rows = list(Suggestion.objects.exclude(status__in=UNWRITTEN).values_list("pk", "title", "text", "session__year"))
    index = likeness.SimilarityIndex(
        ((pk, (title, text)) for pk, title, text, _year in rows),
        analyzer=lambda doc, places=frozenset(): features(doc[0], doc[1], places=places),
    )
    with transaction.atomic():
        SimilarityPosting.objects.all().delete()
        SimilarityProfile.objects.all().delete()
        SimilarityFeature.objects.all().delete()
        SimilarityFeature.objects.bulk_create(
            (SimilarityFeature(feature=g, df=n) for g, n in [*index.df.items(), (ALL, len(rows))]), batch_size=5000
        )
        SimilarityProfile.objects.bulk_create(
            (
                SimilarityProfile(
                    suggestion_id=pk,
                    features=index.features_of(pk),
                    matter_norm=index.norm_of(pk)[0],
                    place_norm=index.norm_of(pk)[1],
                )
                for pk, *_rest in rows
            ),
            batch_size=2000,
        )
        SimilarityPosting.objects.bulk_create(
            (
                SimilarityPosting(feature=g, suggestion_id=pk, weight=w)
                for pk, *_rest in rows
                for g, w in index.features_of(pk).items()
            ),
            batch_size=10000,
        )
    proposed = 0
    for pk, _title, _text, year in rows:
        if propose_since is not None and year < propose_since:
            continue
        feats = index.features_of(pk)
        first = index.scores(feats, exclude=[pk])
        again = index.scores(look_again(feats, [index.features_of(k) for k in seeds(first)]), exclude=[pk])
        with transaction.atomic():
            proposed += len(store_proposals(pk, choose(earlier_only(pk, again))))
    if stdout is not None:
        stdout.write(
            f"{len(rows)} suggestions indexed ({len(index.df)} features, {len(index.places)} place names), "
            f"{proposed} proposals stored in {(timezone.now() - started).total_seconds():.1f} s"
        )
    return {"suggestions": len(rows), "features": len(index.df), "proposals": proposed}
