"""Give a typeset PDF's structure tree the shape of the document, not of its pages.

WeasyPrint tags each page on its own: a section that crosses a page break becomes
two elements (the second without a heading), a paragraph split by the break two
paragraphs. A screen reader's "next section" then lands in the middle of one. Here,
after typesetting (pikepdf), the tree is reshaped:

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

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.pdf.sections import sectioned
from dnaoc_print.pdf.tree import is_element, kids_of
from dnaoc_print.typeset.weasyprint_adapter.tagging import NODE_KEY, READ_KEY, SHEET_END_KEY

# Names met in every walk of the tree, made once (pikepdf makes a new one each time).
_MCR, _NOTE, _LINK, _TOCI, _LI = Name.MCR, Name.Note, Name.Link, Name.TOCI, Name.LI
_LBODY, _LBL, _REFERENCE = Name.LBody, Name.Lbl, Name.Reference
# Types that only group boxes for the layout: one marked to read first is dissolved.
_GROUPS = (Name.Div, Name.NonStruct)
# The private keys typesetting writes on structure elements (weasyprint_adapter/
# tagging.py), read here and then taken out.
_PRIVATE_KEYS = (NODE_KEY, READ_KEY, SHEET_END_KEY)
# Types typesetting gives that PDF 1.7 does not define, and the standard type each is.
ROLE_MAP = {"/Em": Name.Span, "/Strong": Name.Span}
# The ID a credit read at the end of a sheet carries (a Note needs one, PDF/UA-1 7.9).
NOTE_ID = "sheet-credit-{page}"


def restructure(pdf: pikepdf.Pdf, document, parents: dict) -> None:
    """Reshape the tree under ``document`` (in place); ``parents`` is the parent
    tree (key: marked-content array of a page, or an annotation's element), kept
    pointing at the elements that hold each piece of content."""
    replaced: dict[tuple[int, int], pikepdf.Object] = {}
    notes = _take_sheet_ends(document)
    _merge_pieces(document, replaced)
    _put_sheet_ends(pdf, document, notes)
    roles: set[str] = set()
    _read_in_order(pdf, document, roles)
    sectioned(pdf, document)
    if replaced:
        _repoint(parents, replaced)
    _map_roles(pdf, roles)


def _node(element) -> int | None:
    value = element.get(NODE_KEY)
    return None if value is None else int(value)


def _take_sheet_ends(document) -> dict[int | None, pikepdf.Object]:
    """Take the credits drawn in page margins out of the Document element: for
    each sheet (its node), the one on its last page. The others, no longer in the
    tree, become page furniture (pdf_tags._mark_artifacts)."""
    notes: dict[int | None, pikepdf.Object] = {}
    kept = []
    sheet = None
    for kid in kids_of(document):
        if is_element(kid) and SHEET_END_KEY in kid:
            notes[sheet] = kid
        else:
            kept.append(kid)
            if is_element(kid):
                sheet = _node(kid)
    if notes:
        document.K = Array(kept)
    return notes


def _put_sheet_ends(pdf: pikepdf.Pdf, document, notes: dict) -> None:
    if not notes:
        return
    kids = []
    for kid in kids_of(document):
        kids.append(kid)
        note = notes.pop(_node(kid), None) if is_element(kid) else None
        if note is not None:
            kids.append(note)
    # A credit on a page with nothing else on it ends the document.
    kids.extend(notes.values())
    for index, kid in enumerate(kids):
        if is_element(kid) and kid.get("/S") == _NOTE:
            page = _page_number(pdf, kid)
            kid.ID = pikepdf.String(NOTE_ID.format(page=page if page is not None else index))
    document.K = Array(kids)


def _page_number(pdf: pikepdf.Pdf, element) -> int | None:
    page = element.get("/Pg")
    if page is None:
        return None
    for number, candidate in enumerate(pdf.pages):
        if candidate.obj.objgen == page.objgen:
            return number
    return None


def _merge_pieces(element, replaced: dict) -> None:
    """Make adjacent children made for the same HTML element (its pieces on
    successive pages, or an inline element's on successive lines) one element;
    ``replaced`` maps each piece taken in to the element that took it. Links stay
    one element per piece: each has its own annotation."""
    kids = kids_of(element)
    merged: list = []
    # The HTML element the last of ``merged`` was made for (None: not an element).
    previous_node = None
    for kid in kids:
        if not is_element(kid):
            merged.append(kid)
            previous_node = None
            continue
        node = _node(kid)
        if node is not None and node == previous_node and kid.get("/S") != _LINK:
            previous = merged[-1]
            _take_in(previous, kid)
            replaced[kid.objgen] = previous
            continue
        merged.append(kid)
        previous_node = node
    if len(merged) != len(kids):
        element.K = Array(merged)
    for kid in merged:
        if is_element(kid):
            _merge_pieces(kid, replaced)


def _take_in(element, piece) -> None:
    """Append ``piece``'s content to ``element``'s. Marked content named by number
    alone belongs to its element's page: from another page it is named with its page."""
    own_page = element.get("/Pg")
    piece_page = piece.get("/Pg")
    other_page = (
        piece_page is not None and own_page is not None and piece_page.objgen != own_page.objgen
    )
    kids = kids_of(element)
    for kid in kids_of(piece):
        if isinstance(kid, int) and other_page:
            kid = Dictionary(Type=_MCR, Pg=piece_page, MCID=kid)
        elif is_element(kid):
            kid.P = element
        kids.append(kid)
    element.K = Array(kids)


def _repoint(parents: dict, replaced: dict) -> None:
    def final(element):
        while element.objgen in replaced:
            element = replaced[element.objgen]
        return element

    for key, entry in parents.items():
        if isinstance(entry, Array):
            for index, element in enumerate(entry):
                if isinstance(element, Dictionary) and element.objgen in replaced:
                    entry[index] = final(element)
        elif isinstance(entry, Dictionary) and entry.objgen in replaced:
            parents[key] = final(entry)


def _read_in_order(pdf: pikepdf.Pdf, element, roles: set[str]) -> None:
    """Below ``element``: what is marked to read first moved to the front (a group
    so marked dissolved into its children); a list item's number beside its body;
    a contents entry's content as a Reference (see _contents_entry). In the same
    walk (the last to read them), typesetting's private keys are taken out of each
    element, and the types ROLE_MAP maps are added to ``roles``."""
    kids = kids_of(element)
    first, rest = [], []
    for kid in kids:
        if not is_element(kid):
            rest.append(kid)
            continue
        _read_in_order(pdf, kid, roles)
        read_first = READ_KEY in kid
        _finish_keys(kid, roles)
        if not read_first:
            rest.append(kid)
        elif kid.get("/S") in _GROUPS:
            first.extend(_adopted(element, kid))
        else:
            first.append(kid)
    ordered = first + rest
    role = element.get("/S")
    if role == _TOCI:
        ordered = _contents_entry(pdf, element, ordered)
    elif role == _LI:
        ordered = _label_first(element, ordered)
    if ordered != kids:
        element.K = Array(ordered)


def _contents_entry(pdf: pikepdf.Pdf, entry, kids: list) -> list:
    """A contents entry (TOCI) holds one Reference, holding the entry's link and
    its page number: PDF 1.7 lets a TOCI hold Lbl, Reference, NonStruct, P or TOC,
    not a Link (ISO 32000-1, table 333). The LBody a list item gets is dissolved."""
    content = [
        grandchild
        for kid in kids
        for grandchild in (
            _adopted(entry, kid) if is_element(kid) and kid.get("/S") == _LBODY else [kid]
        )
    ]
    if not content or (
        len(content) == 1 and is_element(content[0]) and content[0].get("/S") == _REFERENCE
    ):
        return content
    reference = Dictionary(Type=Name.StructElem, S=Name.Reference, P=entry, K=Array(content))
    if "/Pg" in entry:
        reference.Pg = entry.Pg
    reference = pdf.make_indirect(reference)
    for kid in content:
        if is_element(kid):
            kid.P = reference
    return [reference]


def _adopted(parent, group) -> list:
    """``group``'s children, now ``parent``'s."""
    kids = kids_of(group)
    for kid in kids:
        if is_element(kid):
            kid.P = parent
    return kids


def _label_first(item, kids: list) -> list:
    """A list item whose body begins with its label (Lbl): the label first, then
    the body holding the rest."""
    ordered = []
    for kid in kids:
        if is_element(kid) and kid.get("/S") == _LBODY:
            body = kids_of(kid)
            if body and is_element(body[0]) and body[0].get("/S") == _LBL:
                body[0].P = item
                ordered.append(body[0])
                kid.K = Array(body[1:])
        ordered.append(kid)
    return ordered


def _finish_keys(element, roles: set[str]) -> None:
    """Take typesetting's private keys out of the element; add its type to
    ``roles`` if PDF 1.7 lacks it (ROLE_MAP)."""
    for key in _PRIVATE_KEYS:
        if key in element:
            del element[key]
    role = str(element.get("/S"))
    if role in ROLE_MAP:
        roles.add(role)


def _map_roles(pdf: pikepdf.Pdf, roles: set[str]) -> None:
    """Role-map the types PDF 1.7 lacks that the tree uses."""
    if not roles:
        return
    root = pdf.Root.StructTreeRoot
    role_map = root.get("/RoleMap") or Dictionary()
    for role in sorted(roles):
        role_map[role] = ROLE_MAP[role]
    root.RoleMap = role_map
