"""Each part of a batch given a structure tree of its own, on the PDF as drawn, before
it is written (drawn.py): what splitting.py then copies into the part's own PDF.

A part's tree is the batch's, cut to the part's pages: a Document element holding the
top elements its pages' content is in, the parent tree renumbered from 0 (its pages,
then its annotations), the batch's role map, and an ID tree naming its elements that
carry an /ID (ISO 32000-1, table 322). Made here, where an element is a dictionary, it
costs a fraction of what the same walks cost through pikepdf after writing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pydyf

from dnaoc_print.pdf.drawn import Drawn, TextString, element, is_element


def part_roots(drawn: Drawn, parts: Sequence[Sequence[int]]) -> list[bytes]:
    """For each part (the indexes of its pages), a reference to a structure tree root
    of its own. Each page may belong to one part only: its marked content
    and annotations are renumbered for its part."""
    root = drawn.structure_root
    nums = root["ParentTree"]["Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    document = drawn.kids(root)[0]
    tops = _Tops(drawn, document)
    return [_part_root(drawn, root, parents, tops, pages) for pages in parts]


def _part_root(drawn: Drawn, batch_root, parents: dict, tops: _Tops, pages) -> bytes:
    numbers: list = []
    mapped: list[bytes] = []
    annotation_key = len(pages)
    for new_index, old_index in enumerate(pages):
        page = drawn[drawn.page_references[old_index]]
        marked = parents[page["StructParents"]]
        # Artifacts' entries are null.
        mapped.extend(reference for reference in marked if isinstance(reference, bytes))
        numbers += [new_index, marked]
        page["StructParents"] = new_index
        for reference in page.get("Annots", ()):
            annotation = drawn[reference]
            if "StructParent" in annotation:
                held_by = parents[annotation["StructParent"]]
                mapped.append(held_by)
                numbers += [annotation_key, held_by]
                annotation["StructParent"] = annotation_key
                annotation_key += 1
    root = drawn.add(
        pydyf.Dictionary(
            {
                "Type": "/StructTreeRoot",
                "ParentTree": pydyf.Dictionary({"Nums": pydyf.Array(numbers)}),
                "ParentTreeNextKey": annotation_key,
            }
        )
    )
    kids = tops.of(mapped)
    document = drawn.add(element("/Document", root, kids))
    root["K"] = pydyf.Array([document.reference])
    for kid in kids:
        kid["P"] = document.reference
    if "RoleMap" in batch_root:
        root["RoleMap"] = pydyf.Dictionary(batch_root["RoleMap"])
    _add_id_tree(drawn, root)
    return root.reference


class _Tops:
    """The children of the batch's Document element, and which of them holds each
    element (found once a batch: an element's ancestors are shared by its siblings)."""

    def __init__(self, drawn: Drawn, document) -> None:
        self._drawn = drawn
        self._document = document.number
        self._order = {kid.number: index for index, kid in enumerate(drawn.kids(document))}
        # The child of the Document element that holds an element (None: none does),
        # by the element's number.
        self._top: dict[int, pydyf.Dictionary | None] = {}

    def of(self, mapped: list[bytes]) -> list[pydyf.Dictionary]:
        """The children of the Document element that hold these elements, in order.

        WeasyPrint builds each page's tags from that page's boxes, so every element
        under the Document element belongs to exactly one page.
        """
        found: dict[int, pydyf.Dictionary] = {}
        for reference in mapped:
            top = self._top_of(self._drawn[reference])
            if top is not None:
                found.setdefault(top.number, top)
        last = len(self._order)
        return sorted(found.values(), key=lambda kid: self._order.get(kid.number, last))

    def _top_of(self, held: pydyf.Dictionary) -> pydyf.Dictionary | None:
        chain = []
        top = None
        while held.number not in self._top:
            if held.number == self._document:
                break
            chain.append(held.number)
            parent = self._drawn.parent(held)
            if parent is None:
                break
            if parent.number == self._document:
                top = held
                break
            held = parent
        else:
            top = self._top[held.number]
        for number in chain:
            self._top[number] = top
        return top


def _add_id_tree(drawn: Drawn, root) -> None:
    """The root's ID tree, naming every element under it with an /ID (none if none
    has one)."""
    named: dict[str, bytes] = {}
    stack = drawn.kids(root)
    while stack:
        kid = stack.pop()
        if not is_element(kid):
            continue
        if "ID" in kid:
            named.setdefault(str(kid["ID"].string), kid.reference)
        stack.extend(drawn.kids(kid))
    if named:
        names = pydyf.Array()
        for key in sorted(named):
            names += [TextString(key), named[key]]
        root["IDTree"] = drawn.add(pydyf.Dictionary({"Names": names})).reference
