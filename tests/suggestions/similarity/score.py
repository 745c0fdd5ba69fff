"""Score the likeness that proposes a suggestion's earlier ones (suggestions/similarity.py)
on the labelled set: the series in series.txt hidden among unrelated county suggestions
(background.py). For each series' newest suggestion, the proposals it would be shown (at most
``similarity.LIMIT``, the same choice the back office makes) are compared with its earlier ones:

- recall: the share of the earlier suggestions that are among the proposals;
- precision: the share of the proposals shown that are earlier suggestions of its series.

    .venv/bin/python tests/suggestions/similarity/score.py                # 5,000 background
    .venv/bin/python tests/suggestions/similarity/score.py --background 1000 --misses

``heldout.txt`` holds series written after the likeness's figures were chosen on series.txt
and never used to choose them; ``--heldout`` scores those instead, to tell whether the figures
only fit the series they were tuned on. ``heldout2.txt`` (``--heldout 2``) was written later,
before the next changes, in other fields of county life. ``--misses`` lists each earlier one
missed with its likeness and rank, and each wrong proposal with its likeness.

The test suite runs it on a smaller set (tests/suggestions/test_similarity_score.py).
"""

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from congress.text import SimilarityIndex  # noqa: E402
from suggestions import similarity  # noqa: E402
from tests.suggestions.similarity.background import generate  # noqa: E402


@dataclass
class Item:
    key: str
    year: int
    title: str
    text: str
    series: str = ""


@dataclass
class Score:
    earlier: int = 0
    found: int = 0
    shown: int = 0
    right: int = 0
    series: int = 0
    suggestions: int = 0
    misses: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.earlier if self.earlier else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.shown if self.shown else 1.0


def load_series(path: Path = HERE / "series.txt") -> dict[str, list[Item]]:
    series: dict[str, list[Item]] = {}
    name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            series[name] = []
        elif line.strip() and not line.startswith("#"):
            year, title, text = (part.strip() for part in line.split("|", 2))
            series[name].append(Item(f"{name}/{year}", int(year), title, text, name))
    return series


def evaluate(background: int = 5000, *, seed: int = 2026, path: Path = HERE / "series.txt") -> Score:
    series = load_series(path)
    items = [item for rows in series.values() for item in rows]
    items += [Item(f"bg{i}", y, t, x) for i, (y, t, x) in enumerate(generate(background, seed=seed))]
    index = SimilarityIndex(
        ((it.key, it) for it in items),
        analyzer=lambda it, places=(): similarity.features(it.title, it.text, places=places),
    )
    score = Score(series=len(series), suggestions=len(items))
    for name, rows in series.items():
        newest, earlier = rows[-1], {it.key for it in rows[:-1]}
        query = similarity.features(newest.title, newest.text, places=index.places)
        first = index.scores(query, exclude=[newest.key])
        query = similarity.look_again(query, [index.features_of(key) for key in similarity.seeds(first)])
        scored = index.scores(query, exclude=[newest.key])
        proposals = similarity.choose(scored)
        ranked = sorted(scored, key=lambda key: (-scored[key], str(key)))
        keys = [key for key, _score in proposals]
        score.earlier += len(earlier)
        score.found += len(earlier & set(keys))
        score.shown += len(keys)
        score.right += sum(key in earlier for key in keys)
        score.misses += [
            (
                name,
                "missed",
                key,
                round(scored.get(key, 0), 3),
                f"rank {ranked.index(key) + 1 if key in scored else '-'}",
            )
            for key in sorted(earlier - set(keys))
        ]
        score.misses += [(name, "wrong", key, s) for key, s in proposals if key not in earlier]
    return score


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--background", type=int, default=5000, help="unrelated suggestions (default 5000)")
    parser.add_argument("--misses", action="store_true", help="list what was missed or wrongly proposed")
    parser.add_argument(
        "--heldout",
        nargs="?",
        const="1",
        choices=["1", "2"],
        help="score the held-out series instead (heldout.txt, or heldout2.txt with 2)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = HERE / {None: "series.txt", "1": "heldout.txt", "2": "heldout2.txt"}[args.heldout]
    score = evaluate(args.background, path=path)
    if args.misses:
        items = {it.key: it for rows in load_series(path).values() for it in rows}
        bg = generate(args.background)
        for miss in score.misses:
            key = miss[2]
            title = items[key].title if key in items else bg[int(key[2:])][1]
            print("  ", miss[0], miss[1], key, title, *miss[3:])
    print(
        f"{path.name}: {score.series} series, {score.suggestions} suggestions: "
        f"recall {score.recall:.1%} ({score.found}/{score.earlier} earlier ones proposed), "
        f"precision {score.precision:.1%} ({score.right}/{score.shown} proposals right) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0 if score.recall >= 0.9 and score.precision >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
