"""Files belong to their records and are served with their records' access rules.

Every uploaded file (a unit's reply letter, a signed rectification plan, evidence, a deputy's
attachment, a meeting video) is a ``RecordFileField`` of the record it belongs to. It is stored
under a generated folder (``suggestions/replies/2026/<random>/答复函.pdf``: nobody can guess
another file's address, and the owner's name is kept for the download) and is only ever sent by
``download``: the view finds the record that holds the file, asks the rule registered for that
field whether this user may have it (staff with the right to view the record in the back office
always may), and then hands the bytes over. In production nginx sends them
(``X-Accel-Redirect`` to its internal location, MEDIA_ACCEL_REDIRECT); on the embedded default
Django streams them itself. Nothing under MEDIA_ROOT is reachable by its path: the storage's
``url()`` is this view's address, so every link the pages and the back office draw goes
through the same check.

Published files (a meeting video, its poster, a published plan) are sent by the public site
(media_publish) through the same ``send``, marked cacheable; everything else is private.
"""

from __future__ import annotations

import datetime
import mimetypes
import posixpath
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from congress import uploads

PUBLIC_CACHE = "public, max-age=0, s-maxage=1"
PRIVATE_CACHE = "private, no-store"
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp", "video/mp4")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


class RecordStorage(FileSystemStorage):
    """MEDIA_ROOT on disk, whose addresses are the checked download view's, never the files'."""

    def url(self, name):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse("files:download", kwargs={"name": name})


@deconstructible
class UploadTo:
    """``prefix/year/<random folder>/name``: the folder is generated, the name is the owner's
    (cleaned by ``congress.uploads``)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        year = datetime.datetime.now(tz=datetime.UTC).year
        return f"{self.prefix}/{year}/{uuid.uuid4().hex}/{posixpath.basename(filename)}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


class RecordFileField(models.FileField):
    """A file that belongs to its record: stored under ``prefix``, accepted only when its
    content is one of ``types`` (``congress.uploads``) and at most ``max_mb`` megabytes, and
    downloadable only as the rule registered for it allows (``register``)."""

    def __init__(self, verbose_name=None, *, prefix: str = "", types=uploads.DOCUMENTS, max_mb: float = 20, **kwargs):
        by_key = {t.key: t for t in uploads.ALL_TYPES}
        # Migrations give the types by key; code gives the FileType constants.
        self.types = tuple(by_key[t] if isinstance(t, str) else t for t in types)
        self.max_mb = max_mb
        if prefix:
            kwargs["upload_to"] = UploadTo(prefix)
        kwargs.setdefault("max_length", 255)
        super().__init__(verbose_name, **kwargs)

    @property
    def prefix(self) -> str:
        return self.upload_to.prefix if isinstance(self.upload_to, UploadTo) else ""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["types"] = [t.key for t in self.types]
        kwargs["max_mb"] = self.max_mb
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": uploads.UploadField, "types": self.types, "max_mb": self.max_mb, **kwargs}
        )


# -- who may download what ---------------------------------------------------------------


@dataclass(frozen=True)
class FileRule:
    """Who, besides the back office, may download ``model.field``: ``may_download(user, record)``
    for deputies and liaisons; back-office users need ``perm`` (by default the right to view the
    record)."""

    model: type[models.Model]
    field: str
    may_download: Callable
    perm: str

    @property
    def prefix(self) -> str:
        return getattr(self.model._meta.get_field(self.field), "prefix", "")

    def holder(self, name: str):
        return self.model._default_manager.filter(**{self.field: name}).first()


RULES: dict[tuple[str, str], FileRule] = {}


def register(model, field: str, *, may_download: Callable | None = None, perm: str = "") -> None:
    """Declare who may download ``model.field`` (apps call this from their ``ready``)."""
    opts = model._meta
    RULES[(opts.label_lower, field)] = FileRule(
        model=model,
        field=field,
        may_download=may_download or (lambda user, record: False),
        perm=perm or f"{opts.app_label}.view_{opts.model_name}",
    )


def record_file_fields():
    """Every RecordFileField of every installed model, as (model, field)."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def holder_of(name: str):
    """(rule, record) of the record that holds the stored file ``name``, or None. The rule whose
    prefix the name starts with is asked first; files stored before the prefixes existed are
    looked for in every registered field."""
    rules = sorted(RULES.values(), key=lambda r: not (r.prefix and name.startswith(r.prefix + "/")))
    for rule in rules:
        record = rule.holder(name)
        if record is not None:
            return rule, record
    return None


def may_download(user, rule: FileRule, record) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff and user.has_perm(rule.perm):
        return True
    return bool(rule.may_download(user, record))


# -- sending ---------------------------------------------------------------------------------


def download_name(name: str) -> str:
    return posixpath.basename(name)


def content_type_of(name: str) -> str:
    extension = uploads.extension_of(name)
    return uploads.MIME_BY_EXTENSION.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def send(request, name: str, *, public: bool) -> HttpResponse:
    """The stored file ``name``: handed to nginx behind it (MEDIA_ACCEL_REDIRECT), otherwise
    streamed, with byte ranges (phones seek in videos). PDFs, images and videos open in the
    browser, other documents download; either way under the owner's name (RFC 6266)."""
    if not name or ".." in name.split("/") or not default_storage.exists(name):
        raise Http404
    content_type = content_type_of(name)
    disposition = content_disposition_header(content_type not in INLINE_TYPES, download_name(name))
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    else:
        size = default_storage.size(name)
        match = RANGE.match(request.headers.get("Range", "").strip())
        if match and (match.group(1) or match.group(2)):
            first, last = match.groups()
            if first:
                start, end = int(first), min(int(last), size - 1) if last else size - 1
            else:
                start, end = max(size - int(last), 0), size - 1
            if start >= size or start > end:
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                return response
            handle = default_storage.open(name, "rb")
            handle.seek(start)
            response = StreamingHttpResponse(_chunks(handle, end - start + 1), status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        else:
            response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    if not public:
        response["Vary"] = "Cookie"
    return response


@require_safe
def download(request, name: str):
    """/files/<stored name>: the file, to whoever the rule of the record holding it allows;
    the login page for someone not logged in; 403 for anyone else; 404 for a name no record
    holds."""
    found = holder_of(name)
    if found is None:
        raise Http404
    rule, record = found
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_download(request.user, rule, record):
        raise PermissionDenied
    return send(request, name, public=False)
