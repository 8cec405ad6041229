"""QR codes for story links, as a one-pixel-per-module image drawn without smoothing.

A QR code is a grid, so a bitmap with one pixel per module, scaled up with
``image-rendering: pixelated`` (no interpolation in the PDF), prints as sharp as a
vector drawing at any size, with no hairline seams between modules. It is also far
cheaper: a PDF holds each story's code once however often it is printed, and
drawing it is one image, not a path of several hundred segments (which took most of
a handout's drawing time). Error correction is at least M (segno boosts it when the
symbol has room), with the standard four-module quiet zone. Print size is set in CSS.
"""

from __future__ import annotations

import base64
import functools
import io

import segno
from markupsafe import Markup, escape

from dnaoc_print.content.qr_limits import QUIET_ZONE_MODULES


# Making a code (choosing its mask) takes milliseconds, and a layout asks for each
# story's code twice: its size (qr_modules), then its image (qr_png).
@functools.lru_cache(maxsize=1024)
def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, boost_error=True)


def qr_modules(url: str) -> int:
    """Modules across the code for ``url``, quiet zone included (41 at version 4).

    Templates size a code by it, so a longer address's code is printed larger and its
    modules keep their size.
    """
    return _code(url).symbol_size(scale=1, border=QUIET_ZONE_MODULES)[0]


def qr_png(url: str) -> bytes:
    """The code for ``url`` as a 1-bit PNG, one pixel a module, quiet zone included."""
    code = _code(url)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=1, border=QUIET_ZONE_MODULES, dark="#000", light="#fff")
    return buffer.getvalue()


# Making a code takes milliseconds; the same few stories appear in every document.
@functools.lru_cache(maxsize=1024)
def qr_image(url: str, label: str) -> Markup:
    """An ``<img>`` QR code for ``url``; ``label`` is its alternative text.

    The image is a ``data:`` URI, so a document needs no file beside it, and the
    same URI is decoded once per process (WeasyPrint caches images by address).
    """
    data = base64.b64encode(qr_png(url)).decode("ascii")
    return Markup(f'<img class="qr-code" src="data:image/png;base64,{data}" alt="{escape(label)}">')
