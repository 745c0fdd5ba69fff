"""The charts of a publication page, built from the same frozen numbers as the tables beside
them: the distribution of levels per subject, the ranking by satisfaction rate, the rectification
progress per unit, and the suggestion handling per unit. Each chart is a dict of plain data, and
``bars`` lays out its horizontal bars, which the page draws as SVG (templates/public/_chart.html):
no script and nothing to download, so a phone on a weak signal gets them with the page (a bar-only
ECharts build alone weighed 160 KB compressed, above the 100 KB a page may weigh)."""

from django.utils.translation import gettext as _

from .models import Publication

# Colours by meaning, the same on every chart (contrast checked against white).
LEVEL_COLOURS = {"satisfied": "#1f6f3f", "fairly": "#4c9a5f", "basic": "#b8860b", "unsatisfied": "#a4161a"}
DONE, OPEN, RED, BLUE = "#1f6f3f", "#8a8f94", "#a4161a", "#1f3a5f"


def _results(c: dict) -> list[dict]:
    rows = c["rows"]
    labels = [r["label"] for r in rows]
    ranked = [r for r in rows if r["score"] is not None]  # already by rank
    return [
        {
            "id": "chart-distribution",
            "type": "stacked",
            "title": _("Ballots per level, by subject"),
            "labels": labels,
            "series": [
                {
                    "name": level["label"],
                    "data": [r["counts"][i] for r in rows],
                    "colour": LEVEL_COLOURS.get(level["code"], BLUE),
                }
                for i, level in enumerate(c["levels"])
            ],
            "unit": "",
        },
        {
            "id": "chart-ranking",
            "type": "ranking",
            "title": _("Ranking by score"),
            "labels": [r["label"] for r in ranked],
            "series": [{"name": _("score"), "data": [r["score"] for r in ranked], "colour": RED}],
            "unit": "",
            "max": 100,
        },
    ]


def _rectification(c: dict) -> list[dict]:
    units = c["units"]
    return [
        {
            "id": "chart-rectification",
            "type": "stacked",
            "title": _("Rectification items done and open, by unit"),
            "labels": [u["label"] for u in units],
            "series": [
                {"name": _("done"), "data": [u["done"] for u in units], "colour": DONE},
                {"name": _("open"), "data": [u["total"] - u["done"] for u in units], "colour": OPEN},
            ],
            "unit": "",
        }
    ]


def _suggestions(c: dict) -> list[dict]:
    units = c["units"]
    return [
        {
            "id": "chart-suggestions",
            "type": "grouped",
            "title": _("Completion and satisfaction rates, by unit"),
            "labels": [u["unit"] for u in units],
            "series": [
                {"name": _("completion rate"), "data": [u["completion_rate"] for u in units], "colour": BLUE},
                {
                    "name": _("satisfaction rate"),
                    "data": [u["satisfaction_rate"] if u.get("rated", 1) else None for u in units],
                    "colour": DONE,
                },
            ],
            "unit": "%",
            "max": 100,
        }
    ]


def for_publication(publication: Publication) -> list[dict]:
    build = {
        Publication.Kind.RESULTS: _results,
        Publication.Kind.RECTIFICATION: _rectification,
        Publication.Kind.SUGGESTIONS: _suggestions,
    }.get(publication.kind)
    charts = build(publication.content) if build else []
    return [{**chart, "rows": bars(chart)} for chart in charts]


def _number(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def bars(chart: dict) -> list[dict]:
    """The chart's rows, each with its label, its bars (x, y, width, height in a 100 × 10 box,
    and colour) and the value written beside it. Stacked series sit end to end on one bar;
    grouped ones one under the other; the scale is the chart's max, else its largest row."""
    series, unit = chart["series"], chart.get("unit", "")
    stacked = chart["type"] == "stacked"
    totals = [
        sum(s["data"][i] or 0 for s in series) if stacked else max((s["data"][i] or 0) for s in series)
        for i in range(len(chart["labels"]))
    ]
    scale = chart.get("max") or max(totals, default=0) or 1
    rows = []
    for i, label in enumerate(chart["labels"]):
        drawn, x = [], 0.0
        height = 10 / (1 if stacked else len(series))
        for n, s in enumerate(series):
            value = s["data"][i] or 0
            width = round(100 * value / scale, 2)
            drawn.append(
                {
                    "x": round(x, 2),
                    "y": 0 if stacked else round(n * height, 2),
                    "width": width,
                    "height": round(height, 2),
                    "colour": s["colour"],
                }
            )
            if stacked:
                x += width
        text = _number(totals[i], unit) if stacked else " / ".join(_number(s["data"][i], unit) for s in series)
        rows.append({"label": label, "bars": [b for b in drawn if b["width"] > 0], "text": text})
    return rows
