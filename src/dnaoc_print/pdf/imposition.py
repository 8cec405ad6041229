"""Imposition: the pages of a typeset PDF placed on bigger sheets for printing.

Deciding is kept apart from doing. ``booklet_sides`` and ``two_up_sides`` decide
which page goes in which slot of each side of a sheet (plain page numbers, None for
a blank); ``impose`` places them, with pikepdf: each page becomes a form XObject,
stored once however often it is placed, drawn into its slot at full size.

Two pages of half the sheet's size share a side: side by side for portrait pages
(A5 on A4 landscape, half-letter on Letter landscape), one above the other for
landscape ones. Nothing is scaled, so the type prints at the size it was set.

An imposed file is for the printer, not for reading: it keeps the title, the
language, the pages' web links (moved to where their page now is) and the reading
PDF's structure tree, in reading order, its content named in the forms
(imposed_tags.py). The reading PDF stays the one to share.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.errors import BuildError
from dnaoc_print.pdf.imposed_tags import carry_structure, join_structure

Side = tuple[int | None, int | None]

POINTS_PER_MM = 72 / 25.4
# Sheets, portrait, in points.
A4 = (595.276, 841.89)
LETTER = (612.0, 792.0)
SHEETS = {"a4": A4, "letter": LETTER}
# The cut line between two handouts: mid grey, thin and dashed, so it guides the
# scissors without reading as part of either handout.
CUT_LINE = b"0.5 G 0.6 w [4 3] 0 d"
# Crop marks: short solid ticks on the cut, just inside where an office printer
# prints, for lining up a guillotine.
CROP_MARK = b"0 G 0.5 w [] 0 d"
CROP_MARK_FROM_MM, CROP_MARK_TO_MM = 5, 11


# -- Deciding --------------------------------------------------------------------


def booklet_pages(page_count: int) -> list[int | None]:
    """The booklet's pages in reading order, padded with blanks to a multiple of 4.

    The blanks go just before the back page, so the cover is followed by the
    contents as in the reading PDF, and the back page stays the outside back cover.
    """
    if page_count < 2:
        raise BuildError("a booklet needs at least two pages: a cover and a back page")
    blanks = -page_count % 4
    return [*range(page_count - 1), *[None] * blanks, page_count - 1]


def booklet_sides(page_count: int) -> list[Side]:
    """Each side of each sheet, (left, right), in printing order: sheet 1 front,
    sheet 1 back, sheet 2 front...

    Saddle stitch: the outermost sheet's front holds the last page and the first;
    its back, the second and the second to last; each sheet inside holds the next
    pages in. Printed on both sides (flip on the short edge), folded and stapled,
    the pages read in order.
    """
    order = booklet_pages(page_count)
    last = len(order) - 1
    sides: list[Side] = []
    for sheet in range(len(order) // 4):
        outer = 2 * sheet
        sides.append((order[last - outer], order[outer]))
        sides.append((order[outer + 1], order[last - outer - 1]))
    return sides


def two_up_sides(page_count: int, copies: int = 1) -> list[Side]:
    """Pages two to a side, in order, each page ``copies`` times (one side each)."""
    pages: list[int | None] = [page for page in range(page_count) for _ in range(copies)]
    if len(pages) % 2:
        pages.append(None)
    return [(pages[index], pages[index + 1]) for index in range(0, len(pages), 2)]


# -- Doing -----------------------------------------------------------------------


def impose(
    pdf: bytes,
    sides: Sequence[Side],
    paper: tuple[float, float] | None = None,
    cut_line: bool = False,
    crop_marks: bool = False,
):
    """A PDF with one page per side, each holding its pages in its two slots.

    ``paper`` is the sheet's size in points, either way round (it is turned to suit
    the pages); by default exactly two pages' size. The two pages meet at the middle
    of the sheet: A5 is 148 mm wide and A4 297, so half a millimetre is left at
    either outer edge, and the fold or the cut is at the true middle.
    Returns (the PDF, its page count).
    """
    source = pikepdf.open(io.BytesIO(pdf))
    sheet, side_by_side, origins = _sheet_layout(source, paper)
    output = pikepdf.new()
    forms: dict[int, pikepdf.Object] = {}
    # For the structure tree: the sheet each page is first drawn on, and the links
    # made for each of the reading PDF's (see imposed_tags.py).
    sheets: dict[int, pikepdf.Object] = {}
    links: dict[tuple[int, int], list] = {}
    for side in sides:
        page = output.add_blank_page(page_size=sheet)
        names = Dictionary()
        content: list[bytes] = []
        annotations = Array()
        for slot, number in enumerate(side):
            if number is None:
                continue
            if number not in forms:
                form = source.pages[number].as_form_xobject(handle_transformations=True)
                forms[number] = output.copy_foreign(form)
            name = f"/Page{number + 1}"
            names[name] = forms[number]
            x, y = origins[slot]
            content.append(f"q 1 0 0 1 {x:.4f} {y:.4f} cm {name} Do Q".encode())
            sheets.setdefault(number, page.obj)
            for original, moved in _moved_links(output, source.pages[number], x, y):
                annotations.append(moved)
                links.setdefault(original, []).append((moved, page.obj))
        if cut_line or crop_marks:
            content.append(_cut(sheet, side_by_side, cut_line, crop_marks))
        page.obj.Resources = Dictionary(XObject=names)
        page.obj.Contents = output.make_stream(b"\n".join(content))
        if annotations:
            page.obj.Annots = annotations

    carry_structure(source, output, forms, sheets, links)
    return _saved(output, source), len(sides)


def _sheet_layout(source: pikepdf.Pdf, paper: tuple[float, float] | None):
    """The sheet's size, whether its two pages stand side by side (else one above the
    other), and where each of the two slots starts on it."""
    width, height = _page_size(source)
    side_by_side = width <= height
    pair = (2 * width, height) if side_by_side else (width, 2 * height)
    if paper is None:
        sheet = pair
    else:
        sheet = (max(paper), min(paper)) if side_by_side else (min(paper), max(paper))
        if pair[0] > sheet[0] + 1 or pair[1] > sheet[1] + 1:
            raise BuildError("two of these pages do not fit on the sheet")
    left, bottom = (sheet[0] - pair[0]) / 2, (sheet[1] - pair[1]) / 2
    # Slot 0 is the left, or the top; slot 1 the right, or the bottom.
    if side_by_side:
        origins = [(left, bottom), (left + width, bottom)]
    else:
        origins = [(left, bottom + height), (left, bottom)]
    return sheet, side_by_side, origins


def _saved(output: pikepdf.Pdf, source: pikepdf.Pdf) -> bytes:
    """The imposed PDF's bytes, titled and in the language of its source."""
    output.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Lang" in source.Root:
        output.Root.Lang = pikepdf.String(str(source.Root.Lang))
    if "/Title" in source.docinfo:
        output.docinfo.Title = pikepdf.String(str(source.docinfo.Title))
    buffer = io.BytesIO()
    output.save(
        buffer,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        # The identifier comes from the content: the same pages give the same bytes.
        deterministic_id=True,
    )
    return buffer.getvalue()


