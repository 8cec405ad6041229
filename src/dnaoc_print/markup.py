"""Markdown to HTML fragments.

Policy on raw HTML: content is text, never markup. Raw HTML in Markdown is escaped
and printed as written, so no ``<script>``, event attribute or stray tag from a
content file can reach a layout; Markdown's attribute syntax is not enabled for the
same reason. Links keep only web, mail and in-page addresses, and images only
addresses inside the project (or ``data:``); anything else is dropped. Jinja syntax
in Markdown is likewise plain text: fragments are inserted into layouts as finished
HTML, never rendered as templates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

EXTENSIONS = [
    "markdown.extensions.def_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.sane_lists",
    "markdown.extensions.smarty",
    "markdown.extensions.tables",
]


class _EscapeRawHtml(markdown.Extension):
    """Drop Python-Markdown's raw-HTML handling so tags are escaped as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:|#)", re.IGNORECASE)
# An image address with no scheme is a file inside the project (the fetcher checks).
SAFE_IMAGE = re.compile(r"^(data:image/|(?![a-z][a-z0-9+.-]*:)[^/\\])", re.IGNORECASE)


class _SafeAddresses(Treeprocessor):
    """Drop link and image addresses outside the policy above, keeping their text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not SAFE_LINK.match(element.get("href", "").strip()):
                element.attrib.pop("href", None)
            elif element.tag == "img" and not SAFE_IMAGE.match(element.get("src", "").strip()):
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()
            for name in [name for name in element.attrib if name.lower().startswith("on")]:
                del element.attrib[name]


class _PullQuoteProcessor(BlockProcessor):
    """A paragraph that starts ``Pull quote:`` becomes ``<aside class="pull-quote">``.

    A pull quote repeats a line from the text in large type to draw the eye; it is
    not a quotation from anyone, so it carries no attribution.
    """

    MARKER = re.compile(r"^pull quote:\s*", re.IGNORECASE)

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(self.MARKER.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        text = self.MARKER.sub("", blocks.pop(0), count=1)
        # It repeats the text: hidden from screen readers (an artifact in the PDF).
        aside = etree.SubElement(parent, "aside", {"class": "pull-quote", "aria-hidden": "true"})
        self.parser.parseChunk(aside, text)


class _PullQuotes(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Above the paragraph processor (priority 10) so the marker is seen first.
        md.parser.blockprocessors.register(_PullQuoteProcessor(md.parser), "pull_quote", 25)


class _Safety(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Low priority: runs after every other tree processor has added its elements.
        md.treeprocessors.register(_SafeAddresses(md), "safe_addresses", 1)


class MarkdownRenderer:
    """Converts Markdown to HTML fragments; reusable across many fragments."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _EscapeRawHtml(), _PullQuotes(), _Safety()],
            output_format="html",
        )

    def block(self, text: str) -> Markup:
        """A block of Markdown (paragraphs, lists, headings) as HTML."""
        self._md.reset()
        return Markup(self._md.convert(text))

    def inline(self, text: str) -> Markup:
        """One line of Markdown (a question, a summary) as HTML without the paragraph."""
        html = self.block(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
