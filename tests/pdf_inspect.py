"""Read a PDF the way a reader would: its text, pages, fonts, links and QR codes."""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import zxingcpp
from fontTools.ttLib import TTFont
from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4
A4_MM = (210, 297)


@dataclass
class PdfFacts:
    path: Path
    reader: PdfReader

    @classmethod
    def open(cls, path: Path) -> PdfFacts:
        return cls(path, PdfReader(path))

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def page_sizes_mm(self) -> list[tuple[int, int]]:
        return [
            (
                round(float(page.mediabox.width) / POINTS_PER_MM),
                round(float(page.mediabox.height) / POINTS_PER_MM),
            )
            for page in self.reader.pages
        ]

    def text(self) -> str:
        """All text as pdfium extracts it, with runs of white space folded."""
        document = pypdfium2.PdfDocument(self.path)
        try:
            pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        finally:
            document.close()
        return " ".join(" ".join(pages).split())

    def page_texts(self) -> list[str]:
        """Each page's text, lines separated by newlines."""
        document = pypdfium2.PdfDocument(self.path)
        try:
            return [
                document[i].get_textpage().get_text_range().replace("\r\n", "\n")
                for i in range(len(document))
            ]
        finally:
            document.close()

    def outline(self) -> list[tuple[str, int]]:
        """Bookmarks, depth first, as (title, 1-based page number)."""
        entries = []

        def walk(items):
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    entries.append((item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline)
        return entries

    def is_tagged(self) -> bool:
        root = self.reader.trailer["/Root"]
        mark_info = root.get("/MarkInfo")
        return "/StructTreeRoot" in root and bool(mark_info and mark_info.get("/Marked"))

    def structure_alt_texts(self, role: str = "/Figure") -> list[str]:
        """Alternative texts of the structure elements of one role (figures by default)."""
        found = []
        seen = set()

        def walk(reference):
            node = reference.get_object()
            key = getattr(reference, "idnum", None) or id(node)
            if key in seen:
                return
            seen.add(key)
            if hasattr(node, "get"):
                if node.get("/S") == role:
                    found.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
            else:
                kids = node
            if isinstance(kids, list):
                for kid in kids:
                    if not isinstance(kid, int):
                        walk(kid)
            elif kids is not None and not isinstance(kids, int):
                walk(kids)

        walk(self.reader.trailer["/Root"]["/StructTreeRoot"])
        return found

    def structure_problems(self) -> list[str]:
        """What is wrong with the tag tree, as a list of problems (empty when sound).

        Every element's parent is the element it hangs from; every page it names is
        a page of this PDF; every marked-content id in a page's content, and every
        link annotation, leads through the parent tree to an element that holds it.
        """
        problems: list[str] = []
        root = self.reader.trailer["/Root"]["/StructTreeRoot"]
        pages = {page.indirect_reference.idnum: n for n, page in enumerate(self.reader.pages)}
        held: dict[tuple[int, int], int] = {}  # (page, mcid) -> element id
        linked: dict[int, int] = {}  # annotation id -> element id
        seen: set[int] = set()

        def walk(reference, parent_id: int, page: int | None) -> None:
            element = reference.get_object()
            if reference.idnum in seen:
                problems.append(f"element {reference.idnum} is in the tree twice")
                return
            seen.add(reference.idnum)
            if element.raw_get("/P").idnum != parent_id:
                problems.append(f"element {reference.idnum} has the wrong parent")
            if "/Pg" in element:
                page_reference = element.raw_get("/Pg")
                if page_reference.idnum not in pages:
                    problems.append(f"element {reference.idnum} names a page not in this PDF")
                    return
                page = pages[page_reference.idnum]
            kids = element.get("/K")
            kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
            for kid in kids:
                if isinstance(kid, int):
                    held[(page, kid)] = reference.idnum
                    continue
                kid_object = kid.get_object()
                if kid_object.get("/Type") == "/MCR":
                    held[(pages[kid_object.raw_get("/Pg").idnum], kid_object["/MCID"])] = (
                        reference.idnum
                    )
                elif kid_object.get("/Type") == "/OBJR":
                    linked[kid_object.raw_get("/Obj").idnum] = reference.idnum
                else:
                    walk(kid, reference.idnum, page)

        for kid in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
            walk(kid, root.indirect_reference.idnum, None)

        numbers = root["/ParentTree"].get_object()["/Nums"]
        parent_tree = {numbers[i]: numbers[i + 1] for i in range(0, len(numbers), 2)}
        for number, page in enumerate(self.reader.pages):
            content = page.get_contents().get_data()
            mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", content)]
            entries = parent_tree.get(page.get("/StructParents"))
            entries = entries.get_object() if entries is not None else None
            if not isinstance(entries, list):
                problems.append(f"page {number + 1} has no parent tree entry")
                continue
            for mcid in mcids:
                if mcid >= len(entries) or held.get((number, mcid)) != entries[mcid].idnum:
                    problems.append(f"page {number + 1}: marked content {mcid} has no element")
            for annotation in page.get("/Annots") or []:
                element = parent_tree.get(annotation.get_object().get("/StructParent"))
                if element is None or linked.get(annotation.idnum) != element.idnum:
                    problems.append(f"page {number + 1}: a link annotation has no element")
        return problems

    def page_images(self, dpi: int = 72) -> list[bytes]:
        """Each page rendered to greyscale pixels, to compare two PDFs as a reader sees them."""
        document = pypdfium2.PdfDocument(str(self.path))
        try:
            return [
                page.render(scale=dpi / 72, grayscale=True).to_pil().tobytes() for page in document
            ]
        finally:
            document.close()

    def resources(self, category: str, page: int = 0) -> list[str]:
        """Names in a page's resource dictionary (fonts, images...), e.g. '/XObject'."""
        resources = self.reader.pages[page].get("/Resources") or {}
        return sorted(resources.get_object().get(category, {}).keys())

    def xmp_title(self) -> str | None:
        xmp = self.reader.xmp_metadata
        return xmp.dc_title.get("x-default") if xmp and xmp.dc_title else None

    def text_sizes(self) -> Counter:
        """How many characters are set at each size, in points (rounded to 0.1)."""
        sizes: Counter = Counter()

        def multiply(m, n):
            a, b, c, d, e, f = m
            return [
                a * n[0] + b * n[2],
                a * n[1] + b * n[3],
                c * n[0] + d * n[2],
                c * n[1] + d * n[3],
                e * n[0] + f * n[2] + n[4],
                e * n[1] + f * n[3] + n[5],
            ]

        def visit(text, cm, tm, font, size):
            if text.strip():
                matrix = multiply(tm, cm)
                sizes[round(size * math.hypot(matrix[2], matrix[3]), 1)] += len(text.strip())

        for page in self.reader.pages:
            page.extract_text(visitor_text=visit)
        return sizes

    def characters_off_the_page(self) -> str:
        """Characters drawn even partly outside the page: clipped text a reader would miss."""
        document = pypdfium2.PdfDocument(self.path)
        try:
            off = []
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                for char in range(textpage.count_chars()):
                    left, bottom, right, top = textpage.get_charbox(char)
                    if left < 0 or bottom < 0 or right > width or top > height:
                        off.append(textpage.get_text_range(char, 1))
            return "".join(off).strip()
        finally:
            document.close()

    def printed_urls(self) -> list[str]:
        """Web addresses printed on the pages; one wrapped after a '/', or before a
        query string's '?' or '&', is read as one."""
        joined = re.sub(r"\s+(?=[?&][\w.~%-]+=)", "", re.sub(r"/\s+", "/", self.text()))
        return re.findall(r"https?://\S+?\.htm\S*?(?=\s|$)", joined)

    def image_sizes_mm(self, qr_codes: bool = False) -> list[tuple[float, float]]:
        """The printed size of every raster image on the pages, in mm.

        QR codes (square images of 17 + 4n modules plus the 8 of the quiet zone, one
        pixel a module) are left out unless asked for.
        """
        document = pypdfium2.PdfDocument(self.path)
        try:
            sizes = []
            for index in range(len(document)):
                for item in document[index].get_objects(
                    filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=5
                ):
                    width, height = item.get_px_size()
                    is_qr_code = width == height and width >= 29 and (width - 25) % 4 == 0
                    if is_qr_code and not qr_codes:
                        continue
                    left, bottom, right, top = item.get_bounds()
                    sizes.append(((right - left) / POINTS_PER_MM, (top - bottom) / POINTS_PER_MM))
            return sizes
        finally:
            document.close()

    @property
    def metadata(self) -> dict:
        return dict(self.reader.metadata or {})

    @property
    def language(self) -> str | None:
        lang = self.reader.trailer["/Root"].get("/Lang")
        return str(lang) if lang is not None else None

    def link_uris(self) -> list[str]:
        uris = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and action.get("/URI") is not None:
                    uris.append(str(action["/URI"]))
        return uris

    def embedded_font_families(self) -> set[str]:
        """Family names read from the font programs embedded in the PDF."""
        families = set()
        for font in self._font_dicts():
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                # A simple font with no embedded program would come from the system.
                families.add(f"(not embedded) {font.get('/BaseFont')}")
                continue
            descriptor = descriptor.get_object()
            stream = next(
                (
                    descriptor[key]
                    for key in ("/FontFile2", "/FontFile3", "/FontFile")
                    if key in descriptor
                ),
                None,
            )
            if stream is None:
                families.add(f"(not embedded) {font.get('/BaseFont')}")
                continue
            data = stream.get_object().get_data()
            try:
                families.add(font_family(TTFont(io.BytesIO(data))))
            except Exception:
                families.add(f"(unreadable) {font.get('/BaseFont')}")
        return families

    def _font_dicts(self):
        seen = set()
        for page in self.reader.pages:
            fonts = (page.get("/Resources") or {}).get("/Font") or {}
            for reference in fonts.values():
                font = reference.get_object()
                if id(font) in seen:
                    continue
                seen.add(id(font))
                for descendant in font.get("/DescendantFonts") or []:
                    yield descendant.get_object()
                if "/DescendantFonts" not in font:
                    yield font

    def qr_codes_with_size(self, dpi: int = 150) -> list[tuple[str, float]]:
        """Every QR code on every page: its text and the printed width of its modules, in mm
        (without the quiet zone)."""
        document = pypdfium2.PdfDocument(self.path)
        try:
            found = []
            for index in range(len(document)):
                image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
                for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                    position = code.position
                    width_px = math.dist(
                        (position.top_left.x, position.top_left.y),
                        (position.top_right.x, position.top_right.y),
                    )
                    found.append((code.text, width_px / dpi * 25.4))
            return found
        finally:
            document.close()

    def decoded_qr_codes(self, dpi: int = 150) -> list[list[str]]:
        """QR codes read by zxing-cpp from each page rendered at ``dpi``, in greyscale."""
        document = pypdfium2.PdfDocument(self.path)
        try:
            pages = []
            for index in range(len(document)):
                image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
                codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
                pages.append([code.text for code in codes])
            return pages
        finally:
            document.close()


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def plain(text: str) -> str:
    """Text with curly quotes made straight and runs of white space folded, for comparing."""
    return " ".join(text.translate(_QUOTES).split())


def font_family(font: TTFont) -> str:
    name = font["name"]
    return str(name.getDebugName(16) or name.getDebugName(1))


def bundled_font_families(fonts_dir: Path) -> set[str]:
    return {
        font_family(TTFont(path))
        for path in fonts_dir.iterdir()
        if path.suffix in {".woff", ".woff2", ".ttf", ".otf"}
    }
