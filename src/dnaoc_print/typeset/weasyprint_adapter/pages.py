"""A document laid out in pages, measured through WeasyPrint's page boxes: how much
of its page a sheet takes, where its room to write is, the faces its text uses, and
the page furniture's distance from the sheet's edge."""

from __future__ import annotations

import collections
import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from weasyprint.formatting_structure.boxes import MarginBox, TextBox
from weasyprint.layout.background import layout_box_backgrounds

from dnaoc_print.errors import BuildError

if TYPE_CHECKING:
    from dnaoc_print.render.documents import RenderedDocument

# Tagged PDF for accessibility: structure tree, reading order, alternative text.
PDF_VARIANT = "pdf/ua-1"
_PX_TO_MM = 25.4 / 96


@dataclass
class PagedDocument:
    """A document laid out in pages but not yet written as PDF."""

    document: RenderedDocument
    # A fingerprint of the HTML, for the PDF's identifier.
    identifier: bytes
    rendered: object
    warnings: list[str]

    @property
    def page_count(self) -> int:
        return len(self.rendered.pages)

    def used_mm(self, page: int = 0, element_id: str | None = None) -> float:
        """Height the content takes on a page: all of it, or the element with this id.

        An element that goes on to the next page fills this one; one that ends here
        takes only what it holds.
        """
        page_box = self.rendered.pages[page]._page_box
        if element_id is not None:
            box = self._box(page, element_id)
            if box is not None:
                bottom = box.position_y + box.margin_height()
                return (bottom - page_box.content_box_y()) * _PX_TO_MM
        used = sum(
            child.margin_height() for child in page_box.children if not isinstance(child, MarginBox)
        )
        return used * _PX_TO_MM

    def available_mm(self, page: int = 0) -> float:
        """Height of a page's content area."""
        return self.rendered.pages[page]._page_box.height * _PX_TO_MM

    def spare_mm(self, page: int = 0, element_id: str | None = None) -> float:
        """Height left unused at the foot of a page, below everything or one element."""
        return max(0.0, self.available_mm(page) - self.used_mm(page, element_id))

    def room_below_mm(self, page: int, element_id: str, class_name: str) -> tuple[float, float]:
        """For the first box of this class inside the element with this id: the
        height from its top to the foot of the page's content area, and its own
        height; (0, 0) if there is no such box."""
        page_box = self.rendered.pages[page]._page_box
        inner = self._box(page, element_id, class_name)
        if inner is None:
            return 0.0, 0.0
        foot = page_box.content_box_y() + page_box.height
        return (foot - inner.position_y) * _PX_TO_MM, inner.margin_height() * _PX_TO_MM

    def extend_to_foot(
        self, page: int, element_id: str | None, class_name: str, keep_mm: float
    ) -> float | None:
        """Make the first box of this class inside the element with this id reach
        down to ``keep_mm`` above the foot of the page's content area, without
        laying the page out again; return how many mm it grew.

        Only for a box with nothing after it in its column and nothing inside it
        (a handout's notes area): growing it moves nothing else. Without an element
        id, the first box of this class on the page (a large-print handout's). None if there is
        no such box, or its background needs an image fetched (lay out again then).
        """
        page_box = self.rendered.pages[page]._page_box
        if element_id is None:
            found = _find_box(page_box, lambda b: class_name in _classes(b))
            box = found[0] if found else None
        else:
            box = self._box(page, element_id, class_name)
        if box is None or box.children:
            return None
        if any(kind == "url" for kind, _ in box.style["background_image"]):
            return None
        foot = page_box.content_box_y() + page_box.height - keep_mm / _PX_TO_MM
        growth = foot - (box.position_y + box.margin_height())
        if growth <= 0:
            return 0.0
        box.height += growth
        # Its ruled lines or box edges are placed from its size: place them again.
        layout_box_backgrounds(page_box, box, _no_images, layout_children=False)
        return growth * _PX_TO_MM

    def _box(self, page: int, element_id: str, class_name: str | None = None):
        """The box of the element with this id on a page, or the first box of this
        class inside it; None if there is none.

        An empty element first in its parent marks that parent: a handout sheet's id
        sits on such a marker (see documents.with_sheets).
        """
        found = _find_box(
            self.rendered.pages[page]._page_box, lambda b: _element_id(b) == element_id
        )
        if found is None:
            return None
        box, parent = found
        if not box.children and parent.children and parent.children[0] is box:
            box = parent
        if class_name is not None:
            found = _find_box(box, lambda b: class_name in _classes(b))
            box = found[0] if found else None
        return box

    def page_width_px(self, page: int = 0) -> float:
        """A page's width in CSS pixels."""
        return self.rendered.pages[page].width

    def first_pages(self, anchors: list[str]) -> list[int | None]:
        """The page each anchor (an element's id) is on, or None if it is on none."""
        found: dict[str, int] = {}
        for number, page in enumerate(self.rendered.pages):
            for anchor in page.anchors:
                found.setdefault(anchor, number)
        return [found.get(anchor) for anchor in anchors]

    def xmp(self, title: str, description: str) -> bytes:
        """The XMP metadata packet WeasyPrint writes, for a PDF with its own title.

        Used when one laid-out document becomes several PDFs (a batch of handouts).
        """
        metadata = copy.copy(self.rendered.metadata)
        metadata.title, metadata.description = title, description
        # "pdf/ua-1" -> ("ua", 1, None); an archive copy's "pdf/a-2a" -> ("a", 2, "A").
        family, part = pdf_variant(self.document).removeprefix("pdf/").split("-")
        version, conformance = int(part[0]), part[1:].upper() or None
        return b"\n".join(
            (
                b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>',
                b'<x:xmpmeta xmlns:x="adobe:ns:meta/">',
                metadata.generate_rdf_metadata(family, version, conformance),
                b"</x:xmpmeta>",
                b'<?xpacket end="r"?>',
            )
        )


