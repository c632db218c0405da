"""Uploaded files: receipts, invoices and documentation from citizens (often a photo taken with a
phone) and from staff.

The file's type is decided by its content (the `filetype` package reads the first bytes), never by
its name or the content type the browser sent: an HTML page renamed `.pdf` is refused. The file is
stored under a name the server chooses (`<uuid4 hex>.<extension of the detected type>`) in the
default storage under `uploads/<municipality code>/`, which is never served by URL. The uploader's
own file name is kept, cleaned, for display only. Downloads go through `stored_file_response`,
always as an attachment of the detected type.
"""

import hashlib
import tempfile
import unicodedata
import uuid
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from teten.core.clock import now as clock_now
from teten.documents.models import StoredFile, storage_path

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 100
HEAD_BYTES = 8192  # what `filetype` looks at
CHUNK = 64 * 1024

# Detected content type → the extension the stored file gets.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heif",
    "image/webp": "webp",
}
# Extensions a person may already have given a file of that type (kept in the download name).
_KNOWN_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/heic": {"heic", "heif"},
    "image/heif": {"heif", "heic"},
    "image/webp": {"webp"},
}
_HEIF_BRANDS = {b"mif1", b"msf1", b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}


def detect_content_type(head: bytes) -> str | None:
    """The content type of a file from its first bytes, if it is one Teten accepts."""
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    if kind is None and _is_heif(head):
        return "image/heif"
    return None


def _is_heif(head: bytes) -> bool:
    """HEIF still images whose brands `filetype` does not know (it knows only `heic`)."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    return bool(brands & _HEIF_BRANDS) and b"avif" not in brands


def clean_original_name(name: str | None) -> str:
    """The uploader's file name for display: no folders, no control or direction characters, at
    most 100 characters (keeping the extension), never empty."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    text = PurePosixPath(text.replace("\\", "/")).name.strip().strip(".").strip()
    if len(text) > MAX_NAME:
        suffix = PurePosixPath(text).suffix
        suffix = suffix if 1 < len(suffix) <= 10 else ""
        text = text[: MAX_NAME - len(suffix)].rstrip() + suffix
    return text or "fil"


def _too_large(max_bytes: int) -> ValidationError:
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " MB"
    else:
        size = f"{max(max_bytes // 1024, 1)} kB"
    return ValidationError(_("The file is too large: at most %(size)s.") % {"size": size}, code="too_large")


def _spool(uploaded_file, max_bytes: int):
    """Copy the upload into a temporary file in chunks, counting and hashing as it goes; stop as
    soon as it is too large (its declared size is not trusted)."""
    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned to the caller
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        for chunk in uploaded_file.chunks(CHUNK):  # a Django File: rewinds, then reads in chunks
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, size, digest.hexdigest(), head


CSV_TYPE = "text/csv"


def looks_like_csv(head: bytes) -> bool:
    """A data file for import: UTF-8 text (a BOM allowed), no NUL bytes, not markup."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # only a character cut off at the end of the head is fine
            return False
        text = head[: exc.start].decode("utf-8-sig")
    return not text.lstrip().startswith("<")


@transaction.atomic
def upload_store(
    *,
    municipality,
    uploaded_file,
    uploaded_by_citizen=None,
    uploaded_by_staff=None,
    max_bytes: int = MAX_BYTES,
    csv: bool = False,
) -> StoredFile:
    """Check and store one uploaded file; raise a ValidationError with a plain Danish message if it
    is empty, too large, or not a PDF or a picture. The caller has already checked that the uploader
    may upload here (and logs the use, if it concerns a citizen)."""
    if uploaded_by_citizen is not None and uploaded_by_staff is not None:
        raise ValueError("A file has one uploader: a citizen or a member of staff")
    uploader = uploaded_by_citizen or uploaded_by_staff
    if uploader is not None and uploader.municipality_id != municipality.pk:
        raise ValueError("The uploader belongs to another municipality")
    spool, size, sha256, head = _spool(uploaded_file, max_bytes)
    with spool:
        if size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        if csv:
            if not looks_like_csv(head):
                raise ValidationError(_("The file must be a CSV file in UTF-8."), code="file_type")
            content_type, extension = CSV_TYPE, "csv"
        else:
            content_type = detect_content_type(head)
            if content_type is None:
                raise ValidationError(
                    _("We can only receive PDF files and pictures (JPEG, PNG, HEIC or WEBP)."), code="file_type"
                )
            extension = ALLOWED_TYPES[content_type]
        storage_name = f"{uuid.uuid4().hex}.{extension}"
        path = storage_path(municipality.code, storage_name)
        saved = default_storage.save(path, File(spool, name=storage_name))
    if saved != path:  # never happens with a fresh uuid; refuse rather than point at a wrong file
        default_storage.delete(saved)
        raise RuntimeError("The storage renamed an upload")
    try:
        return StoredFile.objects.create(
            municipality=municipality,
            storage_name=storage_name,
            original_name=clean_original_name(getattr(uploaded_file, "name", "")),
            content_type=content_type,
            size=size,
            sha256=sha256,
            uploaded_at=clock_now(),
            uploaded_by_citizen=uploaded_by_citizen,
            uploaded_by_staff=uploaded_by_staff,
        )
    except BaseException:
        default_storage.delete(path)
        raise


def download_name(stored: StoredFile) -> str:
    """The cleaned original name, with the extension of the detected type if it has another one
    (so a PDF called `kvittering.html` downloads as `kvittering.html.pdf`)."""
    name = stored.original_name or "fil"
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if suffix not in _KNOWN_EXTENSIONS.get(stored.content_type, set()):
        name = f"{name}.{ALLOWED_TYPES.get(stored.content_type, 'bin')}"
    return name


def stored_file_response(stored: StoredFile) -> FileResponse:
    """Send a stored file as a download (never shown in the browser, never as HTML). The caller has
    fetched `stored` for the person asking and checked they may see it."""
    content_type = stored.content_type if stored.content_type in ALLOWED_TYPES else "application/octet-stream"
    handle = default_storage.open(storage_path(stored.municipality.code, stored.storage_name), "rb")
    response = FileResponse(handle, as_attachment=True, filename=download_name(stored), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
