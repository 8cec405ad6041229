"""Page furniture and decoration tagged as artifacts, not content; each element
marked for pdf/structure.py to finish the structure tree (the element it was made
for, the type and reading order a layout asks for); and the pieces of text beside a
line break at a space marked, so the tree reads the space (``ActualText``)."""

from __future__ import annotations

import threading

from weasyprint.formatting_structure.boxes import MarginBox, PageBox

from dnaoc_print.typeset.weasyprint_adapter.spaces import (
    read_with_space,
    remember_removed_spaces,
    remember_skipped_spaces,
    remember_space_breaks,
    spaced_words,
)

# Private keys on a structure element, read and taken out again by pdf/structure.py:
# the HTML element it was made for, a reading order asked for, and the end of a sheet.
NODE_KEY = "/DnaocNode"  # the HTML element (numbered in document order) it was made for
READ_KEY = "/DnaocRead"  # its data-pdf-read ("first": read before its siblings)
SHEET_END_KEY = "/DnaocSheetEnd"  # drawn in a page margin, read at the end of its sheet


# -- Page furniture and decoration left out of the structure tree -------------------
# WeasyPrint 70 tags every box it draws and has no public way to mark one as an
# artifact. What it draws in a page margin (running title, page number, footer), and
# an element with aria-hidden="true" (decoration: the cover's helix, a pull quote
# repeating the text, ruled note lines), is tagged under a marker element that is
# never linked into the tree; pdf_tags.finish_tags turns the marked content under it
# into an artifact of the marker's type. This replaces a private function of
# weasyprint.pdf.tags; tests/test_accessibility.py has a contract test for it.
ARTIFACT_ROLE = "/Artifact"


def _artifact_of(box) -> tuple[str, str | None] | None:
    """(artifact type, subtype) for a box to tag apart, or None for content."""
    if isinstance(box, MarginBox):
        side = box.at_keyword.split("-")[0]
        return "/Pagination", {"@top": "/Header", "@bottom": "/Footer"}.get(side)
    element = getattr(box, "element", None)
    if (
        element is not None
        and getattr(box, "element_tag", None) == element.tag
        and element.get("aria-hidden") == "true"
    ):
        return "/Layout", None
    return None


def _tag_decoration_apart(original):
    import pydyf

    building: set[int] = set()

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        own = getattr(box, "_box", box)
        if isinstance(own, PageBox) and page_number == 0:
            _TAGGING.nodes = {}  # a new document: its elements are numbered afresh
        artifact = None if id(own) in building else _artifact_of(own)
        if artifact is None:
            yield from _tagged_with_hints(
                original, box, parent, (pdf, page_number, nums, annotations, tags)
            )
            return
        if isinstance(own, MarginBox):
            # What a page margin holds that the reader must hear (a handout's credit)
            # is tagged as content, after the page's own content.
            kept = [child for child in own.children if _structure_hint(child)]
            for child in kept:
                for element in build_box_tree(
                    child, parent, pdf, page_number, nums, annotations, tags
                ):
                    element[SHEET_END_KEY[1:]] = "true"
                    yield element
            children = [child for child in own.children if child not in kept]
        else:
            children = [box]
        kind, subtype = artifact
        marker = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": ARTIFACT_ROLE,
                "K": pydyf.Array(),
                "P": parent.reference,
                "ArtifactType": kind,
            }
        )
        if subtype:
            marker["ArtifactSubtype"] = subtype
        pdf.add_object(marker)
        building.add(id(own))
        try:
            # Built (so its marked content is accounted for) but not yielded: not linked.
            for child in children:
                for _ in original(child, marker, pdf, page_number, nums, annotations, tags):
                    pass
        finally:
            building.discard(id(own))

    return build_box_tree


def _install_decoration_tagging() -> None:
    from weasyprint.layout import inline
    from weasyprint.pdf import tags

    if not getattr(tags._build_box_tree, "dnaoc_decoration", False):
        tags._build_box_tree = _tag_decoration_apart(tags._build_box_tree)
        tags._build_box_tree.dnaoc_decoration = True
    if not getattr(inline.remove_last_whitespace, "dnaoc_spaces", False):
        inline.remove_last_whitespace = remember_removed_spaces(inline.remove_last_whitespace)
        inline.remove_last_whitespace.dnaoc_spaces = True
    if not getattr(inline.split_text_box, "dnaoc_spaces", False):
        inline.split_text_box = remember_space_breaks(inline.split_text_box)
        inline.split_text_box.dnaoc_spaces = True
    if not getattr(inline.get_next_linebox, "dnaoc_spaces", False):
        inline.get_next_linebox = remember_skipped_spaces(
            inline.get_next_linebox, inline.skip_first_whitespace
        )
        inline.get_next_linebox.dnaoc_spaces = True


