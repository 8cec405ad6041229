"""Typesetting for the web server, in a worker process, and each page as a PNG.

These functions run in the build's worker processes (workers.py), handed to them by
``preview_pool.PreviewPool``: the server's request threads never typeset.

A handout goes through exactly the CLI's path (``typeset_handouts``: the fit steps,
the notes filled to the foot, the split; fonts stamped with the run's epoch), so
the PDF offered for download is the byte-for-byte PDF ``dnaoc-print handout``
writes from the same spec.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from dnaoc_print.build.work import HandoutBatch, Job, RunOptions
from dnaoc_print.errors import BuildError

# A preview that takes longer than this is stopped (its worker is ended): the page
# says so. Shorter than a build's limit: someone is waiting at the screen.
PREVIEW_TIME_LIMIT = 60
# Pixels a PDF point (72 a inch): 1.5 shows an A4 page 893 px wide, sharp on screen.
PAGE_SCALE = 1.5


@dataclass
class HandoutResult:
    """A typeset handout: its PDF and page image, or why it has none."""

    pdf: bytes = b""
    image: bytes = b""
    # Set when it does not fit on one page even at the smallest fit step.
    overflow_mm: float | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    # A handout too long for its page: its pages past the first, as images (``image``
    # is its first), so the composer shows what ran over.
    overflow_images: list[bytes] = field(default_factory=list)
    # The worker ended first (time limit, crash, killed, server stopping): asking
    # again may succeed, so this result is not kept.
    lost: bool = False


@dataclass
class PagesResult:
    """A document's pages as PNG images, or why it has none."""

    images: list[bytes] = field(default_factory=list)
    error: str | None = None
    lost: bool = False


def _failure_text(error: Exception, options: RunOptions) -> str:
    if isinstance(error, BuildError):
        return str(error)
    text = f"internal error ({type(error).__name__}: {error})"
    if options.debug:
        text += "\n" + traceback.format_exc()
    return text


def render_pages(pdf: bytes, scale: float = PAGE_SCALE) -> list[bytes]:
    """Every page of a PDF as a PNG image."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            # RGB order straight from PDFium, and light compression: half the time of
            # Pillow's default, for files a few per cent larger.
            bitmap = page.render(scale=scale, rev_byteorder=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", compress_level=1)
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def typeset_handout(job: Job, options: RunOptions) -> HandoutResult:
    """In a worker: one handout, as the CLI typesets it, and its page as an image."""
    from dnaoc_print.build.handout_typesetting import typeset_handouts
    from dnaoc_print.typeset.typesetting import FONT_SUBSET_EPOCH, source_date_epoch

    roots = list(options.allowed_roots)
    try:
        if missing := [str(p) for p in job.sheet.address_problems if p.fatal]:
            raise BuildError("\n".join(missing))
        # The epoch as the CLI's workers set it (jobs.run_work), so the bytes are its bytes.
        with source_date_epoch(options.source_date_epoch or FONT_SUBSET_EPOCH):
            [pdf], warnings = typeset_handouts(HandoutBatch(job.sheet.document, (job,)), roots)
            if isinstance(pdf, BuildError):
                # The CLI's own figure: how far the smallest fit step runs over the page.
                overflow_mm = getattr(pdf, "overflow_mm", None)
                images = _overflowing_pages(job, roots) if overflow_mm is not None else [b""]
                return HandoutResult(
                    error=str(pdf),
                    overflow_mm=overflow_mm,
                    image=images[0],
                    overflow_images=images[1:],
                )
        warnings = [*(str(p) for p in job.sheet.address_problems), *warnings]
        return HandoutResult(pdf=pdf, image=render_pages(pdf)[0], warnings=warnings)
    except Exception as error:  # noqa: BLE001 (reported on the page)
        return HandoutResult(error=_failure_text(error, options))


def _overflowing_pages(job: Job, roots: list) -> list[bytes]:
    """A handout too long for its page, at its smallest fit step, as the pages it
    would take: the first as it would print, then what runs over."""
    from dataclasses import replace

    from dnaoc_print.render.documents import with_sheets
    from dnaoc_print.typeset import typesetting

    document = job.sheet.document
    alone = replace(document, html=with_sheets(document.html, [job.sheet.fits[-1]]))
    layout = typesetting.lay_out(alone, job.name, roots)
    return render_pages(typesetting.write(layout, kept=False).pdf)


def typeset_pages(job: Job, options: RunOptions) -> PagesResult:
    """In a worker: a guide (or any whole document) as page images."""
    from dnaoc_print.typeset.typesetting import FONT_SUBSET_EPOCH, source_date_epoch, typeset

    try:
        if missing := [str(p) for p in job.document.address_problems if p.fatal]:
            raise BuildError("\n".join(missing))
        with source_date_epoch(options.source_date_epoch or FONT_SUBSET_EPOCH):
            result = typeset(job.document, job.name, list(options.allowed_roots), kept=False)
        return PagesResult(images=render_pages(result.pdf))
    except Exception as error:  # noqa: BLE001 (reported on the page)
        return PagesResult(error=_failure_text(error, options))
