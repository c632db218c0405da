"""Uploads are judged by their content, stored under a name the server chooses, and only ever sent
back as attachments."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image

from teten.documents.models import StoredFile
from teten.documents.uploads import clean_original_name, detect_content_type, stored_file_response, upload_store


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Kvittering: 499,00 kr.")
    return bytes(pdf.output())


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def store(muni_a, citizen):
    def do(uploaded, **kwargs):
        return upload_store(municipality=muni_a, uploaded_file=uploaded, uploaded_by_citizen=citizen, **kwargs)

    return do


def test_a_real_pdf_is_stored_under_a_server_chosen_name(store, media_root, citizen, muni_a):
    content = pdf_bytes()
    stored = store(upload("kvittering.pdf", content))
    assert (stored.content_type, stored.size, stored.sha256) == (
        "application/pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert stored.original_name == "kvittering.pdf" and stored.uploaded_by_citizen == citizen
    assert len(stored.storage_name) == 36 and stored.storage_name.endswith(".pdf")
    on_disk = Path(media_root) / "uploads" / muni_a.code / stored.storage_name
    assert on_disk.read_bytes() == content
    assert StoredFile.objects.for_municipality(muni_a).get() == stored


@pytest.mark.parametrize(
    ("fmt", "mime", "ext"), [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")]
)
def test_photos_from_a_phone_are_accepted(store, fmt, mime, ext):
    # The browser's content type and the name say nothing; the content decides.
    stored = store(upload("IMG_0042", image_bytes(fmt), content_type="application/octet-stream"))
    assert stored.content_type == mime and stored.storage_name.endswith(f".{ext}")


def test_heic_and_heif_photos_are_recognised():
    def ftyp(major: bytes, *compatible: bytes) -> bytes:
        body = major + b"\0\0\0\0" + b"".join(compatible)
        return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\0" * 64

    assert detect_content_type(ftyp(b"heic", b"mif1", b"heic")) == "image/heic"
    assert detect_content_type(ftyp(b"mif1", b"mif1", b"miaf")) == "image/heif"
    assert detect_content_type(ftyp(b"avif", b"mif1", b"avif")) is None
    assert detect_content_type(ftyp(b"isom", b"mp41")) is None  # a video


def test_an_html_file_renamed_pdf_is_refused(store, media_root, muni_a):
    page = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    with pytest.raises(ValidationError) as caught:
        store(upload("kvittering.pdf", page, content_type="application/pdf"))
    assert caught.value.code == "file_type"
    assert caught.value.messages == ["Vi kan kun modtage PDF-filer og billeder (JPEG, PNG, HEIC eller WEBP)."]
    assert not StoredFile.objects.for_municipality(muni_a).exists()
    assert not any(p.is_file() for p in Path(media_root).rglob("*"))


def test_an_11_mb_file_is_refused(store, muni_a):
    big = pdf_bytes() + b"\0" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        store(upload("stor.pdf", big))
    assert caught.value.code == "too_large"
    assert caught.value.messages == ["Filen er for stor: højst 10 MB."]
    assert not StoredFile.objects.for_municipality(muni_a).exists()


def test_a_file_that_lies_about_its_size_is_still_measured(store):
    lying = upload("stor.pdf", pdf_bytes() + b"\0" * 2048)
    lying.size = 10  # what a client or a buggy handler may claim
    with pytest.raises(ValidationError) as caught:
        store(lying, max_bytes=1024)
    assert caught.value.messages == ["Filen er for stor: højst 1 kB."]


def test_an_empty_file_is_refused(store):
    with pytest.raises(ValidationError) as caught:
        store(upload("tom.pdf", b""))
    assert caught.value.code == "empty" and caught.value.messages == ["Filen er tom."]


def test_a_path_in_the_file_name_is_neutralised(store, media_root, muni_a):
    stored = store(upload("../../etc/passwd.pdf", pdf_bytes()))
    assert stored.original_name == "passwd.pdf"
    assert "/" not in stored.storage_name and ".." not in stored.storage_name
    files = [p for p in Path(media_root).rglob("*") if p.is_file()]
    assert files == [Path(media_root) / "uploads" / muni_a.code / stored.storage_name]
    assert not (Path(media_root).parent / "etc").exists()


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\hanne\\Kvittering 12.pdf", "Kvittering 12.pdf"),
        ("kvit\x00ter\ring\n.pdf", "kvittering.pdf"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),  # no right-to-left trick
        ("Søren Æbelø – tandlæge.jpg", "Søren Æbelø – tandlæge.jpg"),
        ("..", "fil"),
        ("", "fil"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_original_names_are_cleaned_for_display(given, shown):
    assert clean_original_name(given) == shown


def test_a_download_is_an_attachment_of_the_detected_type(store):
    content = pdf_bytes()
    stored = store(upload('"><script>x</script>.html', content, content_type="text/html"))
    response = stored_file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.html.pdf"')
    assert "text/html" not in response["Content-Type"]
    assert _body(response) == content


def test_an_image_downloads_as_an_image_attachment(store):
    stored = store(upload("foto.JPG", image_bytes("JPEG"), content_type="text/html"))
    response = stored_file_response(stored)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="foto.JPG"'
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_file_has_one_uploader_from_the_same_municipality(muni_a, muni_b, citizen, consultant, foreign_citizen):
    with pytest.raises(ValueError):
        upload_store(
            municipality=muni_a, uploaded_file=upload("a.pdf", pdf_bytes()), uploaded_by_citizen=foreign_citizen
        )
    with pytest.raises(ValueError):
        upload_store(
            municipality=muni_a,
            uploaded_file=upload("a.pdf", pdf_bytes()),
            uploaded_by_citizen=citizen,
            uploaded_by_staff=consultant,
        )
    stored = upload_store(municipality=muni_a, uploaded_file=upload("a.pdf", pdf_bytes()), uploaded_by_staff=consultant)
    assert stored.uploaded_by_staff == consultant
