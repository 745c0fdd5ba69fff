"""Checks on what staff upload or link for a meeting's video: a real MP4 within the size limit
(the file's own header is read, not its name), a poster that is really an image, and a link
only to a host on the allowlist (VIDEO_EMBED_HOSTS), which the content security policy frames."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The major brands of the ISO base media file format that browsers play as video/mp4.
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VP",
    b"dash",
    b"mmp4",
    b"MSNV",
    b"f4v ",
}
POSTER_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG; WebP is checked below
MAX_POSTER_BYTES = 5 * 1024 * 1024


def _head(file, n: int) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(n)
    file.seek(position)
    return head


def is_mp4(head: bytes) -> bool:
    """Whether the bytes start like an MP4 file: a first box of type ``ftyp`` with a sane size and
    a major brand of the MP4 family (a QuickTime .mov, a renamed .avi or a text file is not)."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    return 16 <= size <= 1024 and head[8:12] in MP4_BRANDS


def validate_mp4(file) -> None:
    """Refuse a video over RECORDING_MAX_BYTES, or one that is not an MP4 file."""
    limit = settings.RECORDING_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The video is too large: %(size)s, while the site accepts at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = _head(file, 12)
    if not is_mp4(head):
        raise ValidationError(
            _("This file is not an MP4 video. Export the recording as MP4 (H.264) and upload it again."),
            code="not_mp4",
        )


def validate_poster(file) -> None:
    if file.size > MAX_POSTER_BYTES:
        raise ValidationError(
            _("The poster is too large: %(size)s, while the site accepts at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_POSTER_BYTES)},
            code="too_large",
        )
    head = _head(file, 12)
    if not (head.startswith(POSTER_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")):
        raise ValidationError(_("The poster must be a JPEG, PNG or WebP image."), code="not_image")


def embed_hosts() -> list[str]:
    return [h.strip().lower() for h in settings.VIDEO_EMBED_HOSTS if h.strip()]


def validate_embed_url(url: str) -> None:
    """Only an https address on a host of the allowlist can be embedded."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host not in embed_hosts():
        allowed = "、".join(embed_hosts()) or _("none")
        raise ValidationError(
            _("Videos can be linked only from the sites on the allowlist (%(hosts)s), over https; %(host)s is not one.")
            % {"hosts": allowed, "host": host or url},
            code="host_not_allowed",
        )


def embeds_as_video(url: str) -> bool:
    """A link to the file itself (…/x.mp4) plays in the page's own player; any other link is
    the station's player page, framed."""
    return urlsplit(url).path.lower().endswith(".mp4")
