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

Links: WeasyPrint gives every box inside a link its own annotation (an ``<a>``
round a QR code gets two: one for the link, one for the image). Only the outermost
Link element's keeps its annotation, so each link is one Link element with one
annotation. Each annotation's description (its ``/Contents``) comes from the
``data-description`` attribute of the link in the HTML; ``{page}`` in it is
replaced by the page number the link leads to. Structure elements left with
nothing in them (the helix's dots, say) are removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape

import pikepdf
from pikepdf import Array, Dictionary, Name

ARTIFACT_ROLE = "/Artifact"
PAGE_PLACEHOLDER = "{page}"

_MCR, _OBJR, _LINK, _ARTIFACT = Name.MCR, Name.OBJR, Name.Link, Name(ARTIFACT_ROLE)


def link_descriptions(html: str) -> dict[str, str]:
    """``data-description`` of each link in the HTML, by target (URL, or the
    destination name of a ``#fragment``); the first one for a target wins.

    Read with two regular expressions rather than an HTML parser, which would
    tokenise every tag of the document (a batch of 25 handouts has 2,000) for a few
    dozen links: attribute values are unescaped as a parser would, and links inside
    comments, scripts and style sheets are not links.
    """
    found: dict[str, str] = {}
    for match in _LINK_START.finditer(html):
        attributes = match["attributes"]
        if attributes is None:  # a comment, a script or a style sheet
            continue
        values: dict[str, str | None] = {}
        for attribute in _ATTRIBUTE.finditer(attributes):
            value = attribute["value"]
            if value is not None:
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                value = unescape(value)
            values[attribute["name"].lower()] = value
        href, description = values.get("href"), values.get("data-description")
        if href and description:
            found.setdefault(href[1:] if href.startswith("#") else href, description)
    return found


# The start tag of a link, its attributes as written; or what an HTML parser reads
# no tags in (a comment, the text of a script or a style sheet), to be skipped.
_LINK_START = re.compile(
    r"""<(?:
        !--.*?--
      | (?P<raw>script|style)\b.*?</(?P=raw)\s*
      | a(?=[\s/>])(?P<attributes>(?:[^>"']|"[^"]*"|'[^']*')*)
    )>""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# One attribute: its name and, if given, its value (quoted, or bare up to a space).
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s/>"'=][^\s/>=]*)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]*))?"""
)


def finish_tags(pdf: pikepdf.Pdf, descriptions: Mapping[str, str] | None = None) -> None:
    """Artifacts, one described annotation per link, no empty elements (in place)."""
    root = pdf.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, Array) else root.K
    numbers = root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    _mark_artifacts(pdf, document, parents)
    _one_annotation_per_link(pdf, document, parents)
    _describe_links(pdf, descriptions or {})
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


def _target(annotation) -> str | None:
    if "/Dest" in annotation:
        return str(annotation.Dest)
    action = annotation.get("/A")
    if action is not None and "/URI" in action:
        return str(action.URI)
    return None


def _outermost_link(element, document_key: tuple[int, int], cache: dict):
    """The highest Link element at or above ``element``, or None.

    Up the /P chain to the Document element or to an element already met (``cache``,
    by objgen): the annotations of one link share their ancestors.
    """
    chain = []
    link = None
    while element is not None:
        key = element.objgen
        if key == document_key:
            break
        if key in cache:
            link = cache[key]
            break
        chain.append((key, element))
        element = element.get("/P")
    for key, element in reversed(chain):
        if link is None and element.get("/S") == _LINK:
            link = element
        cache[key] = link
    return link


def _one_annotation_per_link(pdf: pikepdf.Pdf, document, parents: dict) -> None:
    kept: dict[tuple, Dictionary] = {}
    # The rectangle a kept annotation grows to cover its link's other boxes.
    grown: dict[tuple, list[float]] = {}
    document_key = document.objgen
    links: dict = {}
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        remaining = Array()
        for annotation in annotations:
            key = annotation.get("/StructParent")
            element = parents.get(int(key)) if key is not None else None
            link = _outermost_link(element, document_key, links) if element is not None else None
            if link is None:
                remaining.append(annotation)
                continue
            group = (link.objgen, _target(annotation))
            if group not in kept:
                kept[group] = annotation
                if element.objgen != link.objgen:
                    # Held by a box inside the link (an image): the Link holds it now.
                    _move_reference(annotation, element, link)
                    parents[int(key)] = link
                remaining.append(annotation)
                continue
            # The same link again, for a box inside it: one annotation covers both.
            covered = grown.get(group) or _corners(kept[group].Rect)
            grown[group] = _union(covered, _corners(annotation.Rect))
            element.K = Array([kid for kid in _kids(element) if not _refers_to(kid, annotation)])
            del parents[int(key)]
        page.obj.Annots = remaining
    # Written once each, as reading and writing a PDF array costs more than the sums.
    for group, corners in grown.items():
        kept[group].Rect = Array(corners)


def _move_reference(annotation, element, link) -> None:
    kids = _kids(element)
    reference = next(kid for kid in kids if _refers_to(kid, annotation))
    element.K = Array([kid for kid in kids if not _refers_to(kid, annotation)])
    link.K = Array([reference, *_kids(link)])


def _refers_to(kid, annotation) -> bool:
    return (
        isinstance(kid, Dictionary)
        and kid.get("/Type") == Name.OBJR
        and kid.Obj.objgen == annotation.objgen
    )


def _corners(rectangle) -> list[float]:
    corners = pikepdf.Rectangle(rectangle)
    return [corners.llx, corners.lly, corners.urx, corners.ury]


def _union(a: list[float], b: list[float]) -> list[float]:
    return [
        min(a[0], a[2], b[0], b[2]),
        min(a[1], a[3], b[1], b[3]),
        max(a[0], a[2], b[0], b[2]),
        max(a[1], a[3], b[1], b[3]),
    ]


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _describe_links(pdf: pikepdf.Pdf, descriptions: Mapping[str, str]) -> None:
    if not descriptions:
        return
    page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    destinations = {}
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        for name, destination in pikepdf.NameTree(pdf.Root.Names.Dests).items():
            destinations[name] = page_numbers.get(destination[0].objgen)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            target = _target(annotation)
            description = descriptions.get(target) if target is not None else None
            if description is None:
                continue
            if PAGE_PLACEHOLDER in description:
                number = destinations.get(target)
                description = description.replace(PAGE_PLACEHOLDER, str(number or ""))
            annotation.Contents = pikepdf.String(description)


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
