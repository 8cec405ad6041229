"""The structure tree's plumbing: an element's kids, and the ID tree that names the
elements carrying an /ID (ISO 32000-1, table 322)."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary


def kids_of(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def is_element(kid) -> bool:
    # A structure element has a type (/S); a marked-content or object reference
    # (MCR, OBJR) has none. Asked of every node of every walk: kept cheap.
    return isinstance(kid, Dictionary) and "/S" in kid


def id_tree(pdf: pikepdf.Pdf) -> None:
    """Give the structure tree root an ID tree naming every element with an /ID
    (in place); take out one left from another tree if none has."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    named: dict[str, pikepdf.Object] = {}
    stack = kids_of(root)
    while stack:
        element = stack.pop()
        if not is_element(element):
            continue
        if "/ID" in element:
            named.setdefault(str(element.ID), element)
        stack.extend(kids_of(element))
    if not named:
        if "/IDTree" in root:
            del root["/IDTree"]
        return
    names = Array()
    for key in sorted(named):
        names.extend([pikepdf.String(key), named[key]])
    root.IDTree = pdf.make_indirect(Dictionary(Names=names))
