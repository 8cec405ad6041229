"""Links in the structure tree: one Link element with one described annotation.

WeasyPrint gives every box inside a link its own annotation (an ``<a>`` round a QR
code gets two: one for the link, one for the image). Only the outermost Link
element's keeps its annotation. Each annotation's description (its ``/Contents``)
comes from the ``data-description`` attribute of the link in the HTML; ``{page}`` in
it is replaced by the page number the link leads to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.pdf.tree import kids_of

PAGE_PLACEHOLDER = "{page}"
_LINK = Name.Link


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


def one_annotation_per_link(pdf: pikepdf.Pdf, document, parents: dict) -> None:
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
            element.K = Array([kid for kid in kids_of(element) if not _refers_to(kid, annotation)])
            del parents[int(key)]
        page.obj.Annots = remaining
    # Written once each, as reading and writing a PDF array costs more than the sums.
    for group, corners in grown.items():
        kept[group].Rect = Array(corners)


def _move_reference(annotation, element, link) -> None:
    kids = kids_of(element)
    reference = next(kid for kid in kids if _refers_to(kid, annotation))
    element.K = Array([kid for kid in kids if not _refers_to(kid, annotation)])
    link.K = Array([reference, *kids_of(link)])


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


def describe_links(pdf: pikepdf.Pdf, descriptions: Mapping[str, str]) -> None:
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
