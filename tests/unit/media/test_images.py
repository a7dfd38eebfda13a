"""The image pipeline on real files made here with Pillow: what is refused, what survives."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from congress.media.images import (
    ImageTooLarge,
    Limits,
    NotAnImage,
    Purpose,
    TooManyPixels,
    UnsupportedImage,
    process,
)

pytestmark = pytest.mark.unit

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _jpeg(size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((20, 40, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    out = BytesIO()
    image.save(out, format="JPEG", quality=90, **save)
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "Editor 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 0.0, 0.0), 3: "E", 4: (0.0, 11.0, 0.0)})
    return _jpeg(exif=exif.tobytes())


def _png(size: tuple[int, int], mode: str = "RGBA") -> bytes:
    out = BytesIO()
    Image.new(mode, size, (10, 120, 60, 0) if mode == "RGBA" else (10, 120, 60)).save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height``: its rows are zeros, compressed."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\0" * (1 << 20), 9)  # the start of the rows: 1 MiB of zeros
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_process_jpeg_with_gps_exif_keeps_no_metadata():
    source = _jpeg_with_gps()
    assert Image.open(BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the source does carry GPS

    processed = process(source, Purpose.PHOTO)

    for variant in processed.variants:
        image = _open(variant.data)
        assert image.format == "WEBP"
        assert dict(image.getexif()) == {}
        assert sorted(key for key in image.info if key in ("exif", "xmp", "icc_profile")) == []
        for marker in (b"EXIF", b"Exif", b"XMP ", b"ICCP", b"CameraMaker"):
            assert marker not in variant.data


def test_process_photo_gives_square_webp_of_160_and_480_pixels():
    processed = process(_jpeg((1200, 900)), Purpose.PHOTO)

    assert [(v.name, v.width, v.height) for v in processed.variants] == [
        ("small", 160, 160),
        ("large", 480, 480),
    ]
    assert [_open(v.data).size for v in processed.variants] == [(160, 160), (480, 480)]
    assert len(processed.key) == 32


def test_process_applies_the_exif_orientation():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: show it rotated 90° clockwise
    processed = process(_jpeg((800, 400), exif=exif.tobytes()), Purpose.LOGO)

    large = _open(processed.variant("large").data)
    assert large.size == (160, 320)  # upright: taller than wide, fitted in 640 x 320
    # The blue left half of the stored pixels is on top once upright.
    rgb = large.convert("RGB")
    top, bottom = rgb.getpixel((80, 10)), rgb.getpixel((80, 310))
    assert (top.index(max(top)), bottom.index(max(bottom))) == (2, 0)  # blue above, red below


def test_process_logo_keeps_transparency_and_fits_the_box():
    processed = process(_png((1000, 250)), Purpose.LOGO)

    large = _open(processed.variant("large").data)
    assert (large.mode, large.size) == ("RGBA", (640, 160))
    assert large.getpixel((5, 5))[3] == 0
    assert (processed.variant("small").width, processed.variant("small").height) == (240, 60)


def test_process_refuses_a_40_mb_file_before_decoding():
    with pytest.raises(ImageTooLarge) as refused:
        process(b"\xff\xd8\xff" + b"\0" * (40 * 1024 * 1024), Purpose.PHOTO)

    assert refused.value.status_code == 413
    assert str(refused.value.message) == "The file is too large: 5 MB at most."


def test_process_refuses_a_png_bomb_claiming_50000_by_50000_pixels():
    bomb = _png_claiming(50_000, 50_000)
    assert len(bomb) < 2_000

    with pytest.raises(TooManyPixels) as refused:
        process(bomb, Purpose.PHOTO)

    assert refused.value.status_code == 400
    assert str(refused.value.message) == "The image has too many pixels to be processed safely."


def test_process_refuses_pixels_over_its_own_limit_below_pillows():
    with pytest.raises(TooManyPixels) as refused:
        process(_png_claiming(8_000, 6_000), Purpose.PHOTO)

    assert str(refused.value.message) == (
        "The image is too big: 8000 × 6000 pixels, "
        "at most 40 million pixels and 12000 pixels a side."
    )


def test_process_judges_by_content_a_png_is_accepted_whatever_its_name():
    processed = process(_png((300, 300), "RGB"), Purpose.PHOTO)

    assert processed.variant("large").width == 300


def test_process_refuses_a_text_file_as_not_an_image():
    with pytest.raises(NotAnImage) as refused:
        process(b"name,email\nAda,ada@example.org\n" * 10, Purpose.PHOTO)

    assert refused.value.status_code == 400
    assert str(refused.value.message) == (
        "This file is not a readable image. Send a JPEG, PNG or WebP image."
    )


def test_process_refuses_an_svg_with_a_script():
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
    )
    with pytest.raises(UnsupportedImage) as refused:
        process(svg, Purpose.LOGO)

    assert refused.value.status_code == 415
    assert str(refused.value.message) == (
        "SVG files are not accepted because they can contain scripts. "
        "Send the image as PNG, JPEG or WebP."
    )


def test_process_refuses_a_gif_and_names_its_type():
    out = BytesIO()
    Image.new("RGB", (64, 64)).save(out, "GIF")

    with pytest.raises(UnsupportedImage) as refused:
        process(out.getvalue(), Purpose.LOGO)

    assert str(refused.value.message) == (
        "This file is a GIF image; only JPEG, PNG and WebP images are accepted."
    )


def test_process_refuses_a_truncated_jpeg():
    whole = _jpeg((800, 600))

    with pytest.raises(NotAnImage) as refused:
        process(whole[: len(whole) // 2], Purpose.PHOTO)

    assert str(refused.value.message) == (
        "This image is damaged or incomplete. Send the file again or another one."
    )


def test_process_refuses_a_tiny_image():
    with pytest.raises(NotAnImage) as refused:
        process(_png((20, 400)), Purpose.LOGO, Limits())

    assert str(refused.value.message) == "The image is too small: at least 32 pixels a side."


def test_process_gives_the_same_key_to_the_same_file_and_another_to_another_purpose():
    source = _jpeg()

    assert process(source, Purpose.PHOTO).key == process(source, Purpose.PHOTO).key
    assert process(source, Purpose.PHOTO).key != process(source, Purpose.LOGO).key


def test_truncated_jpeg_is_refused_even_after_the_pdf_renderer_is_loaded():
    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on at import; documents turns it off.
    import congress.documents.pdf  # noqa: F401

    whole = _jpeg((800, 600))
    with pytest.raises(NotAnImage):
        process(whole[: len(whole) // 2], Purpose.PHOTO)
