"""The charts of a publication page (ECharts, drawn by static/js/public_charts.js), built from
the same frozen numbers as the tables beside them: the distribution of levels per subject, the
ranking by satisfaction rate, the rectification progress per unit, and the suggestion handling
per unit. Each chart is a dict of plain data; the page writes it with json_script."""

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
    return build(publication.content) if build else []
