"""Template helpers of the institution."""

from django import template

register = template.Library()


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
