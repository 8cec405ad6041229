"""Split one typeset PDF into several, each a complete, tagged PDF of its own.

A batch of handouts is typeset as one document, a handout a page, because
WeasyPrint's cost is mostly per document: parsing stylesheets, loading fonts,
subsetting them when writing. Splitting the pages afterwards must not cost the
reader anything, so each part keeps what a PDF made on its own would have:

- its links (annotations travel with their page);
- its tags: the part of the structure tree for its pages, re-rooted in a Document
  element of its own, with the parent tree renumbered to match (part_trees.py);
- its metadata: title and description in both the document information and the
  XMP packet (the PDF/UA identification included), language, display title;
- only the fonts, images and patterns its pages use (WeasyPrint gives every page
  of a document one shared resource dictionary; each part gets a pruned copy).

All of it is done on the PDF as drawn, and each part written from it by
part_writer.py: the batch itself is never written. Everything here is about which
objects.

Both a split part and a whole document (``complete_structure``) have their tags
finished first, on the PDF as drawn, before it is written (pdf_tags.finish_tags):
what WeasyPrint draws in the page margins and decoration become artifacts, each link
one Link element with one described annotation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf
import pydyf

from dnaoc_print.pdf.drawn import Drawn, TextString, as_value, stream_bytes
from dnaoc_print.pdf.links import link_descriptions
from dnaoc_print.pdf.part_trees import part_roots
from dnaoc_print.pdf.part_writer import PartWriter
from dnaoc_print.pdf.tags import finish_tags
from dnaoc_print.pdf.tree import id_tree
from dnaoc_print.typeset.typesetting import TypesetResult

# A name in a content stream: how a page refers to its fonts, images and patterns.
_NAME_TOKEN = re.compile(rb"/([^\s/\[\]()<>{}%]+)")


@dataclass(frozen=True)
class Part:
    """The pages of one output PDF, and its metadata."""

    pages: tuple[int, ...]
    title: str
    description: str
    # The whole XMP packet for this part (see typesetting.PagedDocument.xmp).
    xmp: bytes


def finished(typeset: TypesetResult, html: str = "") -> bytes:
    """The typeset PDF with its tags finished (see pdf_tags), written; ``html`` is the
    document typeset, for its links' descriptions."""
    _finish_tags(typeset, html)
    return typeset.pdf


def split_pdf(typeset: TypesetResult, parts: Iterable[Part], html: str = "") -> list[bytes]:
    """One PDF for each part, in order. Each page may belong to one part only.

    ``html`` is the document typeset, for its links' descriptions.
    """
    parts = list(parts)
    _finish_tags(typeset, html)
    drawn = Drawn(typeset.drawing.pdf)
    roots = part_roots(drawn, [part.pages for part in parts])
    writer = PartWriter(drawn, typeset.drawing.arguments[0])
    pdfs = [_part_pdf(drawn, writer, root, part) for root, part in zip(roots, parts, strict=True)]
    # Its pages now belong to the parts: the batch has no PDF of its own to write.
    typeset.spend()
    return pdfs


def embedded_fonts(typeset: TypesetResult) -> list[tuple[str, bytes | None]]:
    """(/BaseFont name, program or None) of each font the typeset PDF's pages use, read
    from the PDF as drawn, before it is split (each page's resources are then its own):
    see content/fonts.foreign_fonts_among."""
    if typeset.drawing is None:
        raise ValueError("a typeset PDF's fonts are read before it is split or written")
    drawn = Drawn(typeset.drawing.pdf)
    fonts: dict[bytes, tuple[str, bytes | None]] = {}
    for page_reference in drawn.page_references:
        resources = drawn.resolved(drawn[page_reference].get("Resources")) or {}
        for reference in (drawn.resolved(resources.get("Font")) or {}).values():
            font = drawn.resolved(reference)
            for part in drawn.resolved(font.get("DescendantFonts")) or [font]:
                descendant = drawn.resolved(part)
                fonts.setdefault(as_value(descendant), _program(drawn, descendant))
    return list(fonts.values())


def _program(drawn: Drawn, font) -> tuple[str, bytes | None]:
    base_font = font.get("BaseFont", "unnamed")
    name = base_font.decode() if isinstance(base_font, bytes) else str(base_font)
    descriptor = drawn.resolved(font.get("FontDescriptor")) or {}
    for key in ("FontFile2", "FontFile3", "FontFile"):
        if key in descriptor:
            stream = drawn.resolved(descriptor[key])
            return name, stream_bytes(stream)
    return name, None


def complete_structure(typeset: TypesetResult, html: str = "") -> bytes:
    """The PDF with its tags finished (see pdf_tags) and its ID tree; ``html`` is
    the document typeset, for its links' descriptions."""
    source = pikepdf.open(io.BytesIO(finished(typeset, html)))
    id_tree(source)
    buffer = io.BytesIO()
    source.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _finish_tags(typeset: TypesetResult, html: str) -> None:
    if typeset.is_written:
        raise ValueError("a typeset PDF must be finished before it is written")
    finish_tags(typeset.drawing.pdf, link_descriptions(html))


def _part_pdf(drawn: Drawn, writer: PartWriter, root: bytes, part: Part) -> bytes:
    """The part's own PDF: its pages, its structure tree (``root``, a reference to the
    root part_trees made for it), its catalogue and its document information."""
    batch = drawn.pdf
    pages = drawn.add(
        pydyf.Dictionary({"Type": "/Pages", "Kids": pydyf.Array(), "Count": len(part.pages)})
    )
    for index in part.pages:
        reference = drawn.page_references[index]
        page = drawn[reference]
        page["Resources"] = _used_resources(drawn, page, writer.raw(drawn[page["Contents"]]))
        page["Parent"] = pages.reference
        pages["Kids"].append(reference)
    metadata = drawn.add(pydyf.Stream([part.xmp], {"Type": "/Metadata", "Subtype": "/XML"}))
    catalog = pydyf.Dictionary(
        {
            "Type": "/Catalog",
            "Pages": pages.reference,
            "StructTreeRoot": root,
            "MarkInfo": pydyf.Dictionary({"Marked": "true"}),
            "ViewerPreferences": pydyf.Dictionary({"DisplayDocTitle": "true"}),
            "Metadata": metadata.reference,
        }
    )
    # The language; and PDF/A's colour profile (an archive copy, issue 17) in every part.
    for key in ("Lang", "OutputIntents"):
        if key in batch.catalog:
            catalog[key] = batch.catalog[key]
    drawn.add(catalog)
    info = pydyf.Dictionary(batch.info)
    info["Title"] = TextString(part.title)
    info["Subject"] = TextString(part.description)
    own = {pages.number} | {drawn[drawn.page_references[index]].number for index in part.pages}
    return writer.write(catalog, info, own)


def _used_resources(drawn: Drawn, page, content: bytes) -> pydyf.Dictionary:
    """A copy of the page's resources holding only what its content names."""
    names = set(_NAME_TOKEN.findall(content))
    pruned = pydyf.Dictionary()
    for category, entries in drawn.resolved(page["Resources"]).items():
        entries = drawn.resolved(entries)
        if not isinstance(entries, dict):
            pruned[category] = entries
            continue
        kept = {key: value for key, value in entries.items() if key.encode() in names}
        if kept:
            pruned[category] = pydyf.Dictionary(kept)
    return pruned