def _page_size(source: pikepdf.Pdf) -> tuple[float, float]:
    sizes = {
        (round(float(box[2] - box[0]), 2), round(float(box[3] - box[1]), 2))
        for box in (page.mediabox for page in source.pages)
    }
    if len(sizes) != 1:
        raise BuildError("cannot impose pages of different sizes on one sheet")
    return sizes.pop()


def _moved_links(output: pikepdf.Pdf, page: pikepdf.Page, dx: float, dy: float) -> list:
    """The page's web links, moved by (dx, dy), each as (the objgen of the page's
    annotation, the new one). Links within the document point to pages that no
    longer exist as such, so they are left out."""
    links = []
    for annotation in page.obj.get("/Annots", Array()):
        action = annotation.get("/A")
        if annotation.get("/Subtype") != Name.Link or action is None:
            continue
        if action.get("/S") != Name.URI:
            continue
        left, bottom, right, top = (float(value) for value in annotation.Rect)
        moved = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([left + dx, bottom + dy, right + dx, top + dy]),
            Border=Array([0, 0, 0]),
            F=4,  # printable
            A=Dictionary(S=Name.URI, URI=pikepdf.String(str(action.URI))),
        )
        if "/Contents" in annotation:
            # Its description, for a screen reader (the sheet keeps the tags).
            moved.Contents = pikepdf.String(str(annotation.Contents))
        links.append((annotation.objgen, output.make_indirect(moved)))
    return links


