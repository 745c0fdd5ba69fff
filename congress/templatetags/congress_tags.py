"""Template helpers of the institution."""

from django import template

register = template.Library()


@register.simple_tag
def screen_url(meeting_id):
    """The hall screen's address for a meeting, with its key."""
    from congress.views.screen import screen_url as build

    return build(meeting_id)
