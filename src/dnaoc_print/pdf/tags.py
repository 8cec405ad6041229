"""Finish a typeset PDF's tags so a screen reader meets the content, in order, once.

WeasyPrint tags every box it draws. What a reader should not hear is made an
artifact here, after typesetting:

- what is drawn in the page margins (running title, page number, footer, the
  handout's licence line) becomes a pagination artifact, a header or a footer
  (``/Artifact <</Type /Pagination /Subtype /Footer>>``);
- decoration (elements with ``aria-hidden="true"``) a layout artifact
  (``/Artifact <</Type /Layout>>``).

Typesetting tags both under an ``/Artifact`` marker element that is never linked
into the tree; the marker says which kind.

Each link is made one Link element with one described annotation (links.py).
Structure elements left with nothing in them (the helix's dots, say) are removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.pdf.links import describe_links, one_annotation_per_link
from dnaoc_print.pdf.structure import restructure

ARTIFACT_ROLE = "/Artifact"

_MCR, _OBJR, _LINK, _ARTIFACT = Name.MCR, Name.OBJR, Name.Link, Name(ARTIFACT_ROLE)


def finish_tags(pdf: pikepdf.Pdf, descriptions: Mapping[str, str] | None = None) -> None:
    """The tree in the document's shape (pdf_structure.restructure), artifacts, one
    described annotation per link, no empty elements (in place)."""
    root = pdf.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, Array) else root.K
    numbers = root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    restructure(pdf, document, parents)
    _mark_artifacts(pdf, document, parents)
    one_annotation_per_link(pdf, document, parents)
    describe_links(pdf, descriptions or {})
    _tidy(document)
    root.ParentTree = Dictionary(
        Nums=Array([item for key in sorted(parents) for item in (key, parents[key])])
    )


def _artifact_kind(element, ends: tuple, in_tree: set, cache: dict) -> Dictionary | None:
    """The artifact properties for an element's marked content, or None for content.

    ``ends`` holds the objgens of the StructTreeRoot and the Document element, where
    the walk up stops; ``cache`` the kind of each element met (by objgen), as an
    element's ancestors are shared by its siblings.
    """
    root_key, document_key = ends
    chain = []
    kind = None
    key = element.objgen
    while True:
        if key in cache:
            kind = cache[key]
            break
        chain.append(key)
        if element.get("/S") == _ARTIFACT:
            kind = Dictionary(Type=element.get("/ArtifactType", Name.Layout))
            if "/ArtifactSubtype" in element:
                kind.Subtype = element.ArtifactSubtype
            break
        parent = element.get("/P")
        if parent is None:
            break
        parent_key = parent.objgen
        if parent_key == root_key:
            break
        if parent_key == document_key:
            # Built by WeasyPrint for a page-margin box, but never linked in.
            kind = None if key in in_tree else Dictionary(Type=Name.Pagination)
            break
        element, key = parent, parent_key
    for key in chain:
        cache[key] = kind
    return kind


def _mark_artifacts(pdf: pikepdf.Pdf, document, parents: dict) -> None:
    in_tree = {kid.objgen for kid in document.K}
    ends = (pdf.Root.StructTreeRoot.objgen, document.objgen)
    cache: dict = {}
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue
        entries = parents.get(int(page.obj.StructParents))
        if not isinstance(entries, Array):
            continue
        kinds = {}
        for mcid, element in enumerate(entries):
            if isinstance(element, Dictionary):
                kind = _artifact_kind(element, ends, in_tree, cache)
                if kind:
                    kinds[mcid] = kind
        if not kinds:
            continue
        page.obj.Contents = pdf.make_stream(_as_artifacts(page, kinds))
        for mcid in kinds:
            entries[mcid] = None


# How WeasyPrint (pydyf) begins a marked-content sequence: "/P\n<</MCID 3>>\nBDC".
_MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<</MCID (\d+)>>\s*BDC")


def _as_artifacts(page, kinds: dict[int, Dictionary]) -> bytes:
    """The page's content with the marked content of these MCIDs made artifacts.

    WeasyPrint writes each marked-content start the same way, so they are found in
    the bytes; should one not be (another writer, say), the content stream is parsed
    and written again, which gives the same result at many times the cost.
    """
    contents = page.obj.Contents
    if not isinstance(contents, Array):
        found = 0

        def artifact(match: re.Match) -> bytes:
            nonlocal found
            kind = kinds.get(int(match[1]))
            if kind is None:
                return match[0]
            found += 1
            return b"/Artifact " + kind.unparse() + b" BDC"

        data = _MARKED.sub(artifact, contents.read_bytes())
        if found == len(kinds):
            return data
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if (
            str(operator) == "BDC"
            and len(operands) == 2
            and isinstance(operands[1], Dictionary)
            and int(operands[1].get("/MCID", -1)) in kinds
        ):
            properties = kinds[int(operands[1].MCID)]
            operands = [Name.Artifact, Dictionary({key: properties[key] for key in properties})]
        instructions.append((operands, operator))
    return pikepdf.unparse_content_stream(instructions)


def _tidy(element, inside_link: bool = False) -> bool:
    """Below ``element``, in one walk: a Link inside a Link (left without an
    annotation) becomes a Span, text of the outer one; elements holding no content
    are removed. True if ``element`` holds some."""
    kids = element.get("/K")
    if isinstance(kids, Array):
        kids = list(kids)
        rewrite = False
    else:
        kids = [] if kids is None else [kids]
        rewrite = True  # K is always written as an array
    kept = []
    for kid in kids:
        if isinstance(kid, int):
            kept.append(kid)
            continue
        if not isinstance(kid, Dictionary):
            continue
        role = kid.get("/S")
        # A marked-content or object reference has no role (read first: most kids have).
        if role is None and kid.get("/Type") in (_MCR, _OBJR):
            kept.append(kid)
            continue
        is_link = role == _LINK
        if is_link and inside_link:
            kid.S = Name.Span
        if _tidy(kid, inside_link or is_link):
            kept.append(kid)
    if rewrite or len(kept) != len(kids):
        element.K = Array(kept)
    return bool(kept)
