"""Print production: the extra outputs a build makes on request, beside the plain PDFs.

Each is a variant of a plain guide or handout job, built, skipped when up to date
and recorded in the manifest like any other output, under a name of its own:

    booklet      guides/<slug>-booklet.pdf      A5 pages imposed on A4 for saddle stitch
                 (guides/<slug>-letter-booklet.pdf: half-letter on Letter)
    two-up       handouts/<name>-two-up.pdf     an A5 handout twice on an A4 sheet
                 (a half-letter handout twice on a Letter sheet); the ``handout``
                 command's --two-up also puts a CSV batch two to a sheet, in order
    print-shop   <name>-print-shop.pdf          3 mm bleed, crop and cross marks in a slug
    archive      <name>-archive.pdf             PDF/A-2a
    large-print  <name>-large-print.pdf         body 16 pt, nothing under 14 pt

Here is only the deciding: which document each variant typesets (paper, an extra
stylesheet from layouts/, a PDF variant) and which finishing step it takes;
imposition.py, archive.py and the typesetter do the rest.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import PlannedJob, guide_job, handout_job
from dnaoc_print.build.two_up import TWO_UP_SHEET
from dnaoc_print.build.work import Job
from dnaoc_print.errors import BuildError
from dnaoc_print.model import HALF_LETTER, Handout, Project
from dnaoc_print.pdf import archive
from dnaoc_print.pdf.imposition import A4, LETTER, SHEETS, finish_booklet, finish_two_up
from dnaoc_print.pdf.print_shop import finish_print_shop

if TYPE_CHECKING:
    from dnaoc_print.render.templating import RenderedDocument

# The page half the size of each paper: a booklet's page.
HALF_PAPER = {"a4": "a5", "a5": "a5", "letter": HALF_LETTER}
# The sheet a booklet is printed on, and how the booklet's file name says so.
SHEET = {"a4": A4, "a5": A4, "letter": LETTER}
BOOKLET_SHEET = {"a4": "", "a5": "", "letter": "-letter"}
# The sheet two handouts made for half a sheet share: A5 on A4, half-letter on Letter.
# Stylesheets in layouts/, applied after everything else (the brand's own included).
PRINT_SHOP_CSS = "print-shop.css"
LARGE_PRINT_CSS = "large-print.css"
# The paper a large-print copy of a half-sheet handout is set on: the whole sheet.
LARGE_PRINT_PAPER = {"a5": "a4", HALF_LETTER: "letter"}
# A large-print handout may take this many pages (see layouts/large-print.css): five
# story cards at 16 pt, the questions and the 14 pt foot every page carries need three.
LARGE_PRINT_HANDOUT_PAGES = 3


@dataclass(frozen=True)
class PrintOptions:
    """Which print outputs a build makes, besides the plain PDFs."""

    booklet: bool = False
    two_up: bool = False
    crop_marks: bool = False
    print_shop: bool = False
    archive: bool = False
    large_print: bool = False

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))


def print_jobs(
    project: Project,
    brands: Brands,
    brand: str | None,
    out_dir: Path,
    paper: str,
    options: PrintOptions,
) -> list[PlannedJob]:
    """Every print output the options ask for, for every guide and handout."""
    planned: list[PlannedJob] = []
    for guide in project.guides:
        plain = functools.partial(guide_job, guide, project, brands, brand, out_dir)
        if options.booklet:
            half = plain(HALF_PAPER[paper])
            target = out_dir / "guides" / f"{guide.slug}{BOOKLET_SHEET[paper]}-booklet.pdf"
            finish = functools.partial(finish_booklet, paper=SHEET[paper])
            planned.append(_variant(half, "booklet", target, finish=finish))
        planned += _document_variants(plain(paper), options)
    for handout in project.handouts:
        target = out_dir / "handouts" / f"{handout.name}.pdf"
        planned += handout_print_jobs(handout, brands, brand, target, options)
    return planned


def handout_print_jobs(
    handout: Handout, brands: Brands, brand: str | None, target: Path, options: PrintOptions
) -> list[PlannedJob]:
    """The print outputs of one handout whose plain PDF is ``target``."""
    planned: list[PlannedJob] = []
    if options.two_up and handout.paper in TWO_UP_SHEET:
        # Only a handout made for half a sheet: one made for a bigger page would not fit.
        finish = functools.partial(
            finish_two_up, paper=SHEETS[TWO_UP_SHEET[handout.paper]], crop_marks=options.crop_marks
        )
        planned.append(
            _variant(
                handout_job(handout, brands, brand, target),
                "two-up" + (" crop-marks" if options.crop_marks else ""),
                _named(target, "two-up"),
                finish=finish,
            )
        )
    plain = handout_job(handout, brands, brand, target)
    planned += _document_variants(plain, dataclasses.replace(options, large_print=False))
    if options.large_print:
        # Not a one-page sheet with fit steps: the whole handout as one document, at
        # the large size, on as many pages as it takes (at most two, see finish).
        # Large type needs the whole sheet: a half-sheet handout is set on A4 or Letter.
        layouts = brands.templates(handout.brand or brand)
        large = dataclasses.replace(
            handout, paper=LARGE_PRINT_PAPER.get(handout.paper, handout.paper)
        )

        def make() -> Job:
            document = _with_stylesheet(layouts.handout(large), LARGE_PRINT_CSS)
            # Its notes take the spare height of its last page (large-print.css).
            return Job(plain.name, target, document=document, grow_to_foot="notes-area")

        planned.append(
            _variant(
                dataclasses.replace(plain, make=make),
                "large-print",
                _named(target, "large-print"),
                finish=finish_large_print_handout,
            )
        )
    return planned


def finish_large_print_handout(pdf: bytes) -> tuple[bytes, int]:
    """A large-print handout may take up to LARGE_PRINT_HANDOUT_PAGES pages, no more
    (see jobs.Job.finish)."""
    page_count = len(pikepdf.open(io.BytesIO(pdf)).pages)
    if page_count > LARGE_PRINT_HANDOUT_PAGES:
        raise BuildError(
            f"in large print the handout takes {page_count} pages, more than "
            f"{LARGE_PRINT_HANDOUT_PAGES}: remove a story or a question, or shorten the notes"
        )
    return pdf, page_count


def _document_variants(plain: PlannedJob, options: PrintOptions) -> list[PlannedJob]:
    """Print-shop, archive and large-print copies: the same document, restyled or in
    another PDF variant."""
    planned = []
    if options.print_shop:
        planned.append(
            _variant(
                plain,
                "print-shop",
                _named(plain.target, "print-shop"),
                restyle=lambda d: _with_stylesheet(d, PRINT_SHOP_CSS),
                finish=finish_print_shop,
            )
        )
    if options.archive:
        planned.append(
            _variant(
                plain,
                "archive",
                _named(plain.target, "archive"),
                restyle=lambda d: dataclasses.replace(d, pdf_variant=archive.PDF_VARIANT),
                finish=archive.finish_archive,
            )
        )
    if options.large_print:
        planned.append(
            _variant(
                plain,
                "large-print",
                _named(plain.target, "large-print"),
                restyle=lambda d: _with_stylesheet(d, LARGE_PRINT_CSS),
            )
        )
    return planned


def _named(target: Path, variant: str) -> Path:
    return target.with_name(f"{target.stem}-{variant}.pdf")


def _variant(
    plain: PlannedJob,
    label: str,
    target: Path,
    restyle: Callable[[RenderedDocument], RenderedDocument] | None = None,
    finish: Callable[[bytes], tuple[bytes, int]] | None = None,
) -> PlannedJob:
    """The plain job made into a print output: its own name, file and fingerprint,
    its document restyled, and a finishing step."""
    name = f"{plain.name} ({label})"

    def make() -> Job:
        job = plain.make()
        if restyle is not None and job.document is not None:
            job = dataclasses.replace(job, document=restyle(job.document))
        if restyle is not None and job.sheet is not None:
            sheet = dataclasses.replace(job.sheet, document=restyle(job.sheet.document))
            job = dataclasses.replace(job, sheet=sheet)
        return dataclasses.replace(job, name=name, target=target, finish=finish)

    inputs = {**plain.inputs, "option:print": label}
    return PlannedJob(name, target, inputs, make)


def _with_stylesheet(document: RenderedDocument, stylesheet: str) -> RenderedDocument:
    """The document with a stylesheet from layouts/ applied last, so it wins."""
    link = f'<link rel="stylesheet" href="{stylesheet}">'
    return dataclasses.replace(document, html=document.html.replace("</head>", f"{link}</head>", 1))
