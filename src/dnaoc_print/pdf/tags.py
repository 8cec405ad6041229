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

All of it is done on the PDF as WeasyPrint drew it, before it is written (drawn.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import pydyf

from dnaoc_print.pdf.drawn import Drawn, is_element, set_kids
from dnaoc_print.pdf.links import describe_links, one_annotation_per_link
from dnaoc_print.pdf.structure import restructure

ARTIFACT_ROLE = "/Artifact"
# A null in a PDF array, as pydyf writes it.
_NULL = "null"


def finish_tags(pdf: pydyf.PDF, descriptions: Mapping[str, str] | None = None) -> None:
    """The tree in the document's shape (pdf_structure.restructure), artifacts, one
    described annotation per link, no empty elements (in place, before writing)."""
    drawn = Drawn(pdf)
    root = drawn.structure_root
    document = drawn.kids(root)[0]
    numbers = drawn.resolved(root["ParentTree"])["Nums"]
    parents = {numbers[i]: numbers[i + 1] for i in range(0, len(numbers), 2)}
    restructure(drawn, document, parents)
    _mark_artifacts(drawn, root, document, parents)
    one_annotation_per_link(drawn, document, parents)
    describe_links(drawn, descriptions or {})
    _tidy(drawn, document)
    root["ParentTree"] = pydyf.Dictionary(
        {"Nums": pydyf.Array([item for key in sorted(parents) for item in (key, parents[key])])}
    )


def _artifact_kind(drawn: Drawn, element, ends: tuple, in_tree: set, cache: dict) -> bytes | None:
    """The artifact properties (as written in a content stream) for an element's
    marked content, or None for content.

    ``ends`` holds the numbers of the StructTreeRoot and the Document element, where
    the walk up stops; ``cache`` the kind of each element met (by number), as an
    element's ancestors are shared by its siblings.
    """
    root_key, document_key = ends
    chain = []
    kind = None
    while True:
        key = element.number
        if key in cache:
            kind = cache[key]
            break
        chain.append(key)
        if element.get("S") == ARTIFACT_ROLE:
            kind = _properties(
                element.get("ArtifactType", "/Layout"), element.get("ArtifactSubtype")
            )
            break
        parent = drawn.parent(element)
        if parent is None or parent.number == root_key:
            break
        if parent.number == document_key:
            # Built by WeasyPrint for a page-margin box, but never linked in.
            kind = None if key in in_tree else _properties("/Pagination", None)
            break
        element = parent
    for key in chain:
        cache[key] = kind
    return kind


def _properties(kind: str, subtype: str | None) -> bytes:
    # As pikepdf writes a dictionary: keys sorted, spaced (the same bytes as before
    # tags were finished on the drawn PDF).
    if subtype is None:
        return f"<< /Type {kind} >>".encode()
    return f"<< /Subtype {subtype} /Type {kind} >>".encode()


def _mark_artifacts(drawn: Drawn, root, document, parents: dict) -> None:
    in_tree = {kid.number for kid in drawn.kids(document) if is_element(kid)}
    ends = (root.number, document.number)
    cache: dict = {}
    for page_reference in drawn.page_references:
        page = drawn[page_reference]
        entries = parents.get(page.get("StructParents"))
        if not isinstance(entries, list):
            continue
        kinds = {}
        for mcid, reference in enumerate(entries):
            if isinstance(reference, bytes):
                kind = _artifact_kind(drawn, drawn[reference], ends, in_tree, cache)
                if kind:
                    kinds[mcid] = kind
        if not kinds:
            continue
        found = _artifacts_in(drawn[page["Contents"]], kinds)
        # What an element with opacity holds is drawn in a group (a form XObject) with
        # the page's marked-content ids: looked for there only when the page lacks some.
        for form in _forms(drawn, page) if len(found) < len(kinds) else ():
            found |= _artifacts_in(form, {key: kinds[key] for key in kinds if key not in found})
        if len(found) < len(kinds):
            # Loudly, rather than leave marked content the tree no longer holds.
            raise RuntimeError(
                "a page's marked content is not drawn as WeasyPrint 70 draws it (tag, "
                "property list, BDC), in its content or its groups: see "
                "tests/test_weasyprint_contract.py"
            )
        for mcid in kinds:
            entries[mcid] = _NULL


def _forms(drawn: Drawn, page) -> list[pydyf.Stream]:
    """The form XObjects a page's resources hold (WeasyPrint gives every page, and
    every group on it, the same resources)."""
    resources = drawn.resolved(page.get("Resources")) or {}
    xobjects = drawn.resolved(resources.get("XObject")) or {}
    forms = [drawn.resolved(value) for value in xobjects.values()]
    return [
        form
        for form in forms
        if isinstance(form, pydyf.Stream) and form.extra.get("Subtype") == "/Form"
    ]


def _artifacts_in(stream: pydyf.Stream, kinds: dict[int, bytes]) -> set[int]:
    """The MCIDs among ``kinds`` whose marked content this stream holds, each made an
    artifact of its kind there.

    WeasyPrint begins each marked-content sequence with three items of its content
    stream: the tag ("/P"), the property list holding the MCID (a pydyf Dictionary) and
    BDC (a contract test in tests/test_weasyprint_contract.py checks it). Each is made
    one item, "/Artifact <<...>> BDC". A changed stream is left for the PDF's last
    writer to compress (as a stream made anew would be).
    """
    items = stream.stream
    changed: list = []
    found = set()
    index = 0
    while index < len(items):
        item = items[index]
        if (
            isinstance(item, pydyf.Dictionary)
            and item.get("MCID") in kinds
            and items[index + 1 : index + 2] == [b"BDC"]
            and changed
            and isinstance(changed[-1], str)
        ):
            found.add(item["MCID"])
            changed[-1] = b"/Artifact " + kinds[item["MCID"]] + b" BDC"
            index += 2
            continue
        changed.append(item)
        index += 1
    if found:
        stream.stream = changed
        stream.compress = False
    return found


def _tidy(drawn: Drawn, element, inside_link: bool = False) -> bool:
    """Below ``element``, in one walk: a Link inside a Link (left without an
    annotation) becomes a Span, text of the outer one; elements holding no content
    are removed. True if ``element`` holds some."""
    kids = drawn.kids(element)
    kept = []
    for kid in kids:
        if isinstance(kid, int):
            kept.append(kid)
            continue
        if not isinstance(kid, pydyf.Dictionary):
            continue
        # A marked-content or object reference has no role (read first: most kids have).
        if not is_element(kid):
            if kid.get("Type") in ("/MCR", "/OBJR"):
                kept.append(kid)
            continue
        is_link = kid["S"] == "/Link"
        if is_link and inside_link:
            kid["S"] = "/Span"
        if _tidy(drawn, kid, inside_link or is_link):
            kept.append(kid)
    if len(kept) != len(kids) or not isinstance(element.get("K"), list):
        set_kids(element, kept)
    return bool(kept)
