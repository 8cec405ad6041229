"""Read a PDF the way a reader would: its text, pages, fonts, links and QR codes."""

from __future__ import annotations

import io
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


def font_family(font: TTFont) -> str:
    name = font["name"]
    return str(name.getDebugName(16) or name.getDebugName(1))


def bundled_font_families(fonts_dir: Path) -> set[str]:
    return {
        font_family(TTFont(path))
        for path in fonts_dir.iterdir()
        if path.suffix in {".woff", ".woff2", ".ttf", ".otf"}
    }
