"""Every use of WeasyPrint's private parts, in one place (see the contract tests,
tests/test_weasyprint_contract.py and tests/test_accessibility.py, which fail loudly
when WeasyPrint changes them).

WeasyPrint's public API typesets a document and writes its PDF; what it can, it
measures that way too (the page each sheet starts on, from ``Page.anchors``; a page's
width, ``Page.width``). A handout needs more, and WeasyPrint 70 has no public way to
it. The private parts used, all here, each with its contract test:

- ``Page._page_box`` and its boxes' ``position_y``, ``margin_height()``,
  ``content_box_y()``, ``height``, ``children``, ``element``, ``element_tag``,
  ``style[...]``, ``text``; ``MarginBox``, ``TextBox`` and ``AbsolutePlaceholder._box``
  (the box it holds): how much of its page a laid-out sheet takes, where its room to
  write is (to choose a fit step and give it its spare height); the weight and style
  of every piece of text (fonts.py checks each has a face); the page furniture's
  distance from the sheet's edge.
- ``box.height`` changed after layout and ``layout.background.layout_box_backgrounds``:
  a handout's notes area grown to the foot of its page without laying it out again.
- ``DocumentMetadata.generate_rdf_metadata`` and the XMP packet around it: one packet
  for each PDF split from a batch, with its own title.
- ``weasyprint.pdf.fonts.harfbuzz_subset`` (and ``text.ffi.harfbuzz``): which font
  subsetter WeasyPrint uses, for reproducible builds and their tests.
- ``weasyprint.pdf.tags._build_box_tree``, replaced: page furniture and decoration
  tagged as artifacts (the contract test is in tests/test_accessibility.py).
- ``HTML._ua_stylesheets`` and ``weasyprint.html.UA``: a user-agent stylesheet without
  the footnote and note rules these documents never use, and with ``::marker`` only
  for list items, so WeasyPrint does not work out six pseudo-element styles for every
  element (about a tenth of a handout's time).

These tie the project to WeasyPrint 70.x (see the pin in pyproject.toml).
"""

from __future__ import annotations

import collections
import contextlib
import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

import weasyprint.pdf.fonts
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.formatting_structure.boxes import MarginBox, TextBox
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

from dnaoc_print.errors import BuildError

if TYPE_CHECKING:
    from dnaoc_print.render.documents import RenderedDocument

# Tagged PDF for accessibility: structure tree, reading order, alternative text.
PDF_VARIANT = "pdf/ua-1"
_PX_TO_MM = 25.4 / 96


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


# Font subsetting. WeasyPrint subsets with HarfBuzz where libharfbuzz-subset (4.1 or
# newer) is installed, else with fontTools; it decides by the module-level name
# ``harfbuzz_subset`` in weasyprint.pdf.fonts. Both must give the same bytes run after run.
SUBSETTERS = ("harfbuzz", "fonttools")


def available_subsetters() -> list[str]:
    """The subsetters this machine has, the one WeasyPrint uses by default first."""
    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return ["harfbuzz", "fonttools"]
    return ["fonttools"]


@contextlib.contextmanager
def subsetter(name: str):
    """Make WeasyPrint subset fonts with ``name`` (one of SUBSETTERS) inside this block."""
    if name not in available_subsetters():
        raise BuildError(f"font subsetter '{name}' is not available on this machine")
    previous = weasyprint.pdf.fonts.harfbuzz_subset
    weasyprint.pdf.fonts.harfbuzz_subset = harfbuzz_subset if name == "harfbuzz" else None
    try:
        yield
    finally:
        weasyprint.pdf.fonts.harfbuzz_subset = previous


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


# -- A user-agent stylesheet without what these documents never use ----------------
# Rules of WeasyPrint's html5_ua.css that match every element through a pseudo-element
# (footnotes and notes: these documents have neither), and the ::marker rule, which
# only a list item uses. Each must be in WeasyPrint's stylesheet exactly as written
# here: if an upgrade changes one, documents are refused rather than typeset with a
# stylesheet no one has checked.
UNUSED_UA_RULES = (
    "::footnote-call { content: counter(footnote); vertical-align: super; "
    "font-size: smaller; line-height: inherit }",
    '::footnote-marker { content: counter(footnote) ". " }',
    "::note-call { content: counter(note); vertical-align: super; "
    "font-size: smaller; line-height: inherit }",
    '::note-marker { content: counter(note) ". " }',
    '::note-callback { content: "\u202f\u21a9" }',
)
MARKER_RULE = (
    "::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
)


class UserAgentMismatch(BuildError):
    """WeasyPrint's user-agent stylesheet is not the one the trimmed copy was made from."""


def trimmed_ua_text(original: str) -> str:
    """WeasyPrint's user-agent stylesheet without UNUSED_UA_RULES, ::marker for ``li``."""
    for rule in (*UNUSED_UA_RULES, MARKER_RULE):
        if original.count(rule) != 1:
            raise UserAgentMismatch(
                f"WeasyPrint's user-agent stylesheet no longer holds the rule '{rule}': "
                "weasyprint_adapter.py was written for WeasyPrint 70.x"
            )
        original = original.replace(rule, "" if rule in UNUSED_UA_RULES else "li" + rule)
    return original


_TRIMMED_UA: list[CSS] = []


class TrimmedHTML(HTML):
    """An HTML document typeset with the trimmed user-agent stylesheet.

    Forms (which need WeasyPrint's form stylesheet too) are never typeset here."""

    def _ua_stylesheets(self, forms=False):
        if forms:
            return super()._ua_stylesheets(forms)
        if not _TRIMMED_UA:
            from weasyprint.html import UA

            # Its own counter styles: WeasyPrint's shared ones stay as they are.
            _TRIMMED_UA.append(CSS(string=trimmed_ua_text(UA), counter_style=CounterStyle()))
        return _TRIMMED_UA
