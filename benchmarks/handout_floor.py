"""The least CPU time a handout can cost with WeasyPrint, measured, beside what it costs.

Used by run.py (``--handouts``); not part of the tests. Two figures set the floor for
the shipped compassion spec:

- how many times it must be laid out: each fit step is laid out on a page tall
  enough for anything and its height set beside the page's. A handout is printed at
  the first step that fits (so at the same size as before, pixel for pixel), and
  knowing that a step does not fit takes a layout at that step;
- what one page of its words costs WeasyPrint with no design at all: the handout's
  own text (read back from its PDF) as plain paragraphs, in the brand's font at the
  size of the step it is printed at, 25 pages a document, typeset and written, in
  this process set to collect its garbage as a worker does (workers.py).

Layouts (how many times the sheet is laid out) times the first, plus the writing, is a
lower bound for any WeasyPrint design of this handout: it leaves out the design (header
band, table, story cards, codes, links, notes, credit) and the split into one PDF a
handout. (The plain pages are
written as tagged PDF, as the handouts are.)
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dnaoc_print.render.documents import RenderedDocument

PAGES = 25


@dataclass(frozen=True)
class FitSteps:
    # Height the handout takes at each fit step (on a very tall page), and the page's.
    heights_mm: tuple[float, ...]
    available_mm: float

    @property
    def first_fitting(self) -> int | None:
        return next((i for i, h in enumerate(self.heights_mm) if h <= self.available_mm), None)

    @property
    def layouts(self) -> int:
        """Layouts a handout needs: each step tried until one fits."""
        first = self.first_fitting
        return len(self.heights_mm) if first is None else first + 1


@dataclass(frozen=True)
class Floor:
    characters: int
    paragraphs: int
    text_size_pt: float
    # CPU ms a page: HTML to laid-out pages; laid-out pages to PDF bytes.
    render_ms: float
    write_ms: float


def fit_steps(job, roots: list[Path]) -> FitSteps:
    from dnaoc_print.render.documents import with_sheets
    from dnaoc_print.typeset import typesetting

    document = job.sheet.document
    heights = []
    available = 0.0
    for sheet in job.sheet.fits:
        alone = replace(document, html=with_sheets(document.html, [sheet]))
        normal = typesetting.lay_out(alone, job.name, roots)
        tall_page = typesetting.TALL_PAGE.format(width=normal.page_width_px())
        heights.append(typesetting.lay_out(alone, job.name, roots, tall_page).used_mm())
        available = normal.available_mm()
    return FitSteps(tuple(heights), available)


def plain_document(job, pdf: bytes, text_size_pt: float) -> tuple[RenderedDocument, int, int]:
    """The handout's words (read back from its PDF) as plain paragraphs, a page of them
    PAGES times over: (the document, how many characters and paragraphs a page has)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    escaped = [p.replace("&", "&amp;").replace("<", "&lt;") for p in paragraphs]
    # The brand's @font-face rules: the same font files, so the same shaping work.
    [faces] = re.findall(r"<style>(.*?)</style>", job.sheet.document.html, re.S)[:1]
    page = "<section>" + "".join(f"<p>{p}</p>" for p in escaped) + "</section>"
    html = (
        f"<!DOCTYPE html><html lang='en-GB'><head><style>{faces}"
        # Each line of the handout's text a paragraph, on an A4 page of the handout's
        # width: set close enough that a page holds them all.
        "@page { size: A4; margin: 10mm 15mm; }"
        f"body {{ font-family: var(--brand-font-body); font-size: {text_size_pt}pt; "
        "line-height: 1.15; }"
        "section { break-before: page; } p { margin: 0; }"
        f"</style></head><body>{page * PAGES}</body></html>"
    )
    plain = replace(job.sheet.document, html=html)
    return plain, len("".join(paragraphs)), len(paragraphs)


def plain_text_floor(job, roots: list[Path], pdf: bytes, text_size_pt: float) -> Floor:
    """CPU a page for the handout's words as plain paragraphs (median of three runs)."""
    from dnaoc_print.build.workers import collect_as_a_worker
    from dnaoc_print.typeset import typesetting

    plain, characters, paragraphs = plain_document(job, pdf, text_size_pt)
    renders, writes = [], []
    typesetting.lay_out(plain, "floor", roots)  # warm: fonts loaded
    for _ in range(3):
        collect_as_a_worker()  # measured as a worker runs, between pieces of work
        started = time.process_time()
        layout = typesetting.lay_out(plain, "floor", roots)
        assert layout.page_count == PAGES, "the words must take a page each, no more"
        laid_out = time.process_time()
        written = typesetting.write(layout).pdf  # drawn, then written
        renders.append((laid_out - started) * 1000 / layout.page_count)
        writes.append((time.process_time() - laid_out) * 1000 / layout.page_count)
    assert written.startswith(b"%PDF-")
    return Floor(
        characters,
        paragraphs,
        text_size_pt,
        statistics.median(renders),
        statistics.median(writes),
    )


def printed_sheet(job, roots: list[Path], handout_css: Path) -> tuple[FitSteps, bytes, float]:
    """The handout's fit steps, its PDF at the first step that fits, and that step's
    text size (pt), as layouts/handout.css sets it (.handout, .fit-1, .fit-2)."""
    from dnaoc_print.render.documents import with_sheets
    from dnaoc_print.typeset.typesetting import typeset

    steps = fit_steps(job, roots)
    printed = steps.first_fitting if steps.first_fitting is not None else -1
    sizes = re.findall(r"--text-size:\s*([\d.]+)pt", handout_css.read_text())
    document = job.sheet.document
    sheet = replace(document, html=with_sheets(document.html, [job.sheet.fits[printed]]))
    return steps, typeset(sheet, job.name, roots).pdf, float(sizes[printed])


def measure_floor(job, roots: list[Path], handout_css: Path) -> tuple[FitSteps, Floor]:
    """The handout's fit steps, and its words' floor at the size it is printed at."""
    steps, pdf, text_size_pt = printed_sheet(job, roots, handout_css)
    return steps, plain_text_floor(job, roots, pdf, text_size_pt)
