"""Images: checked by content, re-encoded, stored privately, served after a permission check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from drafts.models import Image
from tests.drafts.factories import png_bytes


def upload(client, plan, name, data, content_type="image/png"):
    return client.post(
        f"/rencana/{plan.pk}/dokumen/gambar/",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    image = PILImage.new("RGB", (20, 10), (10, 120, 40))
    exif = PILImage.Exif()
    exif[0x010E] = "Lokasi rahasia"  # ImageDescription
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_picture_is_uploaded_re_encoded_and_served_to_readers_only(
    world, client_for, document, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = upload(client_for("opd"), world.plan, "peta.jpg", jpeg_with_exif(), "image/jpeg")
    assert response.status_code == 200
    image = Image.objects.get()
    assert response.json() == {"location": f"/gambar/{image.uuid}/"}
    assert image.content_type == "image/jpeg" and (image.width, image.height) == (20, 10)
    assert image.file.name == f"drafts/images/{image.uuid}.jpg"  # never the uploaded name
    served = client_for("leader").get(image.url)
    data = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert b"Lokasi rahasia" not in data  # metadata dropped
    assert client_for("other_staff").get(image.url).status_code == 404
    assert client_for("anonymous").get(image.url).status_code == 302


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("laporan.png", b"%PDF-1.4 not an image"),
        ("skrip.png", b"<script>alert(1)</script>"),
        ("kosong.png", b""),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("terpotong.png", png_bytes()[:40]),
        ("polyglot.png", png_bytes()[:8] + b"<html><script>alert(1)</script></html>"),
        ("program.png", b"MZ\x90\x00" + b"\x00" * 200),
    ],
)
def test_files_that_are_not_whole_pictures_are_refused_with_a_message(
    world, client_for, document, settings, tmp_path, name, data
):
    settings.MEDIA_ROOT = tmp_path
    response = upload(client_for("planner"), world.plan, name, data)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Image.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_picture_too_large_is_refused(world, client_for, document, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 + 1)
    response = upload(client_for("planner"), world.plan, "besar.png", huge)
    assert response.status_code == 400 and "5 MB" in response.json()["error"]


def test_gif_and_webp_become_png(world, client_for, document, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    PILImage.new("P", (5, 5)).save(out, "GIF")
    response = upload(client_for("planner"), world.plan, "animasi.gif", out.getvalue(), "image/gif")
    assert response.status_code == 200
    assert Image.objects.get().content_type == "image/png"


def test_a_picture_is_stored_without_its_text_chunks_or_profile_and_owner_only(
    world, client_for, document, settings, tmp_path
):
    import os
    import stat

    from PIL import PngImagePlugin

    settings.MEDIA_ROOT = tmp_path
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><script>alert(1)</script></html>")
    out = io.BytesIO()
    PILImage.new("RGB", (6, 6), (1, 2, 3)).save(
        out, "PNG", pnginfo=info, icc_profile=b"<script>profil</script>" * 4
    )
    response = upload(client_for("planner"), world.plan, "peta.png", out.getvalue())
    assert response.status_code == 200
    image = Image.objects.get()
    stored = open(image.file.path, "rb").read()  # noqa: SIM115 - small test file
    assert b"<script" not in stored and b"iCCP" not in stored and b"tEXt" not in stored
    assert stat.S_IMODE(os.stat(image.file.path).st_mode) == 0o600


def test_a_picture_waits_briefly_for_a_slot_then_gets_a_429(
    world, client_for, document, settings, tmp_path, monkeypatch
):
    from rpjmd import heavy

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(heavy, "UPLOAD_WAIT_SECONDS", 0.2)
    with heavy.slot(world.planner.pk):
        response = upload(client_for("planner"), world.plan, "peta.png", png_bytes())
    assert response.status_code == 429
    assert response.json() == {"error": "Server sedang memproses, coba lagi sebentar."}
    assert not Image.objects.exists()
    assert upload(client_for("planner"), world.plan, "peta.png", png_bytes()).status_code == 200
