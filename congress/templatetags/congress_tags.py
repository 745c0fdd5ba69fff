"""Template helpers of the institution."""

from django import template

from congress import formats

register = template.Library()


@register.filter
def percent(fraction):
    """A share as 90.32% (see congress.formats), the same on every page and in the Excel."""
    return formats.percent_text(fraction)


@register.filter
def outcome(passed):
    """通过 / 未通过 (see congress.formats)."""
    return formats.outcome_text(passed)


@register.filter
def day(value):
    """A date as 2026-03-31 (see congress.formats)."""
    return formats.date_text(value)


@register.simple_tag
def screen_url(meeting_id):
    """The hall screen's address for a meeting, with its key."""
    from congress.views.screen import screen_url as build

    return build(meeting_id)


@register.simple_tag(takes_context=True)
def surface_tiles(context, surface):
    """The tiles workflow apps registered for a surface's home (see congress.surfaces)."""
    from congress import surfaces

    return surfaces.tiles(surface, context["request"].user)
