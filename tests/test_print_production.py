"""Print production: booklets, two-up handouts, print-shop, archive and large print.

One guide (compassionate-leadership: its A5 page count is not a multiple of 4) and one handout
are built once for the session (printed_outputs.py), plain and in every print variant,
through the same planning and running code a build uses. Each test checks what a printer or a
reader would meet, and each has a twin showing that the check fails on the plain
output (the feature switched off).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import time
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.print_outputs import (
    LARGE_PRINT_CSS,
    LARGE_PRINT_HANDOUT_PAGES,
    PrintOptions,
    handout_print_jobs,
    print_jobs,
)
from dnaoc_print.build.running import run_planned
from dnaoc_print.build.two_up import two_up_notes
from dnaoc_print.content.loading import load_project
from dnaoc_print.pdf import archive
from dnaoc_print.pdf.imposition import (
    A4,
    booklet_sides,
    finish_booklet,
    finish_two_up,
    impose,
    two_up_sides,
)
from pdf_rules import qr_module_sizes_mm
from pdf_structure_rules import imposed_content_problems
from pdf_tagged import PdfTags
from printed_outputs import GUIDE, HANDOUT, Printed, small_handouts_two_up

from conftest import PROJECT_ROOT, copy_project
from pdf_inspect import POINTS_PER_MM, PdfFacts, plain

BLEED_MM = 3
# From the trimmed edge to the sheet's: the bleed and the slug for the marks.
MARKS_MARGIN_MM = 12
LEAST_QR_MODULE_MM = 0.6

# -- Helpers: what a reader or a printer sees ------------------------------------


def page_texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def halves(path: Path) -> list[tuple[str, str]]:
    """Each sheet's text, (left half, right half)."""
    document = pypdfium2.PdfDocument(path)
    try:
        sides = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            text = page.get_textpage()
            sides.append(
                (
                    text.get_text_bounded(0, 0, width / 2, height),
                    text.get_text_bounded(width / 2, 0, width, height),
                )
            )
        return sides
    finally:
        document.close()


def guide_page_number(text: str) -> int | None:
    """Which page of the guide a half-sheet shows: its footer's 'Page N of M';
    the cover has no footer; a blank has no text at all."""
    if not text.strip():
        return None
    found = re.search(r"Page (\d+) of \d+", text)
    if found:
        return int(found[1])
    subtitle = load_project(PROJECT_ROOT).guide(GUIDE).subtitle
    flat = " ".join(text.split())
    assert subtitle in flat, f"neither the cover nor a numbered page: {text[:80]}"
    return 1


def sizes_mm(path: Path) -> list[tuple[float, float]]:
    return [
        (
            round(float(p.mediabox.width) / POINTS_PER_MM),
            round(float(p.mediabox.height) / POINTS_PER_MM),
        )
        for p in PdfReader(path).pages
    ]


