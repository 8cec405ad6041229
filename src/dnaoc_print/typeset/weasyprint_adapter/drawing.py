"""A PDF as WeasyPrint draws it, kept back from writing, so that its structure tree
can be finished on its own objects first (pdf/tags.py) and the PDF written once.

``write_pdf``'s finisher (public: called with the document and the pydyf PDF "right
before the trailer is written") stands in the PDF's own ``write`` for that one call:
WeasyPrint then writes nothing, and what it would have written the PDF with (version,
identifier, compression) is kept for ``written``. A contract test in
tests/test_weasyprint_contract.py checks that a drawing written later gives the bytes
``write_pdf`` gives.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pydyf


@dataclass
class Drawing:
    """A drawn PDF and what it is to be written with."""

    pdf: pydyf.PDF
    # pydyf.PDF.write's arguments after the output: version, identifier, compress.
    arguments: tuple


def drawn(rendered, **options) -> Drawing:
    """``rendered.write_pdf(**options)``'s PDF, drawn but not written."""
    kept: dict = {}

    def keep(document, pdf: pydyf.PDF) -> None:
        def record(output, *arguments) -> None:
            kept["arguments"] = arguments

        pdf.write = record
        kept["pdf"] = pdf

    rendered.write_pdf(finisher=keep, **options)
    pdf = kept["pdf"]
    del pdf.write  # pydyf's own method again
    return Drawing(pdf, kept["arguments"])


def written(drawing: Drawing) -> bytes:
    output = io.BytesIO()
    drawing.pdf.write(output, *drawing.arguments)
    return output.getvalue()
