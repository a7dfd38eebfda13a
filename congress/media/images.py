"""The image pipeline, pure: bytes in, re-encoded variants out, or a refusal.

Nothing here trusts a file's name or declared type: Pillow decodes the bytes
with only the JPEG, PNG and WebP decoders allowed, after the pixel count read
from the header has been checked (a small PNG may claim 50,000 x 50,000 pixels
and would take gigabytes once decoded). The whole image is then decoded, so a
truncated file is refused rather than half-shown; EXIF orientation is applied;
the pixels are copied into a fresh image, so no metadata (EXIF with GPS, XMP,
comments, ICC profile) survives; and two sizes are encoded as WebP.

Why WebP for everything: every browser the site supports decodes it, it keeps
transparency (logos) and is smaller than JPEG for photos, and one output
format means one Content-Type to serve. Photos are lossy (quality 82), logos
lossless (sharp edges and text). Why SVG is refused rather than sanitised: an
SVG is a document that can carry scripts and external references, and a
sanitiser is a large attack surface to keep up to date for a handful of logos
that every designer can also export as PNG.
"""

from __future__ import annotations

import enum
import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from congress.core.errors import DomainError
from congress.i18n import lazy_gettext as _l

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
OUTPUT_EXTENSION = "webp"
OUTPUT_CONTENT_TYPE = "image/webp"
# Where a face usually is in a portrait: a little above the middle.
PORTRAIT_CENTRE = (0.5, 0.4)


class Purpose(enum.StrEnum):
    PHOTO = "photo"  # a speaker's portrait: square crops
    LOGO = "logo"  # a partner's logo: fitted in a box, transparency kept


# Variant name -> (width, height) of the box. Photos are cropped to the square,
# logos are fitted inside the box without being enlarged.
SIZES: dict[Purpose, dict[str, tuple[int, int]]] = {
    Purpose.PHOTO: {"small": (160, 160), "large": (480, 480)},
    Purpose.LOGO: {"small": (240, 120), "large": (640, 320)},
}
VARIANTS = ("small", "large")


class ImageRefused(DomainError):
    """An uploaded file that will not be stored; nothing was written."""


class ImageTooLarge(ImageRefused):
    status_code = 413


class NotAnImage(ImageRefused):
    status_code = 400


class UnsupportedImage(ImageRefused):
    status_code = 415


class TooManyPixels(ImageRefused):
    status_code = 400


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side: int = 12_000
    min_side: int = 32


@dataclass(frozen=True, slots=True)
class Variant:
    name: str  # "small" or "large"
    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Processed:
    key: str  # 32 hex digits of SHA-256 over the purpose and both encoded files
    purpose: Purpose
    variants: tuple[Variant, ...]

    def variant(self, name: str) -> Variant:
        return next(v for v in self.variants if v.name == name)


# First bytes of formats people often send, only to name them in the refusal.
_KNOWN_SIGNATURES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
)


def file_name(key: str, variant: str) -> str:
    """The stored (and served) name of one variant: ``<key>-<variant>.webp``."""
    return f"{key}-{variant}.{OUTPUT_EXTENSION}"


def too_large_message(limits: Limits) -> Any:
    return _l(
        "The file is too large: %(max)d MB at most.",
        max=max(1, limits.max_bytes // (1024 * 1024)),
    )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _other_format(data: bytes) -> str | None:
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "HEIC/AVIF"
    return next((name for magic, name in _KNOWN_SIGNATURES if data.startswith(magic)), None)


def _refuse_unreadable(data: bytes) -> ImageRefused:
    if _looks_like_svg(data):
        return UnsupportedImage(
            _l(
                "SVG files are not accepted because they can contain scripts. "
                "Send the image as PNG, JPEG or WebP."
            )
        )
    other = _other_format(data)
    if other:
        return UnsupportedImage(
            _l(
                "This file is a %(format)s image; only JPEG, PNG and WebP images are accepted.",
                format=other,
            )
        )
    return NotAnImage(_l("This file is not a readable image. Send a JPEG, PNG or WebP image."))


def _too_many_pixels(width: int, height: int, limits: Limits) -> TooManyPixels:
    return TooManyPixels(
        _l(
            "The image is too big: %(width)d × %(height)d pixels, "
            "at most %(max)d million pixels and %(side)d pixels a side.",
            width=width,
            height=height,
            max=limits.max_pixels // 1_000_000,
            side=limits.max_side,
        )
    )


def decode(data: bytes, limits: Limits) -> Image.Image:
    """The fully decoded, upright image, without any metadata, in RGB or RGBA.

    The size checks come before any pixel is decoded; Pillow's own bomb guard
    is turned into a refusal too, whatever its threshold.
    """
    if len(data) > limits.max_bytes:
        raise ImageTooLarge(too_large_message(limits))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooManyPixels(
                _l("The image has too many pixels to be processed safely.")
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _refuse_unreadable(data) from None
        width, height = image.size
        if width * height > limits.max_pixels or max(width, height) > limits.max_side:
            raise _too_many_pixels(width, height, limits)
        if min(width, height) < limits.min_side:
            raise NotAnImage(
                _l(
                    "The image is too small: at least %(min)d pixels a side.",
                    min=limits.min_side,
                )
            )
        # A process-wide switch another library may have flipped (WeasyPrint does at
        # import): whoever imported what, a truncated upload is refused here.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()  # every pixel: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooManyPixels(
                _l("The image has too many pixels to be processed safely.")
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError):
            raise NotAnImage(
                _l("This image is damaged or incomplete. Send the file again or another one.")
            ) from None
    transparent = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    converted = upright.convert("RGBA" if transparent else "RGB")
    # A fresh image holds the pixels and nothing else: no EXIF, XMP, ICC or text chunk.
    clean = Image.new(converted.mode, converted.size)
    clean.paste(converted)
    return clean


def _photo(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    if image.mode == "RGBA":  # a portrait with transparency: on white
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    side = min(box[0], image.width, image.height)
    return ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS, centering=PORTRAIT_CENTRE)


def _logo(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    fitted = image.copy()
    fitted.thumbnail(box, Image.Resampling.LANCZOS)
    return fitted


def _encode(image: Image.Image, purpose: Purpose) -> bytes:
    out = BytesIO()
    if purpose is Purpose.LOGO:
        # Effort 2 of 6: within 1 % of the size of effort 4, in half the time.
        image.save(out, format="WEBP", lossless=True, quality=50, method=2)
    else:
        image.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()


def process(data: bytes, purpose: Purpose, limits: Limits | None = None) -> Processed:
    """Decode ``data`` and encode the variants of ``purpose``; raise ``ImageRefused``."""
    image = decode(data, limits or Limits())
    shape = _photo if purpose is Purpose.PHOTO else _logo
    variants = []
    for name in VARIANTS:
        resized = shape(image, SIZES[purpose][name])
        variants.append(Variant(name, _encode(resized, purpose), resized.width, resized.height))
    digest = hashlib.sha256(purpose.value.encode())
    for variant in variants:
        digest.update(b"\0" + variant.data)
    return Processed(digest.hexdigest()[:32], purpose, tuple(variants))
