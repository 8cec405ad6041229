"""The spaces a line break leaves out, kept for the structure tree: where a line
broke at a space WeasyPrint does not draw, the piece of text beside it is read with
the space (``ActualText``), so text taken from the tree never joins two words.

WeasyPrint 70's ``weasyprint.layout.inline`` functions ``split_text_box``,
``remove_last_whitespace`` and ``get_next_linebox`` are wrapped to see where that
happens (contract tests in tests/test_weasyprint_contract.py).
"""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import InlineBox, LineBox, TextBox

# The piece of text a line ends with, where the line broke at a space WeasyPrint
# does not draw, reads with a space after it (ActualText); the piece a line begins
# with, where the space was skipped at the start of that line, with one before it.
_SPACE_AFTER = "dnaoc_space_after"
_SPACE_BEFORE = "dnaoc_space_before"
# On a piece of text: where (a byte offset) its next piece begins after spaces that
# no line draws.
_SPACE_AT = "dnaoc_space_at"


def spaced_words(box, tags) -> dict[int, str]:
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


def read_with_space(pdf, page_number, nums, mcid: int, text: str) -> None:
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


def remember_removed_spaces(original):
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


def remember_space_breaks(original):
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


def remember_skipped_spaces(original, skip_first_whitespace):
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
