"""A slide pack's PDFs: the slides (layouts/slides.html.j2, 16:9) and the speaker
notes (layouts/slides-notes.html.j2, A4, a picture of each slide beside its notes).

Rendering happens where jobs are made; the finishing steps here run in the worker
after the slides are typeset: one checks that each slide took exactly one page, the
other turns the typeset slides into the pictures of the notes and typesets those.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import io
from pathlib import Path

from dnaoc_print.errors import BuildError
from dnaoc_print.model import Guide
from dnaoc_print.render.documents import RenderedDocument
from dnaoc_print.render.slides import Deck, deck, short_address
from dnaoc_print.render.templating import Templates

SLIDES_PAPER = "slides"
SLIDES_LARGE_PRINT_CSS = "slides-large-print.css"
# Where a slide's picture goes in the notes before the slides are typeset.
_THUMBNAIL = "dnaoc-slide-{number}.png"
# A slide's picture in the notes: sharp at 72 mm wide when printed (about 150 dpi),
# in a few colours (slides are flat colour), so the notes stay small.
THUMBNAIL_SCALE = (150 / 72) * (72 / 254)  # 150 dpi over 72 of the slide's 254 mm
THUMBNAIL_COLOURS = 64


def slides_document(
    layouts: Templates, deck: Deck, large_print: bool = False, date: str | None = None
) -> RenderedDocument:
    """The deck as one HTML document, a slide a page; ``date`` as the guide's."""
    html = layouts.render(
        "slides.html.j2",
        deck=deck,
        paper=SLIDES_PAPER,
        date=date,
        short_address=short_address,
    )
    if large_print:
        link = f'<link rel="stylesheet" href="{SLIDES_LARGE_PRINT_CSS}">'
        html = html.replace("</head>", f"{link}</head>", 1)
    return RenderedDocument(
        html=html,
        title=deck.document_title,
        base_url=layouts.project.root / "layouts",
        fonts_key=layouts.brand.name,
    )


def slides_preview(layouts: Templates, guide: Guide) -> RenderedDocument:
    """A guide's slides as `serve` shows them (its pages, in the brand it shows)."""
    return slides_document(layouts, deck(guide, layouts.words, layouts.brand))


def notes_document(layouts: Templates, deck: Deck, date: str | None = None) -> RenderedDocument:
    """The speaker notes, with a stand-in for each slide's picture."""
    html = layouts.render(
        "slides-notes.html.j2",
        deck=deck,
        paper="a4",
        date=date,
        thumbnail_src=lambda number: _THUMBNAIL.format(number=number),
    )
    return RenderedDocument(
        html=html,
        title=f"{deck.title} – {layouts.words['slides']['notes_title']}",
        base_url=layouts.project.root / "layouts",
        fonts_key=layouts.brand.name,
    )


def finish_slides(pdf: bytes, *, slide_count: int, source: str) -> tuple[bytes, int]:
    """The slides as typeset, if every slide took one page; else why not."""
    page_count = _page_count(pdf)
    if page_count != slide_count:
        raise BuildError(too_full(page_count, slide_count, source))
    return pdf, page_count


def finish_notes(
    slides_pdf: bytes,
    *,
    notes: RenderedDocument,
    slide_count: int,
    source: str,
    allowed_roots: tuple[Path, ...],
) -> tuple[bytes, int]:
    """The speaker notes, each slide's picture made from the typeset slides."""
    from dnaoc_print.pdf.splitting import complete_structure
    from dnaoc_print.typeset.typesetting import typeset

    finish_slides(slides_pdf, slide_count=slide_count, source=source)
    html = notes.html
    for number, png in enumerate(thumbnails(slides_pdf), 1):
        data = base64.b64encode(png).decode("ascii")
        html = html.replace(_THUMBNAIL.format(number=number), f"data:image/png;base64,{data}")
    document = dataclasses.replace(notes, html=html)
    result = typeset(document, f"notes of {source}", list(allowed_roots))
    return complete_structure(result, html), result.page_count


def thumbnails(pdf: bytes) -> list[bytes]:
    """Each page of the slides as a small PNG (the same bytes for the same PDF)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            picture = page.render(scale=THUMBNAIL_SCALE).to_pil().convert("RGB")
            picture = picture.quantize(THUMBNAIL_COLOURS, method=Image.Quantize.MEDIANCUT)
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def notes_finish(notes: RenderedDocument, slide_count: int, source: str, roots: tuple[Path, ...]):
    """The finishing step of a notes job (a partial, so it can reach a worker)."""
    return functools.partial(
        finish_notes, notes=notes, slide_count=slide_count, source=source, allowed_roots=roots
    )


def too_full(page_count: int, slide_count: int, source: str) -> str:
    return (
        f"the slides take {page_count} pages for {slide_count} slides: the words of a slide "
        f"do not fit on it. Shorten its points or questions in the 'slides' group of {source} "
        "(or show one question a slide: 'questions_per_slide: 1')"
    )


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)
