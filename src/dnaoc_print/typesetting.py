"""WeasyPrint typesets HTML documents into PDF. The only module that imports weasyprint.

Every resource a document asks for (stylesheets, fonts, images) goes through
``ProjectFetcher``: ``data:`` URIs and files inside the allowed folders, nothing
else. No network, no file outside the project; a refused resource fails the
build with the document's name rather than printing a page with a hole in it.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import hashlib
import logging
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from dnaoc_print.errors import BuildError
from dnaoc_print.templating import RenderedDocument

MAX_RESOURCE_BYTES = 20_000_000
# Tagged PDF for accessibility: structure tree, reading order, alternative text.
PDF_VARIANT = "pdf/ua-1"
# fontTools stamps each font subset with the time it was made, unless
# SOURCE_DATE_EPOCH is set; a fixed stamp keeps the same inputs giving the same bytes.
FONT_SUBSET_EPOCH = "0"
WEASYPRINT_LOGGER = logging.getLogger("weasyprint")


class RefusedResource(FatalURLFetchingError):
    """A document asked for something outside the sandbox. Stops the render at once."""


class ProjectFetcher(URLFetcher):
    """Fetch ``data:`` URIs and files under ``allowed_roots``; refuse everything else."""

    def __init__(self, allowed_roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self.allowed_roots = [root.resolve() for root in allowed_roots]

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedResource(
                f"refused to fetch '{url}': only files inside the project are read"
            )
        # Symlinks are followed before the check, so a link cannot point outside.
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise RefusedResource(f"refused to read '{path}': it is outside the project")
        shown = self.shown(path)
        if not path.is_file():
            raise RefusedResource(
                f"'{shown}' does not exist",
            )
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise RefusedResource(
                f"'{shown}' is larger than the {MAX_RESOURCE_BYTES:,}-byte limit for a resource"
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def shown(self, path: Path) -> str:
        """A path as the user knows it: relative to the project."""
        for root in self.allowed_roots:
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        return str(path)


@dataclass
class TypesetResult:
    pdf: bytes
    page_count: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Layout:
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
        self, page: int, element_id: str, class_name: str, keep_mm: float
    ) -> float | None:
        """Make the first box of this class inside the element with this id reach
        down to ``keep_mm`` above the foot of the page's content area, without
        laying the page out again; return how many mm it grew.

        Only for a box with nothing after it in its column and nothing inside it
        (a handout's notes area): growing it moves nothing else. None if there is
        no such box, or its background needs an image fetched (lay out again then).
        """
        page_box = self.rendered.pages[page]._page_box
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
        class inside it; None if there is none."""
        box = _find_box(self.rendered.pages[page]._page_box, lambda b: _element_id(b) == element_id)
        if box is not None and class_name is not None:
            box = _find_box(box, lambda b: class_name in _classes(b))
        return box

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
        version = int(PDF_VARIANT.rsplit("-", 1)[1])
        return b"\n".join(
            (
                b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>',
                b'<x:xmpmeta xmlns:x="adobe:ns:meta/">',
                metadata.generate_rdf_metadata("ua", version, None),
                b"</x:xmpmeta>",
                b'<?xpacket end="r"?>',
            )
        )


def _find_box(root, matches):
    """The first box under ``root`` (breadth first) that ``matches``, or None."""
    boxes = collections.deque(root.children)
    while boxes:
        box = boxes.popleft()
        # An absolutely placed box is held by a placeholder in the tree.
        box = getattr(box, "_box", box)
        if matches(box):
            return box
        boxes.extend(getattr(box, "children", ()))
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


# Warnings about the machine rather than the document: WeasyPrint says this once per
# font where libharfbuzz-subset is missing, and the PDF is correct either way.
MACHINE_NOTES = ("Using fontTools instead of HarfBuzz-Subset",)


class _MachineNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(MACHINE_NOTES)


WEASYPRINT_LOGGER.addFilter(_MachineNotes())


class _WarningCollector(logging.Handler):
    """Collects WeasyPrint's warnings about one document (a bad CSS value, say)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _fixed_font_timestamps():
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        os.environ["SOURCE_DATE_EPOCH"] = FONT_SUBSET_EPOCH
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]


_PX_TO_MM = 25.4 / 96


def _with_css(html: str, css: str) -> str:
    return html.replace("</head>", f"<style>{css}</style></head>", 1) if css else html


# One font configuration per brand, and one image cache, for every document a process
# typesets: loading the same web fonts and logo again for each document is most of
# the cost of a small one. Brands never share fonts, so no brand's fonts can stand in
# for another's.
_FONT_CONFIGS: dict[str, FontConfiguration] = {}
_IMAGE_CACHE: dict = {}


def _font_config(key: str) -> FontConfiguration:
    if key not in _FONT_CONFIGS:
        _FONT_CONFIGS[key] = FontConfiguration()
    return _FONT_CONFIGS[key]


def _render(document: RenderedDocument, name: str, allowed_roots: list[Path], html: str):
    try:
        return HTML(
            string=html,
            base_url=document.base_url.as_uri() + "/",
            url_fetcher=ProjectFetcher(allowed_roots),
        ).render(font_config=_font_config(document.fonts_key), cache=_IMAGE_CACHE)
    except RefusedResource as error:
        # The job's name is printed beside the error already.
        raise BuildError(str(error)) from None


@contextlib.contextmanager
def _collect_warnings():
    collector = _WarningCollector()
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        yield collector.messages
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)


def lay_out(
    document: RenderedDocument, name: str, allowed_roots: list[Path], extra_css: str = ""
) -> Layout:
    """Lay out one document in pages; ``extra_css`` is added last (it wins)."""
    html = _with_css(document.html, extra_css)
    with _collect_warnings() as warnings:
        rendered = _render(document, name, allowed_roots, html)
    # The identifier must not depend on where the project happens to be on disk.
    portable = html
    for root in allowed_roots:
        portable = portable.replace(root.resolve().as_uri(), "project:")
    identifier = hashlib.sha256(portable.encode()).hexdigest()[:32].encode()
    _check_page_furniture(rendered)
    return Layout(document, identifier, rendered, warnings)


# Office printers leave the outer 4 to 5 mm of a sheet blank; no glyph comes nearer
# the edge than this.
LEAST_EDGE_MM = 8.0


def _check_page_furniture(rendered) -> None:
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


def write(layout: Layout, pages: list[int] | None = None) -> TypesetResult:
    """The PDF of a laid-out document, or of some of its pages.

    The PDF identifier is derived from the HTML, so the same inputs always give the
    same bytes.
    """
    rendered = layout.rendered
    if pages is not None:
        rendered = rendered.copy([rendered.pages[page] for page in pages])
    with _collect_warnings() as warnings, _fixed_font_timestamps():
        pdf = rendered.write_pdf(pdf_identifier=layout.identifier, pdf_variant=PDF_VARIANT)
    return TypesetResult(pdf, len(rendered.pages), [*layout.warnings, *warnings])


def typeset(document: RenderedDocument, name: str, allowed_roots: list[Path]) -> TypesetResult:
    """Lay out and write one HTML document; ``name`` identifies it in errors."""
    return write(lay_out(document, name, allowed_roots))


# Laid out on a page this tall, any handout fits, so its real height can be measured.
_TALL_PAGE = "@page handout {{ size: {width}px 20000px; }}"


def measure_height(
    document: RenderedDocument, name: str, allowed_roots: list[Path]
) -> tuple[float, float]:
    """(height the content needs, height the page offers) in mm, for a one-page document."""
    page = lay_out(document, name, allowed_roots)
    tall = lay_out(
        document, name, allowed_roots, _TALL_PAGE.format(width=page.rendered.pages[0].width)
    )
    return tall.used_mm(), page.available_mm()


# -- Page furniture and decoration left out of the structure tree -------------------
# WeasyPrint 70 tags every box it draws and has no public way to mark one as an
# artifact. What it draws in a page margin (running title, page number, footer), and
# an element with aria-hidden="true" (decoration: the cover's helix, a pull quote
# repeating the text, ruled note lines), is tagged under a marker element that is
# never linked into the tree; pdf_tags.finish_tags turns the marked content under it
# into an artifact of the marker's type. This replaces a private function of
# weasyprint.pdf.tags; tests/test_accessibility.py has a contract test for it.
ARTIFACT_ROLE = "/Artifact"


def _artifact_of(box) -> tuple[str, str | None] | None:
    """(artifact type, subtype) for a box to tag apart, or None for content."""
    if isinstance(box, MarginBox):
        side = box.at_keyword.split("-")[0]
        return "/Pagination", {"@top": "/Header", "@bottom": "/Footer"}.get(side)
    element = getattr(box, "element", None)
    if (
        element is not None
        and getattr(box, "element_tag", None) == element.tag
        and element.get("aria-hidden") == "true"
    ):
        return "/Layout", None
    return None


def _tag_decoration_apart(original):
    import pydyf

    building: set[int] = set()

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        own = getattr(box, "_box", box)
        artifact = None if id(own) in building else _artifact_of(own)
        if artifact is None:
            yield from original(box, parent, pdf, page_number, nums, annotations, tags)
            return
        kind, subtype = artifact
        marker = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": ARTIFACT_ROLE,
                "K": pydyf.Array(),
                "P": parent.reference,
                "ArtifactType": kind,
            }
        )
        if subtype:
            marker["ArtifactSubtype"] = subtype
        pdf.add_object(marker)
        building.add(id(own))
        try:
            # Built (so its marked content is accounted for) but not yielded: not linked.
            children = own.children if isinstance(own, MarginBox) else [box]
            for child in children:
                for _ in original(child, marker, pdf, page_number, nums, annotations, tags):
                    pass
        finally:
            building.discard(id(own))

    return build_box_tree


def _install_decoration_tagging() -> None:
    from weasyprint.pdf import tags

    if not getattr(tags._build_box_tree, "dnaoc_decoration", False):
        tags._build_box_tree = _tag_decoration_apart(tags._build_box_tree)
        tags._build_box_tree.dnaoc_decoration = True


_install_decoration_tagging()
