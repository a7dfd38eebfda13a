"""HTML templates to PDF with WeasyPrint, closed to the network.

Why a fetcher of our own: a document mixes our template with text people typed
(names, organisations, addresses). Escaping keeps that text from becoming
markup, and the fetcher makes sure that even a template mistake cannot make the
renderer read a URL: only ``data:`` images and files under the application's
static folder (fonts, logo) are ever opened, so rendering can neither reach the
network (no SSRF) nor read ``/etc`` through a ``file:`` link.

``archival=True`` writes PDF/A-3b, the variant the law and Chorus Pro expect of
an invoice (Factur-X is a PDF/A-3 with the XML embedded, see ``facturx.py``).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template

if TYPE_CHECKING:
    from weasyprint import HTML

PDF_A3 = "pdf/a-3b"


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported on the first document rather than in every web worker.

    It and its fonts' libraries weigh about 29 MiB; a public worker that never
    renders a document does not pay for them (tests/unit/test_worker_imports.py).
    WeasyPrint switches Pillow's process-wide LOAD_TRUNCATED_IMAGES on when
    imported, which would make ``media`` accept a truncated upload as an image;
    documents embed only the site's own images (logo, QR codes as SVG), so the
    safe default comes back at once.
    """
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def closed_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher serving ``data:`` URLs and files under ``root`` only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    _weasyprint()

    class ClosedFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"documents fetch no URL: {url[:80]}")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"documents read only the static folder: {url[:80]}")
            if path.suffix == ".woff2":
                weight = parse_qs(parts.query).get("wght", [""])[0]
                return URLFetcherResponse(path.as_uri(), _sfnt(path, int(weight or 0)))
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ClosedFetcher()


@cache
def _sfnt(path: Path, weight: int = 0) -> bytes:
    """A WOFF2 web font as a plain TrueType font, at one weight, made once per process.

    The site serves a variable WOFF2 font to browsers; WeasyPrint would
    decompress it and instantiate its weights again for every document (about
    half of an invoice's rendering time, measured with bench/documents_bench.py).
    A template asks for a static weight with ``?wght=700`` in the font's URL.
    """
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    font = TTFont(path)
    font.flavor = None
    if weight and "fvar" in font:
        font = instantiateVariableFont(font, {"wght": weight})
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def static_root() -> Path:
    return Path(current_app.static_folder or "static").resolve()


def html_document(html: str) -> HTML:
    """WeasyPrint's document for ``html``: relative URLs resolve to the static folder."""
    root = static_root()
    return _weasyprint().HTML(
        string=html, base_url=root.as_uri() + "/", url_fetcher=closed_fetcher(root)
    )


def render(template: str, *, archival: bool = False, **context: object) -> bytes:
    """The PDF of ``templates/documents/<template>`` rendered with ``context``.

    Relative URLs in the template resolve against the static folder, so
    ``fonts/…`` and ``img/logo.svg`` are the site's own files.
    """
    document = html_document(render_template(f"documents/{template}", **context))
    options: dict[str, object] = {"pdf_variant": PDF_A3} if archival else {}
    return document.write_pdf(**options)
