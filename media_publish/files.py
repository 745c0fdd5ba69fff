"""Sending a published file: a video with byte ranges (phones seek, and iOS plays nothing
without them), a poster or a plan document, through the same ``congress.files.send`` as every
other file, marked cacheable (it is public)."""

from django.http import HttpResponse

from congress import files


def serve_file(request, name: str) -> HttpResponse:
    return files.send(request, name, public=True)
