"""Markdown to HTML fragments.

Policy on raw HTML: content is text, never markup. Raw HTML in Markdown is escaped
and printed as written, so no ``<script>``, event attribute or stray tag from a
content file can reach a layout. Jinja syntax in Markdown is likewise plain text:
fragments are inserted into layouts as finished HTML, never rendered as templates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markupsafe import Markup

EXTENSIONS = [
    "markdown.extensions.attr_list",
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
        aside = etree.SubElement(parent, "aside", {"class": "pull-quote"})
        self.parser.parseChunk(aside, text)


class _PullQuotes(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Above the paragraph processor (priority 10) so the marker is seen first.
        md.parser.blockprocessors.register(_PullQuoteProcessor(md.parser), "pull_quote", 25)


class MarkdownRenderer:
    """Converts Markdown to HTML fragments; reusable across many fragments."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _EscapeRawHtml(), _PullQuotes()],
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
