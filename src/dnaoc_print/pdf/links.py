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

import pydyf

from dnaoc_print.pdf.drawn import Drawn, TextString, set_kids

PAGE_PLACEHOLDER = "{page}"


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
    if "Dest" in annotation:
        return annotation["Dest"].string
    action = annotation.get("A")
    if action is not None and "URI" in action:
        return action["URI"].string
    return None


def _outermost_link(drawn: Drawn, element, document: int, cache: dict):
    """The highest Link element at or above ``element``, or None.

    Up the /P chain to the Document element (its number) or to an element already
    met (``cache``, by number): the annotations of one link share their ancestors.
    """
    chain = []
    link = None
    while element is not None:
        key = element.number
        if key == document:
            break
        if key in cache:
            link = cache[key]
            break
        chain.append((key, element))
        element = drawn.parent(element)
    for key, element in reversed(chain):
        if link is None and element.get("S") == "/Link":
            link = element
        cache[key] = link
    return link


def one_annotation_per_link(drawn: Drawn, document, parents: dict) -> None:
    kept: dict[tuple, pydyf.Dictionary] = {}
    # The rectangle a kept annotation grows to cover its link's other boxes.
    grown: dict[tuple, list[float]] = {}
    links: dict = {}
    for page_reference in drawn.page_references:
        page = drawn[page_reference]
        if "Annots" not in page:
            continue
        remaining = pydyf.Array()
        for reference in page["Annots"]:
            annotation = drawn[reference]
            key = annotation.get("StructParent")
            element = drawn[parents[key]] if key in parents else None
            link = None
            if element is not None:
                link = _outermost_link(drawn, element, document.number, links)
            if link is None:
                remaining.append(reference)
                continue
            group = (link.number, _target(annotation))
            if group not in kept:
                kept[group] = annotation
                if element.number != link.number:
                    # Held by a box inside the link (an image): the Link holds it now.
                    _move_reference(drawn, annotation, element, link)
                    parents[key] = link.reference
                remaining.append(reference)
                continue
            # The same link again, for a box inside it: one annotation covers both.
            covered = grown.get(group) or _corners(kept[group]["Rect"])
            grown[group] = _union(covered, _corners(annotation["Rect"]))
            set_kids(
                element,
                [kid for kid in drawn.kids(element) if not _refers_to(kid, annotation)],
            )
            del parents[key]
        page["Annots"] = remaining
    for group, corners in grown.items():
        kept[group]["Rect"] = pydyf.Array(corners)


def _move_reference(drawn: Drawn, annotation, element, link) -> None:
    kids = drawn.kids(element)
    reference = next(kid for kid in kids if _refers_to(kid, annotation))
    set_kids(element, [kid for kid in kids if not _refers_to(kid, annotation)])
    set_kids(link, [reference, *drawn.kids(link)])


def _refers_to(kid, annotation) -> bool:
    return (
        isinstance(kid, pydyf.Dictionary)
        and kid.get("Type") == "/OBJR"
        and kid["Obj"] == annotation.reference
    )


def _corners(rectangle) -> list[float]:
    """The lower left and upper right corners of a rectangle given by any two."""
    x1, y1, x2, y2 = (float(value) for value in rectangle)
    return [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]


def _union(a: list[float], b: list[float]) -> list[float]:
    corners = [
        min(a[0], a[2], b[0], b[2]),
        min(a[1], a[3], b[1], b[3]),
        max(a[0], a[2], b[0], b[2]),
        max(a[1], a[3], b[1], b[3]),
    ]
    # To the millionth, as pikepdf writes a number (pydyf would write 12.0000001 "12.").
    return [round(corner, 6) for corner in corners]


def describe_links(drawn: Drawn, descriptions: Mapping[str, str]) -> None:
    if not descriptions:
        return
    page_numbers = {reference: number for number, reference in enumerate(drawn.page_references, 1)}
    destinations = {}
    names = drawn.pdf.catalog.get("Names")
    if names is not None and "Dests" in names:
        listed = names["Dests"]["Names"]
        for name, destination in zip(listed[::2], listed[1::2], strict=True):
            destinations[name.string] = page_numbers.get(destination[0])
    for page_reference in drawn.page_references:
        for reference in drawn[page_reference].get("Annots", ()):
            annotation = drawn[reference]
            target = _target(annotation)
            description = descriptions.get(target) if target is not None else None
            if description is None:
                continue
            if PAGE_PLACEHOLDER in description:
                number = destinations.get(target)
                description = description.replace(PAGE_PLACEHOLDER, str(number or ""))
            annotation["Contents"] = TextString(description)
