"""Typesetting: HTML documents laid out in pages and written as PDF.

WeasyPrint does the work, reached only through the adapter (weasyprint_adapter/):
every resource goes through the project's fetcher (files inside the project,
nothing else), WeasyPrint's warnings come back naming the file that caused them,
and the same inputs always give the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.content.fonts import declared_faces, missing_faces
from dnaoc_print.render.documents import RenderedDocument
from dnaoc_print.typeset.weasyprint_adapter import (
    Drawing,
    PagedDocument,
    check_page_furniture,
    collect_warnings,
    drawn,
    pdf_variant,
    render,
    text_faces,
    written,
)

# fontTools stamps a font with the time it saves it (its `head.modified`), unless
# SOURCE_DATE_EPOCH is set: WeasyPrint saves each WOFF font it decodes during layout,
# and fontTools saves each subset it makes while writing (HarfBuzz's subsetter keeps
# the stamp of the decoded font). A fixed stamp keeps the same inputs giving the same
# bytes.
FONT_SUBSET_EPOCH = "0"


@dataclass
class TypesetResult:
    """A typeset document: its PDF as drawn (``drawing``), written when first asked
    for (``pdf``). Its structure tree is finished before that (pdf/tags.py)."""

    drawing: Drawing | None
    page_count: int
    warnings: list[str] = field(default_factory=list)
    _written: bytes | None = None

    @property
    def is_written(self) -> bool:
        """Written, or spent (split into parts): its tree can no longer be finished."""
        return self._written is not None or self.drawing is None

    def spend(self) -> None:
        """Mark it split into parts (pdf/splitting.py): it has no PDF of its own."""
        self.drawing = None

    @property
    def pdf(self) -> bytes:
        if self.drawing is None and self._written is None:
            raise ValueError("a typeset PDF split into parts has no PDF of its own")
        if self._written is None:
            self._written = written(self.drawing)
            # The drawing holds the document's fonts and images: let them go.
            self.drawing = None
        return self._written


@contextlib.contextmanager
def source_date_epoch(epoch: str | None = None):
    """Fonts decoded and subset inside this block are stamped with ``epoch``; with
    none, with the process's SOURCE_DATE_EPOCH if set, else with 0.

    fontTools reads the stamp from the environment, so this sets it there: call it
    only in a process of its own (a worker), never from threads sharing one.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch or previous or FONT_SUBSET_EPOCH
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _with_css(html: str, css: str) -> str:
    return html.replace("</head>", f"<style>{css}</style></head>", 1) if css else html


def lay_out(
    document: RenderedDocument, name: str, allowed_roots: list[Path], extra_css: str = ""
) -> PagedDocument:
    """Lay out one document in pages; ``extra_css`` is added last (it wins)."""
    html = _with_css(document.html, extra_css)
    with collect_warnings(allowed_roots) as warnings, source_date_epoch():
        rendered = render(document, allowed_roots, html)
    # The identifier must not depend on where the project happens to be on disk.
    portable = html
    for root in allowed_roots:
        portable = portable.replace(root.resolve().as_uri(), "project:")
    identifier = hashlib.sha256(portable.encode()).hexdigest()[:32].encode()
    warnings += missing_faces(text_faces(rendered), declared_faces(html))
    check_page_furniture(rendered)
    return PagedDocument(document, identifier, rendered, warnings)


def write(
    layout: PagedDocument, pages: list[int] | None = None, kept: bool = True
) -> TypesetResult:
    """The PDF of a laid-out document, or of some of its pages.

    The PDF identifier is derived from the HTML, so the same inputs always give the
    same bytes. ``kept=False`` is for a PDF that is not kept as it is written: one
    split at once, or only drawn as page images. Its streams are left uncompressed
    (each part is compressed as it is written, splitting.py, and only what that part
    keeps) and it has no identifier (each part gets its own from its content as it is
    written). pydyf works an identifier out by writing every object a second time: an
    eighth of the writing, 2 ms of a handout's 16.
    """
    rendered = layout.rendered
    if pages is not None:
        rendered = rendered.copy([rendered.pages[page] for page in pages])
    with collect_warnings([]) as warnings, source_date_epoch():
        drawing = drawn(
            rendered,
            pdf_identifier=layout.identifier if kept else False,
            pdf_variant=pdf_variant(layout.document),
            uncompressed_pdf=not kept,
        )
    return TypesetResult(drawing, len(rendered.pages), [*layout.warnings, *warnings])


def typeset(
    document: RenderedDocument, name: str, allowed_roots: list[Path], kept: bool = True
) -> TypesetResult:
    """Lay out and write one HTML document; ``name`` identifies it in errors (``kept``:
    see write)."""
    return write(lay_out(document, name, allowed_roots), kept=kept)


# Laid out on a page this tall, any handout fits, so its real height can be measured.
TALL_PAGE = "@page handout {{ size: {width}px 20000px; }}"
