"""Page furniture and decoration tagged as artifacts, not content; each element
marked for pdf/structure.py to finish the structure tree (the element it was made
for, the type and reading order a layout asks for); and the pieces of text beside a
line break at a space marked, so the tree reads the space (``ActualText``)."""

from __future__ import annotations

import threading

from weasyprint.formatting_structure.boxes import InlineBox, LineBox, MarginBox, PageBox, TextBox

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
        inline.remove_last_whitespace = _remember_removed_spaces(inline.remove_last_whitespace)
        inline.remove_last_whitespace.dnaoc_spaces = True
    if not getattr(inline.split_text_box, "dnaoc_spaces", False):
        inline.split_text_box = _remember_space_breaks(inline.split_text_box)
        inline.split_text_box.dnaoc_spaces = True
    if not getattr(inline.get_next_linebox, "dnaoc_spaces", False):
        inline.get_next_linebox = _remember_skipped_spaces(
            inline.get_next_linebox, inline.skip_first_whitespace
        )
        inline.get_next_linebox.dnaoc_spaces = True


# -- Hints for the structure tree, finished by pdf_structure.py ----------------------
# WeasyPrint tags each box for the page it is on, with the type its HTML tag maps to.
# To let pdf_structure.py make one element of an element's pieces on several pages,
# read it in the order a layout asks and give it the type a layout asks, each element
# carries private keys (NODE_KEY, READ_KEY, SHEET_END_KEY: see pdf_structure.py),
# which pdf_structure.py reads and takes out again.
# The attribute a layout gives an element's structure type with (data-pdf-tag="TOC").
TAG_ATTRIBUTE = "data-pdf-tag"
READ_ATTRIBUTE = "data-pdf-read"
# Inline HTML elements with a meaning WeasyPrint 70 tags as NonStruct: PDF 1.7 has no
# standard type for them, so they get these, role-mapped to Span (see pdf_structure).
INLINE_TYPES = {"em": "/Em", "i": "/Em", "strong": "/Strong", "b": "/Strong"}
# The piece of text a line ends with, where the line broke at a space WeasyPrint
# does not draw, reads with a space after it (ActualText); the piece a line begins
# with, where the space was skipped at the start of that line, with one before it.
_SPACE_AFTER = "dnaoc_space_after"
_SPACE_BEFORE = "dnaoc_space_before"
# On a piece of text: where (a byte offset) its next piece begins after spaces that
# no line draws.
_SPACE_AT = "dnaoc_space_at"
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
    spaced = {} if passed_through else _spaced_words(own, tags)
    for element in original(box, parent, pdf, page_number, nums, annotations, tags):
        if not passed_through:
            _add_hints(own, element)
        yield element
    for mcid, text in spaced.items():
        _read_with_space(pdf, page_number, nums, mcid, text)


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


def _spaced_words(box, tags) -> dict[int, str]:
    """Marked-content id and text as read (with its space) of each of the box's own
    pieces of text beside a line break at a space."""
    found = {}
    for child in getattr(box, "children", ()):
        pieces = child.children if isinstance(child, LineBox) else [child]
        for piece in pieces:
            if not isinstance(piece, TextBox) or piece not in tags:
                continue
            before = " " if getattr(piece, _SPACE_BEFORE, False) else ""
            after = " " if getattr(piece, _SPACE_AFTER, False) else ""
            if before or after:
                found[tags[piece]["mcid"]] = before + piece.text + after
    return found


def _read_with_space(pdf, page_number, nums, mcid: int, text: str) -> None:
    import pydyf

    element = pdf.objects[int(nums[mcid].split()[0])]
    if element["S"] == "/Link":
        # A link's text is its own marked content: give the piece an element of its
        # own, so the space is added to this piece only.
        piece = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": "/Span",
                "K": pydyf.Array([mcid]),
                "Pg": pdf.page_references[page_number],
                "P": element.reference,
            }
        )
        pdf.add_object(piece)
        kids = element["K"]
        kids[kids.index(mcid)] = piece.reference
        nums[mcid] = piece.reference
        element = piece
    element["ActualText"] = pydyf.String(text)


def _remember_removed_spaces(original):
    """WeasyPrint's remove_last_whitespace, marking the line's last word when it
    takes a space away (the space a line broke at)."""

    def remove_last_whitespace(context, line):
        last = _last_text(line)
        before = last.text if last is not None else None
        original(context, line)
        if last is None or last.text == before:
            return
        word = last if last.text else _last_text(line, non_empty=True)
        if word is not None:
            setattr(word, _SPACE_AFTER, True)

    return remove_last_whitespace


def _remember_space_breaks(original):
    """WeasyPrint's split_text_box, marking where a space of the text is not drawn:
    the piece it returns reads with a space after it when the text it took ends in
    spaces it leaves out (the line breaks there); when it returns no piece, only
    spaces, the piece that begins after them reads with a space before it."""

    def split_text_box(context, box, available_width, skip, *args, **kwargs):
        piece, resume, preserved_break = original(
            context, box, available_width, skip, *args, **kwargs
        )
        if preserved_break:
            return piece, resume, preserved_break
        text = box.text.encode()
        start = skip or 0
        end = len(text) if resume is None else resume
        drawn = len(piece.text.encode()) if piece is not None else 0
        left_out = text[start + drawn : end]
        if left_out and not left_out.strip(b" "):
            if piece is not None:
                setattr(piece, _SPACE_AFTER, True)
            elif resume is not None:
                setattr(box, _SPACE_AT, resume)
        if piece is not None and start and getattr(box, _SPACE_AT, None) == start:
            setattr(piece, _SPACE_BEFORE, True)
        return piece, resume, preserved_break

    return split_text_box


def _remember_skipped_spaces(original, skip_first_whitespace):
    """WeasyPrint's get_next_linebox, marking the first piece of text of a line
    that begins after a space skipped there (the line before ended with an inline
    element, the space after it left for this line)."""

    def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack, *args):
        skipped = skip_stack is not None and (
            skip_first_whitespace(linebox, skip_stack) not in (skip_stack, "continue")
        )
        line, resume_at = original(context, linebox, position_y, bottom_space, skip_stack, *args)
        if skipped and line is not None:
            first = _first_text(line)
            if first is not None:
                setattr(first, _SPACE_BEFORE, True)
        return line, resume_at

    return get_next_linebox


def _first_text(box):
    """The first piece of text holding text in a line."""
    for child in getattr(box, "children", ()):
        if isinstance(child, TextBox):
            if child.text:
                return child
        elif isinstance(child, (LineBox, InlineBox)):
            found = _first_text(child)
            if found is not None:
                return found
    return None


def _last_text(box, non_empty: bool = False):
    """The last text box of a line (the last holding text, if ``non_empty``)."""
    for child in reversed(getattr(box, "children", ())):
        if isinstance(child, TextBox):
            if child.text or not non_empty:
                return child
        elif isinstance(child, (LineBox, InlineBox)):
            found = _last_text(child, non_empty)
            if found is not None:
                return found
            if not non_empty:
                return None
        elif not non_empty:
            return None
    return None


_install_decoration_tagging()
