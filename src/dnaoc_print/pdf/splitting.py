"""Split one typeset PDF into several, each a complete, tagged PDF of its own.

A batch of handouts is typeset as one document, a handout a page, because
WeasyPrint's cost is mostly per document: parsing stylesheets, loading fonts,
subsetting them when writing. Splitting the pages afterwards must not cost the
reader anything, so each part keeps what a PDF made on its own would have:

- its links (annotations travel with their page);
- its tags: the part of the structure tree for its pages, re-rooted in a Document
  element of its own, with the parent tree renumbered to match;
- its metadata: title and description in both the document information and the
  XMP packet (the PDF/UA identification included), language, display title;
- only the fonts, images and patterns its pages use (WeasyPrint gives every page
  of a document one shared resource dictionary; each part gets a pruned copy).

pikepdf (QPDF) does the object copying; everything here is about which objects.

Both a split part and a whole document (``complete_structure``) have their tags
finished first, on the PDF as drawn, before it is written (pdf_tags.finish_tags):
what WeasyPrint draws in the page margins and decoration become artifacts, each link
one Link element with one described annotation.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from dnaoc_print.pdf.drawn import Drawn
from dnaoc_print.pdf.links import link_descriptions
from dnaoc_print.pdf.part_trees import part_roots
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
    roots = part_roots(Drawn(typeset.drawing.pdf), [part.pages for part in parts])
    source = pikepdf.open(io.BytesIO(typeset.pdf))
    _compress_fonts(source)
    return [_extract(source, root, part) for root, part in zip(roots, parts, strict=True)]


def _finish_tags(typeset: TypesetResult, html: str) -> None:
    if typeset.is_written:
        raise ValueError("a typeset PDF must be finished before it is written")
    finish_tags(typeset.drawing.pdf, link_descriptions(html))


def complete_structure(typeset: TypesetResult, html: str = "") -> bytes:
    """The PDF with its tags finished (see pdf_tags) and its ID tree; ``html`` is
    the document typeset, for its links' descriptions."""
    source = pikepdf.open(io.BytesIO(finished(typeset, html)))
    id_tree(source)
    buffer = io.BytesIO()
    source.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _compress_fonts(source: pikepdf.Pdf) -> None:
    """Compress the streams of the pages' fonts once, here, rather than once a part.

    Every part takes the same fonts. Saving a part compresses each stream that is
    not compressed (a batch is written uncompressed to be split), but copies one
    already compressed with Flate as it is. zlib's default level is QPDF's, so a
    part holds the same font bytes either way.
    """
    seen: set[tuple[int, int]] = set()
    for page in source.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
        if fonts is not None:
            _compress_streams(fonts, seen)


def _compress_streams(obj: pikepdf.Object, seen: set[tuple[int, int]]) -> None:
    """Compress every uncompressed stream in or under ``obj`` (the objgens of the
    indirect objects already met in ``seen``)."""
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, Stream):
        if "/Filter" not in obj:
            obj.write(zlib.compress(obj.read_raw_bytes()), filter=Name.FlateDecode)
        values = obj.stream_dict.values()
    elif isinstance(obj, Dictionary):
        values = obj.values()
    elif isinstance(obj, Array):
        values = obj
    else:
        return
    for value in values:
        if isinstance(value, (Dictionary, Array, Stream)):
            _compress_streams(value, seen)


def _extract(source: pikepdf.Pdf, root: int, part: Part) -> bytes:
    """The part's own PDF: its pages, and its structure tree (``root``, the number of
    the root part_trees made for it); the copy follows references, so it takes exactly
    this part's elements."""
    output = pikepdf.new()
    for index in part.pages:
        page = source.pages[index]
        page.obj.Resources = _used_resources(page.obj)
        output.pages.append(page)
    _describe_part(source, output, output.copy_foreign(source.get_object(root, 0)), part)
    buffer = io.BytesIO()
    output.save(
        buffer,
        min_version=source.pdf_version,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        # The identifier comes from the content: the same part gives the same bytes.
        deterministic_id=True,
    )
    return buffer.getvalue()


def _describe_part(
    source: pikepdf.Pdf, output: pikepdf.Pdf, root: pikepdf.Object, part: Part
) -> None:
    """The part's catalogue: its structure tree (``root``, copied across), marked,
    titled, in its source's language and colour profile, with its own metadata."""
    catalog = output.Root
    catalog.StructTreeRoot = root
    catalog.MarkInfo = Dictionary(Marked=True)
    catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Lang" in source.Root:
        catalog.Lang = pikepdf.String(str(source.Root.Lang))
    if "/OutputIntents" in source.Root:
        # PDF/A (an archive copy, issue 17) needs its colour profile in every part.
        intents = source.make_indirect(source.Root.OutputIntents)
        catalog.OutputIntents = output.copy_foreign(intents)
    catalog.Metadata = output.make_stream(part.xmp, Type=Name.Metadata, Subtype=Name.XML)
    for key, value in source.docinfo.items():
        output.docinfo[key] = pikepdf.String(str(value))
    output.docinfo.Title = pikepdf.String(part.title)
    output.docinfo.Subject = pikepdf.String(part.description)


def _used_resources(page: pikepdf.Object) -> Dictionary:
    """A copy of the page's resources holding only what its content stream names."""
    contents = page.Contents
    streams = contents if isinstance(contents, Array) else [contents]
    names = {
        b"/" + token for stream in streams for token in _NAME_TOKEN.findall(stream.read_bytes())
    }
    pruned = Dictionary()
    for category, entries in page.Resources.items():
        if not isinstance(entries, Dictionary):
            pruned[category] = entries
            continue
        kept = {key: value for key, value in entries.items() if key.encode() in names}
        if kept:
            pruned[category] = Dictionary(kept)
    return pruned
