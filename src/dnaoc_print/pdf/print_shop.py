"""Print-shop pages: a slug round the bleed, with crop and cross marks drawn in it.

WeasyPrint typesets the page with its bleed (layouts/print-shop.css: ``bleed: 3mm``)
and sets the TrimBox (the finished page) and the BleedBox (3 mm larger all round).
Its own ``marks`` cannot serve a print shop: they are drawn inside the bleed, which
is the media box, under the page's content, so a band that runs into the bleed
covers them. A print shop expects the marks outside the bleed, in a slug. So this
finishing step, on the typeset PDF:

- enlarges the MediaBox by the slug on every side (TrimBox and BleedBox unchanged);
- clips the page's content to the BleedBox, so colour that runs off the page stops
  at the bleed's edge and never reaches the marks;
- draws crop marks at the corners and cross (registration) marks at the middle of
  each side, in the slug, as vector lines in registration colour (the Separation
  colour space "All": every ink of the press at full strength), marked as artifacts
  so that the structure tree (and a screen reader) ignores them.

Annotations, the structure tree and everything else in the PDF are left as they are:
the page's coordinates do not change, only its boxes.
"""

from __future__ import annotations

import io
import math

import pikepdf
from pikepdf import Array, Dictionary, Name

POINTS_PER_MM = 72 / 25.4
# From the trimmed edge to the sheet's edge: the 3 mm bleed and a slug for the marks.
MARKS_MARGIN_MM = 12
# A crop mark runs along the trim line, from just outside the bleed to short of
# the sheet's edge, so the press's trim never reaches it and nothing covers it.
CROP_MARK_GAP_MM = 1  # beyond the bleed's edge
CROP_MARK_END_MM = 10  # from the trimmed edge
# A cross mark: a circle and a cross half-way across the slug, at each side's middle.
CROSS_RADIUS_MM = 2
CROSS_ARM_MM = 3
# Thin solid lines, as print shops draw them.
MARK_LINE = b"0.5 w [] 0 d 0 J"
REGISTRATION = "/Registration"


def finish_print_shop(pdf: bytes) -> tuple[bytes, int]:
    """The typeset pages with a slug, their content kept to the bleed, and marks
    in the slug (see jobs.Job.finish)."""
    document = pikepdf.open(io.BytesIO(pdf))
    colour_space = registration_colour(document)
    for page in document.pages:
        trim = _box(page.obj.get("/TrimBox", page.mediabox))
        bleed = _box(page.obj.get("/BleedBox", page.mediabox))
        margin = MARKS_MARGIN_MM * POINTS_PER_MM
        left, bottom, right, top = trim
        page.obj.MediaBox = Array([left - margin, bottom - margin, right + margin, top + margin])
        page.obj.BleedBox = Array(bleed)
        if "/CropBox" in page.obj:
            del page.obj.CropBox
        page.add_resource(colour_space, Name.ColorSpace, REGISTRATION, prefix="")
        x0, y0, x1, y1 = bleed
        clip = f"q {x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f} re W n".encode()
        page.contents_add(document.make_stream(clip), prepend=True)
        page.contents_add(document.make_stream(b"Q\n" + marks(trim, bleed)))
    buffer = io.BytesIO()
    # The identifier comes from the content: the same pages give the same bytes.
    document.save(buffer, deterministic_id=True)
    return buffer.getvalue(), len(document.pages)


def registration_colour(document: pikepdf.Pdf) -> pikepdf.Object:
    """Registration colour: the Separation "All" (every plate), shown as full CMYK."""
    tint = Dictionary(
        FunctionType=2,
        Domain=Array([0, 1]),
        C0=Array([0, 0, 0, 0]),
        C1=Array([1, 1, 1, 1]),
        N=1,
    )
    return document.make_indirect(
        Array([Name.Separation, Name.All, Name.DeviceCMYK, document.make_indirect(tint)])
    )


def marks(trim: list[float], bleed: list[float]) -> bytes:
    """The content drawing crop marks at the corners of ``trim`` and cross marks at
    the middle of each side, all outside ``bleed``."""
    left, bottom, right, top = trim
    mm = POINTS_PER_MM
    # How far outside the trimmed edge each side's bleed ends (3 mm).
    out = {
        "left": left - bleed[0],
        "bottom": bottom - bleed[1],
        "right": bleed[2] - right,
        "top": bleed[3] - top,
    }
    end = CROP_MARK_END_MM * mm
    start = {side: value + CROP_MARK_GAP_MM * mm for side, value in out.items()}
    lines = [
        # Horizontal marks along the top and bottom trim lines, outside left and right.
        ((left - start["left"], y), (left - end, y))
        for y in (bottom, top)
    ]
    lines += [((right + start["right"], y), (right + end, y)) for y in (bottom, top)]
    # Vertical marks along the left and right trim lines, outside top and bottom.
    lines += [((x, bottom - start["bottom"]), (x, bottom - end)) for x in (left, right)]
    lines += [((x, top + start["top"]), (x, top + end)) for x in (left, right)]
    parts = [b"/Artifact BMC q", MARK_LINE, f"{REGISTRATION} CS 1 SCN".encode()]
    parts += [f"{a:.4f} {b:.4f} m {c:.4f} {d:.4f} l S".encode() for (a, b), (c, d) in lines]
    # Cross marks half-way between the bleed's edge and the sheet's.
    centre_x, centre_y = (left + right) / 2, (bottom + top) / 2
    half_way = {side: (value + MARKS_MARGIN_MM * mm) / 2 for side, value in out.items()}
    for x, y in (
        (centre_x, top + half_way["top"]),
        (centre_x, bottom - half_way["bottom"]),
        (left - half_way["left"], centre_y),
        (right + half_way["right"], centre_y),
    ):
        parts.append(_cross(x, y))
    parts.append(b"Q EMC")
    return b"\n".join(parts)


def _cross(x: float, y: float) -> bytes:
    """A circle and a cross through its centre, at (x, y)."""
    radius, arm = CROSS_RADIUS_MM * POINTS_PER_MM, CROSS_ARM_MM * POINTS_PER_MM
    # A circle as four Bézier quarters (the usual 0.5523 control distance).
    k = radius * 4 * (math.sqrt(2) - 1) / 3
    r = radius
    circle = (
        f"{x + r:.4f} {y:.4f} m "
        f"{x + r:.4f} {y + k:.4f} {x + k:.4f} {y + r:.4f} {x:.4f} {y + r:.4f} c "
        f"{x - k:.4f} {y + r:.4f} {x - r:.4f} {y + k:.4f} {x - r:.4f} {y:.4f} c "
        f"{x - r:.4f} {y - k:.4f} {x - k:.4f} {y - r:.4f} {x:.4f} {y - r:.4f} c "
        f"{x + k:.4f} {y - r:.4f} {x + r:.4f} {y - k:.4f} {x + r:.4f} {y:.4f} c S"
    )
    cross = (
        f"{x - arm:.4f} {y:.4f} m {x + arm:.4f} {y:.4f} l "
        f"{x:.4f} {y - arm:.4f} m {x:.4f} {y + arm:.4f} l S"
    )
    return f"{circle}\n{cross}".encode()


def _box(value: pikepdf.Object) -> list[float]:
    x0, y0, x1, y1 = (float(v) for v in value)
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
