"""A brand's logo: checked when the brand is loaded, and written into the layouts.

WeasyPrint names a raster image in the PDF after its address (an MD5 of the URL), so
a PNG or JPEG logo given by its file's path makes the same brand in another folder
(exported with `brand export` and read back, say) print different bytes. A raster logo
up to ``INLINE_LOGO_BYTES`` therefore reaches the layouts as a ``data:`` URI made from
the file's bytes: the same logo gets the same name wherever its brand lives.

A larger one keeps its file's address: every handout on a sheet carries the whole
URI, and HTML parsing pays for it once a handout (measured, 40 handouts with a noisy
PNG: 100 KB, +8 ms CPU a handout and +15 MB at the peak; 300 KB, +28 ms and +120 MB;
2 MB, +240 ms and +900 MB). An SVG logo is drawn as shapes, named by nothing, so it
keeps its file's address too, against which anything it refers to is found.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

RASTER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
# The largest raster logo written into the layouts as a data: URI (see above).
INLINE_LOGO_BYTES = 100_000


def readable_logo(path: Path) -> bool:
    """Whether a logo can be printed: an SVG is read when it is drawn; a PNG or JPEG
    must be an image Pillow can read (as WeasyPrint reads it).

    Checked when the brand is loaded, so a broken file is an error naming it, not a
    logo missing from every page.
    """
    if path.suffix.lower() not in RASTER_TYPES:
        return True
    # Imported here: Pillow is only needed for a brand with a raster logo.
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of error for a broken file
        return False
    return True


def logo_src(path: Path) -> str:
    """The address a layout gives the logo: a ``data:`` URI for a PNG or JPEG of up to
    ``INLINE_LOGO_BYTES`` (see above), the file's own address for any other."""
    media_type = RASTER_TYPES.get(path.suffix.lower())
    stat = path.stat()
    if media_type is None or stat.st_size > INLINE_LOGO_BYTES:
        return path.as_uri()
    return _data_uri(path, media_type, stat.st_mtime_ns, stat.st_size)


# The modification time and size are part of the key, so a logo saved again is read again.
@functools.lru_cache(maxsize=8)
def _data_uri(path: Path, media_type: str, mtime_ns: int, size: int) -> str:
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{media_type};base64,{encoded}"
