"""The charts of a publication page (ECharts, drawn by static/js/public_charts.js), built from
the same frozen numbers as the tables beside them: the distribution of levels per subject, the
ranking by satisfaction rate, the rectification progress per unit, and the suggestion handling
per unit. Each chart is a dict of plain data; the page writes it with json_script."""

from django.utils.translation import gettext as _

from .models import Publication


def _results(c: dict) -> list[dict]:
    rows = c["rows"]
    labels = [r["label"] for r in rows]
    ranked = sorted((r for r in rows if r["rate"] is not None), key=lambda r: (r["rank"] or 0, r["label"]))
    return [
        {
            "id": "chart-distribution",
            "type": "stacked",
            "title": _("Ballots per level, by subject"),
            "labels": labels,
            "series": [
                {"name": level["label"], "data": [r["counts"][i] for r in rows]} for i, level in enumerate(c["levels"])
            ],
            "unit": "",
        },
        {
            "id": "chart-ranking",
            "type": "ranking",
            "title": _("Ranking by satisfaction rate"),
            "labels": [r["label"] for r in ranked],
            "series": [{"name": _("satisfaction rate"), "data": [round(100 * r["rate"], 2) for r in ranked]}],
            "unit": "%",
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
                {"name": _("done"), "data": [u["done"] for u in units]},
                {"name": _("open"), "data": [u["total"] - u["done"] for u in units]},
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
                {"name": _("completion rate"), "data": [u["completion_rate"] for u in units]},
                {"name": _("satisfaction rate"), "data": [u["satisfaction_rate"] for u in units]},
            ],
            "unit": "%",
        }
    ]


def for_publication(publication: Publication) -> list[dict]:
    build = {
        Publication.Kind.RESULTS: _results,
        Publication.Kind.RECTIFICATION: _rectification,
        Publication.Kind.SUGGESTIONS: _suggestions,
    }.get(publication.kind)
    return build(publication.content) if build else []
