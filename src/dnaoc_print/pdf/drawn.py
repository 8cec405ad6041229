"""A PDF as WeasyPrint drew it, before it is written: pydyf's objects.

The structure tree is finished on these objects (tags.py), not on the written PDF:
here reading or changing an element is a Python dictionary's work, where after writing
QPDF would parse every element again and each access would cross into C++ (about 3 ms
a handout, a twentieth of its CPU).

pydyf's conventions, which everything here follows: a dictionary's keys are names
without their slash (``"S"``), a name value is a string with it (``"/P"``), and an
indirect object is referred to by the bytes of its reference (``b"12 0 R"``). A
structure element's kids (``K``) are marked-content ids (int), references to elements
or to object references (OBJR), and marked-content references (MCR, direct).
"""

from __future__ import annotations

from codecs import BOM_UTF16_BE

import pikepdf.codec  # noqa: F401 (registers the "pdfdoc" codec TextString uses)
import pydyf
from pydyf import _to_bytes


class Drawn:
    """A drawn PDF's objects, reached by reference."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self._objects = pdf.objects

    def __getitem__(self, reference: bytes) -> pydyf.Object:
        return self._objects[int(reference.split(b" ", 1)[0])]

    def resolved(self, value):
        """The object a reference refers to; any other value as it is."""
        return self[value] if isinstance(value, bytes) else value

    def add(self, thing: pydyf.Object) -> pydyf.Object:
        """``thing``, made an indirect object of the PDF."""
        self.pdf.add_object(thing)
        return thing

    def kids(self, element) -> list:
        """An element's kids, references resolved."""
        kids = element.get("K")
        if kids is None:
            return []
        if not isinstance(kids, list):
            kids = [kids]
        return [self[kid] if isinstance(kid, bytes) else kid for kid in kids]

    def parent(self, element):
        reference = element.get("P")
        return None if reference is None else self[reference]

    @property
    def page_references(self) -> tuple[bytes, ...]:
        return self.pdf.page_references

    @property
    def structure_root(self) -> pydyf.Dictionary:
        return self[self.pdf.catalog["StructTreeRoot"]]


def stream_bytes(stream: pydyf.Stream) -> bytes:
    """A stream's bytes as drawn (before any compression), as pydyf writes them."""
    return b"\n".join(_to_bytes(item) for item in stream.stream)


def set_kids(element, kids: list) -> None:
    """Write an element's kids (as Drawn.kids gives them) back."""
    element["K"] = pydyf.Array([as_value(kid) for kid in kids])


def as_value(thing):
    """An indirect object as its reference; anything else as it is."""
    if isinstance(thing, pydyf.Object) and thing.number is not None:
        return thing.reference
    return thing


def is_element(kid) -> bool:
    # A structure element has a type (S); a marked-content or object reference
    # (MCR, OBJR) has none, and a marked-content id is an int.
    return isinstance(kid, pydyf.Dictionary) and "S" in kid


class TextString(pydyf.String):
    """A text string, encoded as QPDF (and pikepdf) would encode it: in
    PDFDocEncoding where it can be, else in UTF-16 with its byte order mark. Written
    in hexadecimal, so that every byte (a carriage return too) reads back as it is."""

    @property
    def data(self) -> bytes:
        try:
            encoded = self.string.encode("pdfdoc_pikepdf")
        except UnicodeEncodeError:
            encoded = BOM_UTF16_BE + self.string.encode("utf-16-be")
        return b"<" + encoded.hex().encode() + b">"


def element(role: str, parent, kids: list, page: bytes | None = None) -> pydyf.Dictionary:
    """A new structure element (not yet indirect)."""
    made = pydyf.Dictionary(
        {"Type": "/StructElem", "S": role, "P": as_value(parent), "K": pydyf.Array()}
    )
    set_kids(made, kids)
    if page is not None:
        made["Pg"] = page
    return made
