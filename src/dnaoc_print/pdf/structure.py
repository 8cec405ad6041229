"""Give a typeset PDF's structure tree the shape of the document, not of its pages.

WeasyPrint tags each page on its own: a section that crosses a page break becomes
two elements (the second without a heading), a paragraph split by the break two
paragraphs. A screen reader's "next section" then lands in the middle of one. Here,
after typesetting and before the PDF is written (on pydyf's objects, drawn.py), the
tree is reshaped:

- the pieces of one HTML element on successive pages become one element again
  (typesetting numbers each element with the HTML element it was made for, see
  weasyprint_adapter: ``NODE_KEY``);
- what a page margin holds that must be read (a handout's credit, marked
  ``SHEET_END_KEY``) is read once, after the sheet it ends; its copies on the
  sheet's other pages become page furniture (pagination artifacts);
- an element a layout marks ``data-pdf-read="first"`` is read before its siblings
  (a story card's heading and text before its QR code), and a Div or NonStruct so
  marked gives way to its children (it only groups boxes for the layout);
- a list item's number (Lbl) is its item's first child, beside its LBody, and a
  contents entry (TOCI) holds a Reference holding its link and page number;
- a section (Sect) holds its heading and everything up to the next heading of its
  level: one that holds a second heading of its own level is split there, and the
  lower headings in it open sections nested in it;
- Em and Strong (not standard types in PDF 1.7) are role-mapped to Span.

``id_tree`` gives a tree whose elements carry IDs the ID tree ISO 32000-1 asks for
(table 322): a handout's credit does, and so would a table's header cells.
"""

from __future__ import annotations

import pydyf

from dnaoc_print.pdf.drawn import Drawn, TextString, as_value, element, is_element, set_kids
from dnaoc_print.pdf.sections import sectioned
from dnaoc_print.typeset.weasyprint_adapter.tagging import NODE_KEY, READ_KEY, SHEET_END_KEY

# Types that only group boxes for the layout: one marked to read first is dissolved.
_GROUPS = ("/Div", "/NonStruct")
# The private keys typesetting writes on structure elements (weasyprint_adapter/
# tagging.py), read here and then taken out.
_NODE, _READ, _SHEET_END = NODE_KEY[1:], READ_KEY[1:], SHEET_END_KEY[1:]
# Types typesetting gives that PDF 1.7 does not define, and the standard type each is.
ROLE_MAP = {"/Em": "/Span", "/Strong": "/Span"}
# The ID a credit read at the end of a sheet carries (a Note needs one, PDF/UA-1 7.9).
NOTE_ID = "sheet-credit-{page}"


def restructure(drawn: Drawn, document, parents: dict) -> None:
    """Reshape the tree under ``document`` (in place); ``parents`` is the parent
    tree (key: marked-content array of a page, or an annotation's element), kept
    pointing at the elements that hold each piece of content."""
    replaced: dict[int, pydyf.Dictionary] = {}
    notes = _take_sheet_ends(drawn, document)
    _merge_pieces(drawn, document, replaced)
    _put_sheet_ends(drawn, document, notes)
    roles: set[str] = set()
    _read_in_order(drawn, document, roles)
    sectioned(drawn, document)
    if replaced:
        _repoint(drawn, parents, replaced)
    _map_roles(drawn, roles)


def _take_sheet_ends(drawn: Drawn, document) -> dict:
    """Take the credits drawn in page margins out of the Document element: for
    each sheet (its node), the one on its last page. The others, no longer in the
    tree, become page furniture (pdf_tags._mark_artifacts)."""
    notes: dict = {}
    kept = []
    sheet = None
    for kid in drawn.kids(document):
        if is_element(kid) and _SHEET_END in kid:
            notes[sheet] = kid
        else:
            kept.append(kid)
            if is_element(kid):
                sheet = kid.get(_NODE)
    if notes:
        set_kids(document, kept)
    return notes


def _put_sheet_ends(drawn: Drawn, document, notes: dict) -> None:
    if not notes:
        return
    kids = []
    for kid in drawn.kids(document):
        kids.append(kid)
        note = notes.pop(kid.get(_NODE), None) if is_element(kid) else None
        if note is not None:
            kids.append(note)
    # A credit on a page with nothing else on it ends the document.
    kids.extend(notes.values())
    pages = drawn.page_references
    for index, kid in enumerate(kids):
        if is_element(kid) and kid.get("S") == "/Note":
            page = pages.index(kid["Pg"]) if kid.get("Pg") in pages else index
            kid["ID"] = TextString(NOTE_ID.format(page=page))
    set_kids(document, kids)


def _merge_pieces(drawn: Drawn, parent, replaced: dict) -> None:
    """Make adjacent children made for the same HTML element (its pieces on
    successive pages, or an inline element's on successive lines) one element;
    ``replaced`` maps each piece taken in (by number) to the element that took it.
    Links stay one element per piece: each has its own annotation."""
    kids = drawn.kids(parent)
    merged: list = []
    # The HTML element the last of ``merged`` was made for (None: not an element).
    previous_node = None
    for kid in kids:
        if not is_element(kid):
            merged.append(kid)
            previous_node = None
            continue
        node = kid.get(_NODE)
        if node is not None and node == previous_node and kid["S"] != "/Link":
            previous = merged[-1]
            _take_in(drawn, previous, kid)
            replaced[kid.number] = previous
            continue
        merged.append(kid)
        previous_node = node
    if len(merged) != len(kids):
        set_kids(parent, merged)
    for kid in merged:
        if is_element(kid):
            _merge_pieces(drawn, kid, replaced)