def _cut(sheet: tuple[float, float], side_by_side: bool, line: bool, marks: bool) -> bytes:
    """The cut across the middle of the sheet: a dashed line, and/or a short solid
    mark at each end of it. Marked as an artifact: not content."""
    width, height = sheet
    length = height if side_by_side else width
    at = width / 2 if side_by_side else height / 2

    def segment(start: float, end: float) -> bytes:
        if side_by_side:
            return f"{at:.4f} {start:.4f} m {at:.4f} {end:.4f} l S".encode()
        return f"{start:.4f} {at:.4f} m {end:.4f} {at:.4f} l S".encode()

    parts = [b"/Artifact BMC q"]
    if line:
        parts += [CUT_LINE, segment(0, length)]
    if marks:
        near, far = CROP_MARK_FROM_MM * POINTS_PER_MM, CROP_MARK_TO_MM * POINTS_PER_MM
        parts += [CROP_MARK, segment(near, far), segment(length - far, length - near)]
    parts.append(b"Q EMC")
    return b"\n".join(parts)


# -- Finishing steps for a job (see jobs.Job.finish) ----------------------------


def finish_booklet(pdf: bytes, paper: tuple[float, float] | None = None) -> tuple[bytes, int]:
    """A guide's pages as a saddle-stitched booklet on sheets of ``paper``."""
    page_count = len(pikepdf.open(io.BytesIO(pdf)).pages)
    return impose(pdf, booklet_sides(page_count), paper)


def finish_two_up(
    pdf: bytes, paper: tuple[float, float] | None = None, crop_marks: bool = False
) -> tuple[bytes, int]:
    """A handout twice on one sheet of ``paper``, with a line to cut along."""
    return two_up(pdf, paper, crop_marks, copies=2)


def two_up(
    pdf: bytes, paper: tuple[float, float] | None, crop_marks: bool = False, copies: int = 1
) -> tuple[bytes, int]:
    """Pages two to a sheet of ``paper`` in order (each ``copies`` times), with a
    line to cut along; an odd last page leaves the sheet's second half blank."""
    page_count = len(pikepdf.open(io.BytesIO(pdf)).pages)
    sides = two_up_sides(page_count, copies)
    return impose(pdf, sides, paper, cut_line=True, crop_marks=crop_marks)


def joined(pdfs: Sequence[bytes]) -> bytes:
    """The pages of several PDFs (a batch's handouts) in one, in order, to impose.

    Its structure tree holds theirs in turn (imposed_tags.join_structure). The title
    and language are the first one's. Saved deterministically, so the same
    PDFs always give the same bytes.
    """
    output = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs]
    for source in sources:
        output.pages.extend(source.pages)
    join_structure(sources, output)
    first = sources[0]
    if "/Lang" in first.Root:
        output.Root.Lang = pikepdf.String(str(first.Root.Lang))
    if "/Title" in first.docinfo:
        output.docinfo.Title = pikepdf.String(str(first.docinfo.Title))
    buffer = io.BytesIO()
    output.save(buffer, deterministic_id=True)
    return buffer.getvalue()