# -- Hints for the structure tree, finished by pdf/structure.py ----------------------
# WeasyPrint tags each box for the page it is on, with the type its HTML tag maps to.
# To let pdf/structure.py make one element of an element's pieces on several pages,
# read it in the order a layout asks and give it the type a layout asks, each element
# carries private keys (NODE_KEY, READ_KEY, SHEET_END_KEY: see pdf/structure.py),
# which pdf/structure.py reads and takes out again.
# The attribute a layout gives an element's structure type with (data-pdf-tag="TOC").
TAG_ATTRIBUTE = "data-pdf-tag"
READ_ATTRIBUTE = "data-pdf-read"
# Inline HTML elements with a meaning WeasyPrint 70 tags as NonStruct: PDF 1.7 has no
# standard type for them, so they get these, role-mapped to Span (see pdf_structure).
INLINE_TYPES = {"em": "/Em", "i": "/Em", "strong": "/Strong", "b": "/Strong"}
# The number of each HTML element (by id and tag) met in the document being tagged,
# for this thread (one document is tagged at a time in each).
_TAGGING = threading.local()


def _structure_hint(box) -> str | None:
    """The structure type a box's element asks for: its data-pdf-tag, or that of
    its inline tag (em, strong); None for WeasyPrint's own."""
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", None)
    if element is None or not isinstance(tag, str):
        return None
    if tag == element.tag:
        if element.get(TAG_ATTRIBUTE):
            return "/" + element.get(TAG_ATTRIBUTE)
        return INLINE_TYPES.get(tag)
    if tag == "li::before":
        # The number a numbered list draws before each item (ol.questions).
        return "/Lbl"
    return None


def _tagged_with_hints(original, box, parent, context):
    """WeasyPrint's elements for a box, with the keys above and the type asked for;
    the last word of each line that broke at a space read with a space after it."""
    pdf, page_number, nums, annotations, tags = context
    own = getattr(box, "_box", box)
    element_tag = getattr(own, "element_tag", None)
    passed_through = isinstance(own, PageBox) or element_tag in ("html", "body")
    spaced = {} if passed_through else spaced_words(own, tags)
    made = []
    for element in original(box, parent, pdf, page_number, nums, annotations, tags):
        if not passed_through:
            _add_hints(own, element)
            made.append(element)
        yield element
    for mcid, text in spaced.items():
        read_with_space(pdf, page_number, nums, mcid, text)
    for element in made:
        _fold_text_spans(pdf, element, nums)


# -- One element fewer for each piece of text ----------------------------------------
# WeasyPrint 70 tags each piece of text (a line's part of a text box) as a Span of its
# own, holding the piece's one marked-content id, inside the element of its box: two
# fifths of a handout's structure elements. A Span that says nothing more (no
# ActualText: see spaces.py) is folded into its element, which then holds the
# marked-content id itself, as ISO 32000-1 allows (14.7.4.2: an element's kids may be
# marked-content ids of its page). The same text, in the same order, read the same way;
# a tree that much smaller to read, reshape and split. The folded Span is left with
# nothing pointing at it, so it is not in any PDF the build writes: QPDF (a guide's last
# save) and pdf/part_writer.py (each handout) write only what is reachable. (Marking it
# free in pydyf would also spare writing it, but pydyf's compressed cross-reference
# stream then numbers the objects after it wrongly.) Not into an element whose children
# pdf/structure.py may hand to another (a group read first, a list item's body, a
# contents entry, a section): a Span moves with a parent it names; a bare
# marked-content id would not.
_PLAIN_SPAN = {"Type", "S", "K", "Pg", "P"}
_REGROUPED = {"/Div", "/NonStruct", "/LBody", "/TOCI", "/Sect"}


def _fold_text_spans(pdf, element, nums) -> None:
    if element.get("S") in _REGROUPED:
        return
    kids = element["K"]
    for index, kid in enumerate(kids):
        if not isinstance(kid, bytes):
            continue
        span = pdf.objects[int(kid.split()[0])]
        if (
            span.get("S") != "/Span"
            or span.keys() != _PLAIN_SPAN
            or len(span["K"]) != 1
            or not isinstance(span["K"][0], int)
            or span["Pg"] != element.get("Pg")
        ):
            continue
        mcid = span["K"][0]
        kids[index] = mcid
        nums[mcid] = element.reference


def _add_hints(box, element) -> None:
    node = _node(box)
    if node is not None:
        element[NODE_KEY[1:]] = node
    hint = _structure_hint(box)
    # A list item without a bullet is tagged LI holding LBody, both for its box: the
    # type asked for is the LI's.
    if hint is not None and element["S"] != "/LBody":
        element["S"] = hint
    html_element = getattr(box, "element", None)
    own_box = html_element is not None and box.element_tag == html_element.tag
    if own_box and html_element.get(READ_ATTRIBUTE) == "first":
        element[READ_KEY[1:]] = "/First"


def _node(box) -> int | None:
    element = getattr(box, "element", None)
    if element is None:
        return None
    nodes = _TAGGING.__dict__.setdefault("nodes", {})
    return nodes.setdefault((id(element), str(box.element_tag)), len(nodes))


_install_decoration_tagging()