def _take_in(drawn: Drawn, taker, piece) -> None:
    """Append ``piece``'s content to ``taker``'s. Marked content named by number
    alone belongs to its element's page: from another page it is named with its page."""
    own_page = taker.get("Pg")
    piece_page = piece.get("Pg")
    other_page = piece_page is not None and own_page is not None and piece_page != own_page
    kids = drawn.kids(taker)
    for kid in drawn.kids(piece):
        if isinstance(kid, int) and other_page:
            kid = pydyf.Dictionary({"Type": "/MCR", "Pg": piece_page, "MCID": kid})
        elif is_element(kid):
            kid["P"] = taker.reference
        kids.append(kid)
    set_kids(taker, kids)


def _repoint(drawn: Drawn, parents: dict, replaced: dict) -> None:
    def final(reference: bytes) -> bytes:
        number = int(reference.split(b" ", 1)[0])
        if number not in replaced:
            return reference
        taker = replaced[number]
        while taker.number in replaced:
            taker = replaced[taker.number]
        return taker.reference

    for key, entry in parents.items():
        if isinstance(entry, list):
            for index, reference in enumerate(entry):
                if isinstance(reference, bytes):
                    entry[index] = final(reference)
        elif isinstance(entry, bytes):
            parents[key] = final(entry)


def _read_in_order(drawn: Drawn, parent, roles: set[str]) -> None:
    """Below ``parent``: what is marked to read first moved to the front (a group
    so marked dissolved into its children); a list item's number beside its body;
    a contents entry's content as a Reference (see _contents_entry). In the same
    walk (the last to read them), typesetting's private keys are taken out of each
    element, and the types ROLE_MAP maps are added to ``roles``."""
    kids = drawn.kids(parent)
    first, rest = [], []
    for kid in kids:
        if not is_element(kid):
            rest.append(kid)
            continue
        _read_in_order(drawn, kid, roles)
        read_first = _READ in kid
        _finish_keys(kid, roles)
        if not read_first:
            rest.append(kid)
        elif kid["S"] in _GROUPS:
            first.extend(_adopted(drawn, parent, kid))
        else:
            first.append(kid)
    ordered = first + rest
    role = parent.get("S")
    if role == "/TOCI":
        ordered = _contents_entry(drawn, parent, ordered)
    elif role == "/LI":
        ordered = _label_first(drawn, parent, ordered)
    # By identity: two elements alike in every entry are still two elements.
    if len(ordered) != len(kids) or any(a is not b for a, b in zip(ordered, kids, strict=True)):
        set_kids(parent, ordered)


def _contents_entry(drawn: Drawn, entry, kids: list) -> list:
    """A contents entry (TOCI) holds one Reference, holding the entry's link and
    its page number: PDF 1.7 lets a TOCI hold Lbl, Reference, NonStruct, P or TOC,
    not a Link (ISO 32000-1, table 333). The LBody a list item gets is dissolved."""
    content = [
        grandchild
        for kid in kids
        for grandchild in (
            _adopted(drawn, entry, kid) if is_element(kid) and kid["S"] == "/LBody" else [kid]
        )
    ]
    if not content or (
        len(content) == 1 and is_element(content[0]) and content[0]["S"] == "/Reference"
    ):
        return content
    reference = drawn.add(element("/Reference", entry, content, entry.get("Pg")))
    for kid in content:
        if is_element(kid):
            kid["P"] = reference.reference
    return [reference]


def _adopted(drawn: Drawn, parent, group) -> list:
    """``group``'s children, now ``parent``'s."""
    kids = drawn.kids(group)
    for kid in kids:
        if is_element(kid):
            kid["P"] = as_value(parent)
    return kids


def _label_first(drawn: Drawn, item, kids: list) -> list:
    """A list item whose body begins with its label (Lbl): the label first, then
    the body holding the rest."""
    ordered = []
    for kid in kids:
        if is_element(kid) and kid["S"] == "/LBody":
            body = drawn.kids(kid)
            if body and is_element(body[0]) and body[0]["S"] == "/Lbl":
                body[0]["P"] = item.reference
                ordered.append(body[0])
                set_kids(kid, body[1:])
        ordered.append(kid)
    return ordered


def _finish_keys(kid, roles: set[str]) -> None:
    """Take typesetting's private keys out of the element; add its type to
    ``roles`` if PDF 1.7 lacks it (ROLE_MAP)."""
    for key in (_NODE, _READ, _SHEET_END):
        kid.pop(key, None)
    if kid["S"] in ROLE_MAP:
        roles.add(kid["S"])


def _map_roles(drawn: Drawn, roles: set[str]) -> None:
    """Role-map the types PDF 1.7 lacks that the tree uses."""
    if not roles:
        return
    root = drawn.structure_root
    role_map = root.get("RoleMap") or pydyf.Dictionary()
    for role in sorted(roles):
        role_map[role[1:]] = ROLE_MAP[role]
    root["RoleMap"] = role_map
