"""Share QR codes (segno): each public page carries one for its own address, drawn as inline
SVG so it costs no request and no script."""

import segno
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def share_qr(url: str) -> str:
    """An inline SVG QR code of ``url``, labelled for screen readers."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=3, border=2, dark="#1a1a1a", light="#ffffff", svgclass="share-qr-code", omitsize=True)
    label = _("QR code of this page: %(url)s") % {"url": url}
    svg = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', label), 1)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG, the label escaped above
