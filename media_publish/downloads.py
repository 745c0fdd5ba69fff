"""A recording's video and poster by their stored name: the staff only. The public reaches
them through the publication that froze them (``views.public.publication_file``), which is
cacheable."""

from congress import files

from .models import Recording


def register() -> None:
    files.register(Recording, "video")
    files.register(Recording, "poster")