def text_sizes_by_page(path: Path) -> list[Counter]:
    """Characters at each size in points, page by page (text matrix times the CTM)."""
    pages = []
    for page in PdfReader(path).pages:
        sizes: Counter = Counter()

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                # The vertical scale of the text matrix times the current matrix.
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                sizes[round(size * math.hypot(c, d), 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append(sizes)
    return pages


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# -- Booklet -------------------------------------------------------------------------


def expected_booklet(page_count: int) -> list[tuple[int | None, int | None]]:
    """Folded by hand: blanks go just before the back page; sheet k's front holds the
    k-th page from the end and the k-th from the start (1-based page numbers)."""
    padded = page_count + (-page_count % 4)
    position_to_page = {p: p for p in range(1, page_count)}
    position_to_page[padded] = page_count  # the back page stays last
    sides = []
    for k in range(padded // 4):
        front = (padded - 2 * k, 2 * k + 1)
        back = (2 * k + 2, padded - 2 * k - 1)
        sides += [
            tuple(position_to_page.get(p) for p in front),
            tuple(position_to_page.get(p) for p in back),
        ]
    return sides


def booklet_order(path: Path) -> list[tuple[int | None, int | None]]:
    return [(guide_page_number(left), guide_page_number(right)) for left, right in halves(path)]


def test_booklet_sheets_are_a4_landscape_in_saddle_stitch_order(printed: Printed) -> None:
    booklet = printed.guide("-booklet")
    texts = halves(booklet)
    page_count = int(re.search(r"Page \d+ of (\d+)", texts[0][0])[1])
    assert page_count % 4, f"{GUIDE} has {page_count} A5 pages: pick a guide that needs blanks"
    assert len(texts) == 2 * math.ceil(page_count / 4)  # sides: two per sheet
    assert set(sizes_mm(booklet)) == {(297, 210)}
    order = booklet_order(booklet)
    assert order == expected_booklet(page_count)
    # The first sheet's front: the back page on the left, the cover on the right.
    assert order[0] == (page_count, 1)
    # Never a blank between the cover and the contents.
    assert order[1][0] == 2


def test_the_booklet_check_fails_without_imposition(printed: Printed, tmp_path: Path) -> None:
    """Switched off: the A5 reading PDF's pages two to a sheet, in reading order."""
    reading = printed.guide("-a5")
    page_count = len(PdfReader(reading).pages)
    not_imposed = tmp_path / "not-imposed.pdf"
    not_imposed.write_bytes(impose(reading.read_bytes(), two_up_sides(page_count))[0])
    with pytest.raises(AssertionError):
        assert booklet_order(not_imposed) == expected_booklet(page_count)


def test_booklet_order_decisions() -> None:
    assert booklet_sides(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # 7 pages: one blank, just before the back page (index 6).
    assert booklet_sides(7) == [(6, 0), (1, None), (5, 2), (3, 4)]
    assert booklet_sides(5) == [(4, 0), (1, None), (None, 2), (3, None)]


def test_imposing_is_reproducible(printed: Printed) -> None:
    # The booklet's input: the A5 reading PDF is not kept, so impose a built PDF twice.
    pdf = printed.guide().read_bytes()
    assert finish_booklet(pdf) == finish_booklet(pdf)
    a5 = (printed.out_dir / "handouts" / "small-a5.pdf").read_bytes()
    assert finish_two_up(a5, A4) == finish_two_up(a5, A4)


def test_two_up_handouts_built_a_second_later_are_the_same_bytes(
    printed: Printed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a build makes them (build --two-up), without SOURCE_DATE_EPOCH."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    time.sleep(max(0.0, printed.made_at + 1.1 - time.time()))
    project = load_project(PROJECT_ROOT)
    [handout] = [h for h in project.handouts if h.name == HANDOUT]
    planned = small_handouts_two_up(handout, Brands(project), tmp_path)
    outcomes = run_planned(planned, None, [PROJECT_ROOT], workers=1)
    assert [o.status for o in outcomes] == ["built"] * 4, [o.error for o in outcomes]
    for paper in ("a5", "half-letter"):
        for name in (f"small-{paper}.pdf", f"small-{paper}-two-up.pdf"):
            again = (tmp_path / "handouts" / name).read_bytes()
            assert again == (printed.out_dir / "handouts" / name).read_bytes(), name


# -- Two-up --------------------------------------------------------------------------


def cut_line_share(path: Path, offset_mm: float = 0, sheet: int = 0) -> float:
    """The share of the sheet's height inked along the vertical line at its middle."""
    document = pypdfium2.PdfDocument(path)
    try:
        scale = 200 / 72
        image = document[sheet].render(scale=scale, grayscale=True).to_pil()
    finally:
        document.close()
    x = round(image.width / 2 + offset_mm * POINTS_PER_MM * scale)
    inked = [
        any(image.getpixel((x + dx, y)) < 200 for dx in (-1, 0, 1)) for y in range(image.height)
    ]
    return sum(inked) / len(inked)


@pytest.mark.parametrize(("paper", "sheet_mm"), [("a5", (297, 210)), ("half-letter", (279, 216))])
def test_two_up_puts_two_handouts_on_a_sheet_with_a_cut_line(
    printed: Printed, paper: str, sheet_mm: tuple[int, int]
) -> None:
    two_up = printed.out_dir / "handouts" / f"small-{paper}-two-up.pdf"
    assert sizes_mm(two_up) == [sheet_mm]
    # Nothing of the handout runs off its own page (and so into the other's half).
    assert PdfFacts.open(two_up.with_name(f"small-{paper}.pdf")).characters_off_the_page() == ""
    [(left, right)] = halves(two_up)
    title = "Compassion"
    assert title in left and title in right
    assert left.replace("\r\n", "\n").split() == right.replace("\r\n", "\n").split()
    # A dashed line down the middle: inked along much of the cut, with gaps...
    assert 0.3 < cut_line_share(two_up) < 0.9
    # ... and nothing of either handout near it.
    assert cut_line_share(two_up, offset_mm=4) == 0


def test_the_cut_line_check_fails_without_the_line(printed: Printed, tmp_path: Path) -> None:
    a5 = (printed.out_dir / "handouts" / "small-a5.pdf").read_bytes()
    no_line = tmp_path / "no-line.pdf"
    no_line.write_bytes(impose(a5, two_up_sides(1, copies=2), cut_line=False)[0])
    assert cut_line_share(no_line) < 0.3


def test_two_up_order() -> None:
    assert two_up_sides(1, copies=2) == [(0, 0)]
    assert two_up_sides(3) == [(0, 1), (2, None)]


# -- Print shop ----------------------------------------------------------------------


def boxes_mm(path: Path, box: str) -> list[tuple[float, ...] | None]:
    result = []
    for page in pikepdf.open(path).pages:
        value = page.obj.get(box)
        result.append(
            None if value is None else tuple(round(float(v) / POINTS_PER_MM, 1) for v in value)
        )
    return result


def assert_print_shop_boxes(path: Path, trim_mm: tuple[int, int]) -> None:
    media, trim, bleed = (boxes_mm(path, box) for box in ("/MediaBox", "/TrimBox", "/BleedBox"))
    for page, (m, t, b) in enumerate(zip(media, trim, bleed, strict=True), 1):
        assert t is not None and b is not None, f"page {page}: no TrimBox or BleedBox"
        assert (round(t[2] - t[0]), round(t[3] - t[1])) == trim_mm, f"page {page}"
        # The bleed, 3 mm on every side of the trimmed page ...
        for inner, outer in zip(t, b, strict=True):
            assert abs(outer - inner) == pytest.approx(BLEED_MM, abs=0.1), f"page {page}: {b}"
        # ... inside the slug, where the marks are: 12 mm on every side in all.
        for inner, outer in zip(t, m, strict=True):
            assert abs(outer - inner) == pytest.approx(MARKS_MARGIN_MM, abs=0.1), f"page {page}"


class Rendered:
    """A page rendered at 300 dpi, read in mm from its trimmed page's top left corner."""

    def __init__(self, path: Path, page: int = 0) -> None:
        document = pypdfium2.PdfDocument(path)
        try:
            self.scale = 300 / 72
            self.image = document[page].render(scale=self.scale).to_pil().convert("RGB")
        finally:
            document.close()
        trim = boxes_mm(path, "/TrimBox")[page] or boxes_mm(path, "/MediaBox")[page]
        media = boxes_mm(path, "/MediaBox")[page]
        self.left, self.top = trim[0] - media[0], media[3] - trim[3]
        self.width, self.height = trim[2] - trim[0], trim[3] - trim[1]

    def at(self, x_mm: float, y_mm: float) -> tuple[int, int, int]:
        """The colour at (x, y); off the sheet, white (the paper)."""
        x, y = self._pixel(x_mm, y_mm)
        if 0 <= x < self.image.width and 0 <= y < self.image.height:
            return self.image.getpixel((x, y))
        return (255, 255, 255)

    def darkest(self, x_mm: float, y_mm: float) -> int:
        """The darkest channel near (x, y): a 0.5 pt line is about 2 pixels wide."""
        step = 1 / (POINTS_PER_MM * self.scale)
        return min(
            max(self.at(x_mm + i * step, y_mm + j * step))
            for i in range(-3, 4)
            for j in range(-3, 4)
        )

    def _pixel(self, x_mm: float, y_mm: float) -> tuple[int, int]:
        to_pixels = POINTS_PER_MM * self.scale
        return round((self.left + x_mm) * to_pixels), round((self.top + y_mm) * to_pixels)


def print_shop_problems(path: Path, primary: tuple[int, int, int], page: int = 0) -> list[str]:
    """What a print shop would find wrong at the page's edges, from rendered pixels:
    crop marks missing from the slug at a corner (or covered), the band's colour
    short of the bleed's edge or beyond it."""
    page_image = Rendered(path, page)
    width, height = page_image.width, page_image.height
    problems = []
    # Crop marks: on the trim lines, from 4 to 10 mm outside the trimmed edge (the
    # bleed ends at 3 mm), at every corner.
    for x, y, out_x, out_y in (
        (0, 0, -1, -1),
        (width, 0, 1, -1),
        (0, height, -1, 1),
        (width, height, 1, 1),
    ):
        for distance in (5, 7, 9):
            along_x = page_image.darkest(x + out_x * distance, y)
            along_y = page_image.darkest(x, y + out_y * distance)
            if along_x > 90 or along_y > 90:
                problems.append(f"no crop mark {distance} mm out from the corner at ({x}, {y})")
        # Nothing else in the slug: beyond the bleed, off the trim lines, it is white.
        if not close(page_image.at(x + out_x * 5, y + out_y * 5), (255, 255, 255)):
            problems.append(f"colour beyond the bleed near the corner at ({x}, {y})")
    # The band: its colour reaches the bleed's edge, and stops there.
    for x in (30, width / 2 + 20, width - 30):
        if not close(page_image.at(x, -BLEED_MM + 0.3), primary):
            problems.append(f"the band stops short of the bleed's top edge at x = {x} mm")
        if not close(page_image.at(x, -BLEED_MM - 0.4), (255, 255, 255)):
            problems.append(f"colour beyond the bleed's top edge at x = {x} mm")
    for x_inside, x_outside in (
        (-BLEED_MM + 0.3, -BLEED_MM - 0.4),
        (width + BLEED_MM - 0.3, width + BLEED_MM + 0.4),
    ):
        if not close(page_image.at(x_inside, 4), primary):
            problems.append(f"the band stops short of the bleed's side edge ({x_inside} mm)")
        if not close(page_image.at(x_outside, 4), (255, 255, 255)):
            problems.append(f"colour beyond the bleed's side edge ({x_outside} mm)")
    return problems


def test_print_shop_pages_have_3mm_bleed_and_marks_in_the_slug(printed: Printed) -> None:
    assert_print_shop_boxes(printed.guide("-print-shop"), (210, 297))
    assert_print_shop_boxes(printed.handout("-print-shop"), (210, 297))
    primary = rgb(printed.primary)
    # The guide's cover band and the handout's band run off the top and both sides.
    assert print_shop_problems(printed.guide("-print-shop"), primary) == []
    assert print_shop_problems(printed.handout("-print-shop"), primary) == []
    # On the guide's last page (no band) the marks are there as on the cover.
    last = len(pikepdf.open(printed.guide("-print-shop")).pages) - 1
    problems = print_shop_problems(printed.guide("-print-shop"), primary, last)
    assert [problem for problem in problems if "band stops short" not in problem] == []


def test_the_print_shop_checks_fail_on_the_plain_pdf(printed: Printed) -> None:
    with pytest.raises(AssertionError):
        assert_print_shop_boxes(printed.guide(), (210, 297))
    problems = print_shop_problems(printed.guide(), rgb(printed.primary))
    assert any("crop mark" in problem for problem in problems)
    assert any("band stops short" in problem for problem in problems)


def test_the_print_shop_checks_fail_with_marks_in_the_bleed(
    printed: Printed, tmp_path: Path
) -> None:
    """As WeasyPrint's own marks were: the MediaBox is the BleedBox, the marks inside it."""
    pdf = pikepdf.open(printed.guide("-print-shop"))
    for page in pdf.pages:
        page.obj.MediaBox = page.obj.BleedBox
    pdf.save(tmp_path / "no-slug.pdf")
    with pytest.raises(AssertionError):
        assert_print_shop_boxes(tmp_path / "no-slug.pdf", (210, 297))
    problems = print_shop_problems(tmp_path / "no-slug.pdf", rgb(printed.primary))
    assert any("crop mark" in problem for problem in problems)


# -- Archive -------------------------------------------------------------------------


def fonts_not_embedded(path: Path) -> list[str]:
    missing = []
    for obj in pikepdf.open(path).objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
            if obj.get("/Subtype") in (pikepdf.Name.Type0, pikepdf.Name.Type3):
                continue
            descriptor = obj.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(obj.get("/BaseFont")))
    return missing


def pdfa_identification(path: Path) -> tuple[str | None, str | None]:
    metadata = pikepdf.open(path).open_metadata()
    return metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")


@pytest.mark.parametrize("kind", ["guide", "handout"])
def test_archive_copies_are_pdfa_2a(printed: Printed, kind: str) -> None:
    path = getattr(printed, kind)("-archive")
    assert pdfa_identification(path) == ("2", "A")
    assert fonts_not_embedded(path) == []
    pdf = pikepdf.open(path)
    assert any(i.get("/S") == pikepdf.Name.GTS_PDFA1 for i in pdf.Root.OutputIntents)
    assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
    # Every link prints, as PDF/A wants of every annotation.
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            assert int(annotation.F) & 4
    assert archive.pdfa_problems(path.read_bytes()) == []
    # As many pages, and the same words, as the plain PDF.
    assert page_texts(path) == page_texts(getattr(printed, kind)())


def test_the_archive_checks_fail_on_the_plain_pdf(printed: Printed) -> None:
    plain = printed.guide()
    assert pdfa_identification(plain) != ("2", "A")
    problems = archive.pdfa_problems(plain.read_bytes())
    assert any("XMP" in problem for problem in problems)
    assert any("output intent" in problem for problem in problems)


# -- Large print ---------------------------------------------------------------------

LEAST_PT, BODY_PT = 14, 16


def assert_large_print(path: Path) -> None:
    pages = text_sizes_by_page(path)
    for number, sizes in enumerate(pages, 1):
        assert min(sizes) >= LEAST_PT - 0.05, f"page {number}: {sorted(sizes.items())[:3]}"
    everything = sum(pages, Counter())
    assert everything.most_common(1)[0][0] >= BODY_PT - 0.05


@pytest.mark.parametrize("kind", ["guide", "handout"])
def test_large_print_sets_nothing_under_14pt_and_the_body_at_16pt(
    printed: Printed, kind: str
) -> None:
    assert_large_print(getattr(printed, kind)("-large-print"))


def test_a_large_print_handout_takes_three_pages_at_most_without_splitting_a_card(
    printed: Printed,
) -> None:
    texts = page_texts(printed.handout("-large-print"))
    assert 1 < len(texts) <= LARGE_PRINT_HANDOUT_PAGES
    # Each story's title and its printed address are on the same page.
    project = load_project(PROJECT_ROOT)
    [handout] = [h for h in project.handouts if h.name == HANDOUT]
    for story in handout.stories:
        pages = {n for n, text in enumerate(texts) if story.title in text}
        address = story.url.split("//", 1)[1]
        assert pages and all(address in re.sub(r"\s+", "", texts[n]) for n in pages), story.id


@pytest.mark.parametrize("kind", ["guide", "handout"])
def test_large_print_qr_modules_are_at_least_0_6mm(printed: Printed, kind: str) -> None:
    """The project's floor (qr.qr_modules, layouts/common.css): read from the PDF."""
    sizes = qr_module_sizes_mm(PdfTags.open(getattr(printed, kind)("-large-print")))
    assert sizes and min(sizes) >= LEAST_QR_MODULE_MM, sorted(sizes)[:3]


def test_the_qr_module_check_fails_on_codes_of_24mm(printed: Printed, tmp_path: Path) -> None:
    """Codes of 24 mm (large print's size before) have modules of 0.585 mm."""
    pdf = pikepdf.open(printed.handout("-large-print"))
    for page in pdf.pages:
        # Everything drawn at 24 / 24.8 of its size.
        page.contents_add(pdf.make_stream(b"0.9677 0 0 0.9677 0 0 cm"), prepend=True)
    pdf.save(tmp_path / "small-codes.pdf")
    sizes = qr_module_sizes_mm(PdfTags.open(tmp_path / "small-codes.pdf"))
    assert sizes and min(sizes) < LEAST_QR_MODULE_MM


@pytest.mark.parametrize("kind", ["guide", "handout"])
def test_the_large_print_check_fails_on_the_plain_pdf(printed: Printed, kind: str) -> None:
    with pytest.raises(AssertionError):
        assert_large_print(getattr(printed, kind)())


# Sections that start a new page (layouts/guide.css: the cover and the notice end
# their page; the theme, the power of stories, the questions and the back page
# begin one), by the class of their element in layouts/guide.html.j2.
# The sections that start a page of their own in large print: the notice has the
# inside cover to itself, so the contents start the next page. The chapters follow on
# (layouts/large-print.css).
FORCED_SECTION = re.compile(
    r'<(?:section|article|nav) class="(?:notice|contents)"[^>]*>.*?<h2[^>]*>(.*?)</h2>', re.S
)


def large_print_margins_mm() -> tuple[float, float]:
    """The top and bottom margins of a large-print guide page (layouts/large-print.css)."""
    css = (PROJECT_ROOT / "layouts" / LARGE_PRINT_CSS).read_text()
    top, bottom = (
        float(re.search(rf"--large-page-{side}: ([\d.]+)mm", css)[1]) for side in ("top", "bottom")
    )
    return top, bottom


# No page of a large-print guide under half full, but its last (issue 24).
MOST_EMPTY = 0.5


def empty_shares(path: Path, dpi: int = 30) -> list[float]:
    """How much of each large-print guide page's content area is left empty below the
    last thing printed (text, a code, a card's colour), rendered in greyscale."""
    top_mm, bottom_mm = large_print_margins_mm()
    document = pypdfium2.PdfDocument(path)
    shares = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
            pixels = image.load()
            mm = POINTS_PER_MM * dpi / 72
            top, bottom = round(top_mm * mm), round(image.height - bottom_mm * mm)
            inked = [
                y for y in range(top, bottom) if any(pixels[x, y] < 245 for x in range(image.width))
            ]
            last = max(inked, default=top)
            shares.append((bottom - last) / (bottom - top))
    finally:
        document.close()
    return shares


def section_ends(path: Path, html: str) -> set[int]:
    """Pages (1-based) meant to end a section: the last page, and each page before
    one that a section must start, found by its heading in the PDF's bookmarks."""
    headings = {plain(re.sub(r"<[^>]+>", "", h)) for h in FORCED_SECTION.findall(html)}
    outline = PdfFacts.open(path).outline()
    starts = {page for title, page in outline if plain(title) in headings}
    found = {plain(title) for title, _ in outline} & headings
    assert found == headings, f"sections not found in the bookmarks: {headings - found}"
    return {page - 1 for page in starts} | {PdfFacts.open(path).page_count}


def pages_too_empty(path: Path, html: str) -> list[tuple[int, str]]:
    ends = section_ends(path, html)
    return [
        (number, f"{share:.0%}")
        for number, share in enumerate(empty_shares(path), 1)
        if share > MOST_EMPTY and number not in ends
    ]


def large_print_guide_html(paper: str) -> str:
    project = load_project(PROJECT_ROOT)
    project = dataclasses.replace(project, handouts=())
    brands = Brands(project)
    jobs = print_jobs(project, brands, None, Path("unused"), paper, PrintOptions(large_print=True))
    [job] = [job for job in jobs if job.target.stem.startswith(f"{GUIDE}")]
    return job.make().document.html


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_no_large_print_guide_page_is_under_half_full(printed: Printed, paper: str) -> None:
    """Only the last page, and the inside cover (the notice, a page to itself), may be
    emptier. Story cards break between lines of their summary, and each chapter starts
    where the one before ends."""
    path = printed.guide("-large-print" if paper == "a4" else "-a5-large-print")
    assert pages_too_empty(path, large_print_guide_html(paper)) == []
    # The check is not vacuous: it sees the empty foot of the notice's page, and full pages.
    shares = empty_shares(path)
    assert min(shares) < 0.1 and max(shares[:-1]) > 0.2


@pytest.mark.parametrize("variant", ["-large-print", "-a5-large-print"])
def test_no_large_print_guide_page_holds_only_a_list_or_one_question(
    printed: Printed, variant: str
) -> None:
    """The series list keeps the authors' paragraph before it; the last question keeps
    the one before it (layouts/large-print.css)."""
    project = load_project(PROJECT_ROOT)
    [guide] = [g for g in project.guides if g.slug == GUIDE]
    texts = [" ".join(text.split()) for text in page_texts(printed.guide(variant))]
    [with_list] = [text for text in texts if "The guides in the series are:" in text]
    assert "The authors of the series" in with_list
    last, before = (" ".join(plain(q.text).split()[:6]) for q in guide.questions[-1:-3:-1])
    [page] = [text for text in texts if last in plain(text)]
    assert before in plain(page)


def test_the_empty_page_check_fails_when_story_cards_never_split(printed: Printed) -> None:
    unsplit = printed.guide("-a5-large-print-unsplit-cards")
    assert pages_too_empty(unsplit, large_print_guide_html("a5")) != []


# -- In the build --------------------------------------------------------------------


def test_print_outputs_are_listed_in_the_manifest(printed: Printed) -> None:
    outputs = json.loads((printed.out_dir / "manifest.json").read_text())["outputs"]
    for name in (
        f"guides/{GUIDE}-booklet.pdf",
        f"guides/{GUIDE}-print-shop.pdf",
        f"guides/{GUIDE}-archive.pdf",
        f"guides/{GUIDE}-large-print.pdf",
        f"handouts/{HANDOUT}-print-shop.pdf",
        f"handouts/{HANDOUT}-archive.pdf",
        f"handouts/{HANDOUT}-large-print.pdf",
        "handouts/small-a5-two-up.pdf",
    ):
        assert name in outputs, name
        assert outputs[name]["inputs"]["option:print"]


# -- Two-up from the handout command: a CSV batch, half-letter -----------------------

# Three sessions: two sheets, the third row alone on the second. The last row has
# more on it, so that it must shrink: the fit rules are checked at half-letter too.
SESSIONS_CSV = """name,title,venue,stories,questions,paper
first,Session one,Room 1,touch;stay,compassion:1;compassion:2,{paper}
second,Session two,Room 2,touch;stay,compassion:1;compassion:2,{paper}
third,Session three,Room 3,touch;stay;critical-care,compassion:1;compassion:2;compassion:6,{paper}
"""
SESSION_TITLES = ["Session one", "Session two", "Session three"]
# Sheets, landscape, in mm: A4, and US Letter (11 x 8.5 in).
SHEET_MM = {"a5": (297, 210), "half-letter": (279, 216)}


@dataclasses.dataclass
class Batch:
    folder: Path
    sheets: Path
    report: object
    made_at: float


def two_up_batch(folder: Path, paper: str, two_up: bool = True) -> Batch:
    from dnaoc_print.build.handouts import make_handouts

    folder.mkdir(parents=True, exist_ok=True)
    sessions = folder / "sessions.csv"
    sessions.write_text(SESSIONS_CSV.format(paper=paper))
    # No content warning: by default Stay's content note adds one, and the third row
    # would not fit on half a sheet.
    report = make_handouts(
        PROJECT_ROOT,
        rows_from=sessions,
        overrides={"content_warning": False},
        output=folder / "out",
        workers=1,
        two_up=two_up,
    )
    failed = [f"{o.job_name}: {o.error}" for o in report.failed]
    assert not failed, failed
    return Batch(folder / "out", folder / "out" / "sessions-two-up.pdf", report, time.time())


@pytest.fixture(scope="module")
def a5_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return two_up_batch(tmp_path_factory.mktemp("a5-batch"), "a5")


@pytest.fixture(scope="module")
def half_letter_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return two_up_batch(tmp_path_factory.mktemp("half-letter-batch"), "half-letter")


def title_in(text: str) -> str | None:
    found = [title for title in SESSION_TITLES if title in text]
    assert len(found) <= 1, found
    return found[0] if found else None


def assert_two_up_batch(path: Path, sheet_mm: tuple[int, int]) -> None:
    """Three handouts two to a sheet in row order, the last half blank, a cut line
    down the middle of every sheet."""
    assert sizes_mm(path) == [sheet_mm, sheet_mm]
    order = [(title_in(left), title_in(right)) for left, right in halves(path)]
    assert order == [("Session one", "Session two"), ("Session three", None)]
    assert not halves(path)[1][1].strip(), "the second half of the last sheet is blank"
    for sheet in range(2):
        assert 0.3 < cut_line_share(path, sheet=sheet) < 0.9, f"sheet {sheet + 1}: no cut line"


@pytest.mark.parametrize("paper", ["a5", "half-letter"])
def test_a_csv_batch_two_up_is_in_row_order_with_a_cut_line(
    a5_batch: Batch, half_letter_batch: Batch, paper: str
) -> None:
    batch = a5_batch if paper == "a5" else half_letter_batch
    assert_two_up_batch(batch.sheets, SHEET_MM[paper])
    # ... beside the usual one PDF a row.
    for name, title in zip(("first", "second", "third"), SESSION_TITLES, strict=True):
        assert page_texts(batch.folder / f"{name}.pdf")[0].count(title) == 1
    assert [o.target.name for o in batch.report.built][-1] == "sessions-two-up.pdf"


def test_the_batch_two_up_check_fails_without_two_up(a5_batch: Batch, tmp_path: Path) -> None:
    """Switched off: no sheets file; and the rows merely joined (not imposed) fail."""
    from dnaoc_print.pdf.imposition import joined

    rows = [(a5_batch.folder / f"{name}.pdf").read_bytes() for name in ("first", "second", "third")]
    not_imposed = tmp_path / "joined.pdf"
    not_imposed.write_bytes(joined(rows))
    with pytest.raises(AssertionError):
        assert_two_up_batch(not_imposed, SHEET_MM["a5"])
    # Imposed in the wrong order, the order check fails.
    reversed_rows = tmp_path / "reversed.pdf"
    reversed_rows.write_bytes(impose(joined(rows[::-1]), two_up_sides(3), cut_line=True)[0])
    with pytest.raises(AssertionError):
        assert_two_up_batch(reversed_rows, SHEET_MM["a5"])


def test_without_two_up_a_batch_makes_no_sheets(tmp_path: Path) -> None:
    batch = two_up_batch(tmp_path, "a5", two_up=False)
    assert not batch.sheets.exists()
    assert len(batch.report.built) == 3


def text_at_least(path: Path, points: float) -> str:
    """The text set at ``points`` or more, white space folded."""
    runs: list[str] = []

    def visit(text, cm, tm, font, size):
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        if text.strip() and size * math.hypot(c, d) >= points - 0.05:
            runs.append(text)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return plain(" ".join(runs))


def test_half_letter_handouts_keep_the_fit_rules(half_letter_batch: Batch) -> None:
    """5.5 x 8.5 in, one page each, nothing off the page; the fullest row (compact
    cards) may shrink, but its stories and questions are still 10 pt or more (only the licence
    line, field labels and printed addresses are smaller, as on every paper) and its
    codes 20 mm with their margin."""
    import segno

    project = load_project(PROJECT_ROOT)
    questions = project.questions["compassion"]
    for name, story_ids, question_count in (
        ("first", ["touch", "stay"], 2),
        ("third", ["touch", "stay", "critical-care"], 3),
    ):
        path = half_letter_batch.folder / f"{name}.pdf"
        pdf = PdfFacts.open(path)
        assert pdf.page_sizes_mm() == [(140, 216)], name
        assert pdf.characters_off_the_page() == "", name
        body = text_at_least(path, 10)
        for story_id in story_ids:
            story = project.stories[story_id]
            # From three stories a half sheet's card is compact: its title, no summary.
            printed = story.title if len(story_ids) >= 3 else story.short_summary
            assert plain(printed or story.summary) in body, (name, story_id)
        for number in (1, 2, 6)[:question_count]:  # compassion:1;compassion:2;...
            question = questions[number - 1]
            assert " ".join(plain(question.text).split()[:5]) in body, (name, number)
        assert min(pdf.text_sizes()) >= 9 - 0.05, name
        codes = pdf.qr_codes_with_size()
        assert len(codes) == len(story_ids), name
        for url, modules_mm in codes:
            modules = segno.make(url, error="m", boost_error=True, micro=False)
            count = modules.symbol_size(border=0)[0]
            assert modules_mm * (count + 8) / count >= 19.5, (name, url)
    # The fullest row needed the smallest step: its summaries are set at exactly 10 pt.
    assert 10.0 in PdfFacts.open(half_letter_batch.folder / "third.pdf").text_sizes()


def test_one_handout_from_flags_twice_on_a_letter_sheet(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts

    flags = {"title": "Team huddle", "stories": ["touch"], "paper": "half-letter"}
    report = make_handouts(
        PROJECT_ROOT, overrides=flags, output=tmp_path / "huddle.pdf", workers=1, two_up=True
    )
    assert not report.failed, [o.error for o in report.failed]
    sheets = tmp_path / "huddle-two-up.pdf"
    assert sizes_mm(sheets) == [SHEET_MM["half-letter"]]
    [(left, right)] = halves(sheets)
    assert "Team huddle" in left and left.split() == right.split()
    assert 0.3 < cut_line_share(sheets) < 0.9


def test_two_up_of_whole_sheet_handouts_is_refused_naming_the_flag(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts
    from dnaoc_print.errors import ContentErrors

    with pytest.raises(ContentErrors) as refused:
        make_handouts(
            PROJECT_ROOT,
            overrides={"stories": ["touch"], "paper": "a4"},
            output=tmp_path / "x.pdf",
            two_up=True,
        )
    message = str(refused.value)
    assert "--two-up" in message and "--paper a5" in message and "half-letter" in message
    assert not list(tmp_path.iterdir()), "nothing is typeset"


def test_build_two_up_names_the_whole_sheet_handouts_it_skipped(tmp_path: Path) -> None:
    """``build --two-up`` when no handout is made for half a sheet: a note in the
    summary says which handouts got no two-up file, why and what to do; no error."""
    from click.testing import CliRunner

    from dnaoc_print.cli.main import main

    root = copy_project(tmp_path / "project")
    # One small handout and no guides: one cheap output to build.
    for path in [
        *(root / "content" / "guides").glob("*.md"),
        *(root / "content" / "handouts").iterdir(),
    ]:
        path.unlink()
    (root / "content" / "handouts" / "huddle.yaml").write_text(
        "title: Team huddle\nstories: [stay]\nquestions: [What helps you stay?]\n"
    )
    run = CliRunner().invoke(main, ["build", "--no-slides", "--two-up", "-C", str(root)])
    assert run.exit_code == 0, run.output
    assert "1 built, 0 up to date, 0 failed" in run.stdout
    [note] = [line for line in run.stderr.splitlines() if "--two-up" in line]
    assert note.startswith("note: ") and "huddle (a4)" in note
    assert "A5 or half-letter" in note and "paper: a5" in note and "--paper a5" in note
    assert not list((root / "build" / "handouts").glob("*-two-up.pdf"))
    # Without --two-up there is nothing to say.
    again = CliRunner().invoke(main, ["build", "--no-slides", "-C", str(root)])
    assert "0 built, 1 up to date" in again.stdout and "--two-up" not in again.output


def test_the_two_up_note_names_only_the_handouts_skipped() -> None:
    project = load_project(PROJECT_ROOT)
    handouts = project.handouts[:3]
    mixed = [dataclasses.replace(handouts[0], paper="a5"), *handouts[1:]]
    [note] = two_up_notes(mixed, PrintOptions(two_up=True))
    assert "2 of the 3 handouts" in note and handouts[0].name not in note
    assert all(f"{h.name} ({h.paper})" in note for h in handouts[1:])
    assert two_up_notes(handouts, PrintOptions(booklet=True)) == []
    halves_only = [dataclasses.replace(h, paper="half-letter") for h in handouts]
    assert two_up_notes(halves_only, PrintOptions(two_up=True)) == []


def test_two_up_sheets_are_the_same_bytes_a_second_later(
    a5_batch: Batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    time.sleep(max(0.0, a5_batch.made_at + 1.1 - time.time()))
    again = two_up_batch(tmp_path, "a5")
    assert again.sheets.read_bytes() == a5_batch.sheets.read_bytes()
    for name in ("first", "second", "third"):
        assert (again.folder / f"{name}.pdf").read_bytes() == (
            a5_batch.folder / f"{name}.pdf"
        ).read_bytes()


def test_every_print_output_prints_only_project_fonts_and_is_tagged_where_it_can_be(
    printed: Printed, a5_batch: Batch, tmp_path: Path
) -> None:
    """Every output is tagged. Booklets and two-up sheets place their pages as forms:
    their tree names each piece of content by its form (imposed_tags.py), so it is
    checked form by form (pdf_structure_rules.imposed_content_problems)."""
    from dnaoc_print.content.fonts import foreign_fonts

    outputs = sorted(printed.out_dir.rglob("*.pdf")) + [a5_batch.sheets]
    imposed = [p for p in outputs if p.stem.endswith(("-booklet", "-two-up"))]
    assert len(imposed) == 4 and len(outputs) > 12
    for path in outputs:
        pdf = path.read_bytes()
        assert foreign_fonts(pdf, [PROJECT_ROOT]) == [], path.name
        # The check sees the fonts, forms included: against no project, all are foreign.
        assert foreign_fonts(pdf, [tmp_path]) != [], path.name
        facts = PdfFacts.open(path)
        assert facts.language == "en-GB" and facts.metadata.get("/Title"), path.name
        assert facts.is_tagged(), path.name
        if path in imposed:
            assert imposed_content_problems(pikepdf.open(path)) == [], path.name
        else:
            assert facts.structure_problems() == [], path.name


@pytest.mark.parametrize(("paper", "sheet"), [("a5", "a4"), ("half-letter", "letter")])
def test_a_large_print_half_sheet_handout_is_set_on_the_whole_sheet(paper: str, sheet: str) -> None:
    project = load_project(PROJECT_ROOT)
    [handout] = [h for h in project.handouts if h.name == HANDOUT]
    half = dataclasses.replace(handout, paper=paper)
    [job] = handout_print_jobs(
        half, Brands(project), None, Path("unused.pdf"), PrintOptions(large_print=True)
    )
    html = job.make().document.html
    assert f'href="paper-{sheet}.css"' in html and f'href="paper-{paper}.css"' not in html


def test_a_failed_row_stops_the_sheets_but_not_the_other_rows(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts

    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "name,title,stories,paper\ngood,Session one,touch,a5\nbad,Session two,sty,a5\n"
    )
    report = make_handouts(
        PROJECT_ROOT, rows_from=sessions, output=tmp_path / "out", workers=1, two_up=True
    )
    assert [o.target.name for o in report.built] == ["good.pdf"]
    failed = {o.target.name: o.error for o in report.failed}
    assert set(failed) == {"bad.pdf", "sessions-two-up.pdf"}
    assert "1 of its handouts failed (bad)" in failed["sessions-two-up.pdf"]
    assert not (tmp_path / "out" / "sessions-two-up.pdf").exists()


def test_rows_on_different_papers_cannot_share_the_sheets(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts
    from dnaoc_print.errors import ContentErrors

    sessions = tmp_path / "sessions.csv"
    sessions.write_text("name,stories,paper\none,touch,a5\ntwo,touch,half-letter\n")
    with pytest.raises(ContentErrors) as refused:
        make_handouts(PROJECT_ROOT, rows_from=sessions, output=tmp_path / "out", two_up=True)
    assert "different papers (a5, half-letter)" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_a_landscape_half_letter_handout_twice_on_a_portrait_letter_sheet(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts

    flags = {"title": "Huddle", "stories": ["touch"], "paper": "half-letter"}
    flags["orientation"] = "landscape"
    report = make_handouts(
        PROJECT_ROOT, overrides=flags, output=tmp_path / "huddle.pdf", workers=1, two_up=True
    )
    assert not report.failed, [o.error for o in report.failed]
    assert sizes_mm(tmp_path / "huddle.pdf") == [(216, 140)]
    sheets = tmp_path / "huddle-two-up.pdf"
    assert sizes_mm(sheets) == [(216, 279)]
    document = pypdfium2.PdfDocument(sheets)
    try:
        page = document[0]
        width, height = page.get_size()
        text = page.get_textpage()
        top, bottom = (text.get_text_bounded(0, y, width, y + height / 2) for y in (height / 2, 0))
    finally:
        document.close()
    assert "Huddle" in top and top.split() == bottom.split()