def pdf_variant(document: RenderedDocument) -> str:
    """The PDF variant a document is written as: tagged PDF/UA, or its own (an archive
    copy's PDF/A, see print_outputs.py)."""
    return document.pdf_variant or PDF_VARIANT


def _find_box(root, matches):
    """The first box under ``root`` (breadth first) that ``matches`` and the box that
    holds it, or None."""
    boxes = collections.deque((child, root) for child in root.children)
    while boxes:
        box, parent = boxes.popleft()
        # An absolutely placed box is held by a placeholder in the tree.
        box = getattr(box, "_box", box)
        if matches(box):
            return box, parent
        boxes.extend((child, box) for child in getattr(box, "children", ()))
    return None


def _no_images(url: str | None = None, **_: object):
    raise BuildError(f"an image cannot be fetched after layout: {url}")


def _element_id(box) -> str | None:
    element = getattr(box, "element", None)
    # A box made for an element's text or marker shares its element: only the
    # element's own (block or inline) box counts.
    if element is None or getattr(box, "element_tag", None) != element.tag:
        return None
    return element.get("id")


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) != element.tag:
        return []
    return (element.get("class") or "").split()


def text_faces(rendered) -> set[tuple[str, int, str]]:
    """(first family named, weight, style) of every piece of text on every page."""
    faces = set()
    for page in rendered.pages:
        boxes = [page._page_box]
        while boxes:
            box = boxes.pop()
            # An absolutely placed box is held by a placeholder in the tree.
            box = getattr(box, "_box", box)
            if isinstance(box, TextBox) and box.text.strip():
                style = box.style
                faces.add((style["font_family"][0], int(style["font_weight"]), style["font_style"]))
            boxes.extend(getattr(box, "children", ()))
    return faces


# Office printers leave the outer 4 to 5 mm of a sheet blank; no glyph comes nearer
# the edge than this.
LEAST_EDGE_MM = 8.0


def check_page_furniture(rendered) -> None:
    """Refuse a page whose margin content (a footer, a running title) comes nearer
    the sheet's edge than LEAST_EDGE_MM: it would be clipped by a printer."""
    for page in rendered.pages:
        page_box = page._page_box
        height = page_box.margin_height()
        for margin_box in page_box.children:
            if not isinstance(margin_box, MarginBox):
                continue
            lines = list(_text_boxes(margin_box))
            if not lines:
                continue
            top = min(box.position_y for box in lines)
            bottom = max(box.position_y + box.height for box in lines)
            nearest = min(top, height - bottom) * _PX_TO_MM
            if nearest < LEAST_EDGE_MM:
                text = " ".join(" ".join(box.text for box in lines).split())
                text = text if len(text) <= 80 else text[:79] + "\u2026"
                raise BuildError(
                    f"the page footer or heading '{text}' does not fit its page margin: it "
                    f"comes {nearest:.1f} mm from the edge of the sheet, and printers leave "
                    f"the outer {LEAST_EDGE_MM:.0f} mm blank. Shorten the brand's footer or "
                    "contact line in its brand.yaml"
                )


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if hasattr(child, "text"):
            yield child
        else:
            yield from _text_boxes(child)
