"""Read a tagged PDF as a screen reader and a printer meet it: the structure tree
(pikepdf), and each text object and image with its marks, size and place (pdfium).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium
from pikepdf import Array, Dictionary, Name

POINTS_PER_MM = 72 / 25.4


@dataclass
class MarkedText:
    page: int
    mcid: int | None
    artifact: str | None  # the artifact's /Type, "" for an untyped one, None if content
    text: str
    size_pt: float
    box: tuple[float, float, float, float]  # left, bottom, right, top in points


@dataclass
class PdfTags:
    """A PDF's pages (text objects and their marks) and its structure tree."""

    path: Path
    pdf: pikepdf.Pdf
    texts: list[MarkedText] = field(default_factory=list)
    images: list[MarkedText] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path) -> PdfTags:
        facts = cls(Path(path), pikepdf.open(path))
        facts._read_pages()
        return facts

    # -- reading pages with pdfium ----------------------------------------------

    def _read_pages(self) -> None:
        document = pypdfium2.PdfDocument(str(self.path))
        try:
            for number in range(len(document)):
                page = document[number]
                self.page_sizes.append(page.get_size())
                textpage = page.get_textpage()
                # pdfium reads a mark's name parameter (an artifact's /Type) as
                # nothing: read the types from the content stream, text operator by
                # text operator, in the order pdfium lists the text objects.
                artifact_types = iter(_artifact_types(self.pdf.pages[number]))
                for item in page.get_objects(max_depth=10):
                    mcid, artifact = _marks(item)
                    if item.type == pdfium.FPDF_PAGEOBJ_TEXT:
                        if artifact is not None:
                            artifact = next(artifact_types, "") or artifact
                        text = _object_text(item, textpage)
                        size = ctypes.c_float()
                        pdfium.FPDFTextObj_GetFontSize(item.raw, ctypes.byref(size))
                        scale = _matrix_scale(item)
                        self.texts.append(
                            MarkedText(
                                number, mcid, artifact, text, size.value * scale, item.get_bounds()
                            )
                        )
                    elif item.type == pdfium.FPDF_PAGEOBJ_IMAGE:
                        pixels = item.get_px_size()
                        self.images.append(
                            MarkedText(
                                number,
                                mcid,
                                artifact,
                                f"{pixels[0]}x{pixels[1]}",
                                0,
                                item.get_bounds(),
                            )
                        )
        finally:
            document.close()

    def char_boxes(self) -> list[tuple[int, str, tuple[float, float, float, float]]]:
        """(page, character, tight box) of every printed character."""
        found = []
        document = pypdfium2.PdfDocument(str(self.path))
        try:
            for number in range(len(document)):
                textpage = document[number].get_textpage()
                for index in range(textpage.count_chars()):
                    char = textpage.get_text_range(index, 1)
                    if char.strip():
                        found.append((number, char, textpage.get_charbox(index)))
        finally:
            document.close()
        return found

    # -- the structure tree ---------------------------------------------------------

    @property
    def root(self):
        return self.pdf.Root.StructTreeRoot

    def page_index(self) -> dict:
        return {page.obj.objgen: number for number, page in enumerate(self.pdf.pages)}

    def elements(self):
        """Every structure element, depth first, as (element, depth, page)."""
        pages = self.page_index()
        found = []

        def walk(element, depth, page):
            if "/Pg" in element:
                page = pages.get(element.Pg.objgen, page)
            found.append((element, depth, page))
            for kid in kids(element):
                if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
                    walk(kid, depth + 1, page)

        for top in kids(self.root):
            walk(top, 0, None)
        return found

    def reading_order_marks(self) -> list[tuple[int, int]]:
        """(page, marked-content id) of the tree's content, in reading order."""
        pages = self.page_index()
        order = []

        def walk(element, page):
            if "/Pg" in element:
                page = pages.get(element.Pg.objgen, page)
            for kid in kids(element):
                if isinstance(kid, int):
                    order.append((page, kid))
                elif kid.get("/Type") == Name.MCR:
                    order.append((pages.get(kid.Pg.objgen, page), int(kid.MCID)))
                elif kid.get("/Type") != Name.OBJR:
                    walk(kid, page)

        for top in kids(self.root):
            walk(top, None)
        return order

    def text_of(self) -> dict[tuple[int, int], str]:
        """The text of each (page, marked-content id)."""
        found: dict[tuple[int, int], str] = {}
        for item in self.texts:
            if item.mcid is not None:
                key = (item.page, item.mcid)
                found[key] = found.get(key, "") + item.text
        return found

    def reading_order(self) -> list[tuple[int, str]]:
        """(page, text) of the tree's marked content, in the order a reader meets it."""
        text_of = self.text_of()
        return [(page, text_of.get((page, mcid), "")) for page, mcid in self.reading_order_marks()]

    def element_text(self, element) -> str:
        """The text an element holds, in reading order, white space folded."""
        text_of = self.text_of()
        pages = self.page_index()
        parts = []

        def walk(node, page):
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            for kid in kids(node):
                if isinstance(kid, int):
                    parts.append(text_of.get((page, kid), ""))
                elif isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
                    walk(kid, page)

        walk(element, None)
        return " ".join(" ".join(parts).split())


def _artifact_types(page) -> list[str | None]:
    """For each text-showing operator of the page's content, in order, the /Type of
    the innermost artifact it is drawn in ('' if untyped, None if not in one)."""
    stack: list[str | None] = []
    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            if operands[0] == Name.Artifact:
                properties = operands[1] if len(operands) > 1 else Dictionary()
                kind = properties.get("/Type") if isinstance(properties, Dictionary) else None
                stack.append(str(kind)[1:] if kind is not None else "")
            else:
                stack.append(stack[-1] if stack else None)
        elif name == "EMC" and stack:
            stack.pop()
        elif name in ("Tj", "TJ", "'", '"'):
            found.append(stack[-1] if stack else None)
    return [kind for kind in found if kind is not None]


def kids(element) -> list:
    value = element.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _marks(item) -> tuple[int | None, str | None]:
    mcid, artifact = None, None
    for index in range(pdfium.FPDFPageObj_CountMarks(item.raw)):
        mark = pdfium.FPDFPageObj_GetMark(item.raw, index)
        name = _mark_name(mark)
        value = ctypes.c_int()
        if pdfium.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(value)):
            mcid = value.value
        if name == "Artifact":
            artifact = _mark_string(mark, b"Type")
    return mcid, artifact


def _mark_name(mark) -> str:
    buffer = (ctypes.c_ushort * 128)()
    length = ctypes.c_ulong()
    pdfium.FPDFPageObjMark_GetName(mark, buffer, 256, ctypes.byref(length))
    return bytes(buffer)[: length.value].decode("utf-16-le").rstrip("\x00")


def _mark_string(mark, key: bytes) -> str:
    """A name or string parameter of a mark ('' when it has none)."""
    buffer = (ctypes.c_ushort * 128)()
    length = ctypes.c_ulong()
    if pdfium.FPDFPageObjMark_GetParamStringValue(mark, key, buffer, 256, ctypes.byref(length)):
        return bytes(buffer)[: length.value].decode("utf-16-le").rstrip("\x00")
    return ""


def _object_text(item, textpage) -> str:
    length = pdfium.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * (length // 2 + 1))()
    pdfium.FPDFTextObj_GetText(item.raw, textpage.raw, buffer, length)
    return bytes(buffer)[:length].decode("utf-16-le").rstrip("\x00")


def _matrix_scale(item) -> float:
    matrix = item.get_matrix()
    return abs(matrix.d) or abs(matrix.b) or 1.0
