"""Markdown to HTML fragments.

Policy on raw HTML: content is text, never markup. Raw HTML in Markdown is escaped
and printed as written, so no ``<script>``, event attribute or stray tag from a
content file can reach a layout; Markdown's attribute syntax is not enabled for the
same reason. Links keep only web, mail and in-page addresses, and images only
files inside the project (or ``data:`` images); anything else is dropped, and
reported with its file, line and address as written (see ``AddressProblem``). An
image path is looked for beside the Markdown file that holds it, then in the
project folder, as MkDocs, Pandoc and GitHub do. Jinja syntax
in Markdown is likewise plain text: fragments are inserted into layouts as finished
HTML, never rendered as templates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from dnaoc_print.content.addresses import (
    DATA_IMAGE,
    SAFE_LINK,
    AddressProblem,
    MarkdownSource,
    locate_image,
    shared_path,
)
from dnaoc_print.model import Project

EXTENSIONS = [
    "markdown.extensions.def_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.sane_lists",
    "markdown.extensions.smarty",
    "markdown.extensions.tables",
]
# How many lines of Markdown inline() keeps converted before it starts afresh: every
# question and line of a project many times over, and a bound for a server that
# converts what users type.
INLINE_KEPT = 2048


class _EscapeRawHtml(markdown.Extension):
    """Drop Python-Markdown's raw-HTML handling so tags are escaped as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _SafeAddresses(Treeprocessor):
    """Apply the address policy above: resolve image files, drop what is refused,
    and note every problem on the renderer."""

    def __init__(self, md: markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "").strip()
                if href and not SAFE_LINK.match(href):
                    element.attrib.pop("href", None)
                    self.renderer.note(
                        href,
                        f"link address '{href}' refused: the text is printed without a link",
                        "links may be web (https://), mailto:, tel: or in-page (#) addresses",
                    )
            elif element.tag == "img":
                src = element.get("src", "").strip()
                resolved = self.renderer.image(src)
                if resolved is None:
                    element.tag = "span"
                    element.text = element.get("alt", "")
                    element.attrib.clear()
                else:
                    element.set("src", resolved)
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
    def __init__(self, renderer: MarkdownRenderer) -> None:
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Low priority: runs after every other tree processor has added its elements.
        md.treeprocessors.register(_SafeAddresses(md, self.renderer), "safe_addresses", 1)


class MarkdownRenderer:
    """Converts Markdown to HTML fragments; reusable across many fragments.

    Image paths are resolved against the source given with the Markdown, then the
    project ``root``. Every address problem found is kept in ``problems`` until
    ``take_problems`` hands them over.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root.resolve() if root is not None else None
        self.problems: list[AddressProblem] = []
        self._source: MarkdownSource | None = None
        self._searched_to: dict[str, int] = {}
        # Lines of Markdown converted by inline(): their HTML, and the problems noted.
        self._inline: dict[str, tuple[Markup, tuple[AddressProblem, ...]]] = {}
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _EscapeRawHtml(), _PullQuotes(), _Safety(self)],
            output_format="html",
        )

    def block(self, text: str, source: MarkdownSource | None = None) -> Markup:
        """A block of Markdown (paragraphs, lists, headings) as HTML."""
        self._md.reset()
        self._source, self._searched_to = source, {}
        try:
            return Markup(self._md.convert(text))
        finally:
            self._source = None

    def inline(self, text: str) -> Markup:
        """One line of Markdown (a question, a summary) as HTML without the paragraph.

        Kept by text, with the problems it noted (noted again each time it is asked
        for): a batch of handouts asks for the same questions on every sheet, and
        converting them was most of the cost of templating a sheet.
        """
        kept = self._inline.get(text)
        if kept is None:
            noted = len(self.problems)
            html = self.block(text).strip()
            if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
                html = html[3:-4]
            if len(self._inline) >= INLINE_KEPT:
                self._inline.clear()
            kept = self._inline[text] = (Markup(html), tuple(self.problems[noted:]))
        else:
            self.problems.extend(kept[1])
        return kept[0]

    def take_problems(self) -> list[AddressProblem]:
        """The problems noted since the last call, each once."""
        problems, self.problems = list(dict.fromkeys(self.problems)), []
        return problems

    def note(self, address: str, message: str, hint: str, fatal: bool = False) -> None:
        source = self._source
        line = None
        if source is not None:
            line, self._searched_to[address] = source.line_of(
                address, self._searched_to.get(address, 0)
            )
        self.problems.append(
            AddressProblem(source.path if source else None, line, message, hint, fatal)
        )

    def image(self, src: str) -> str | None:
        """The address to print an image from (a file URI inside the project, or a
        ``data:`` image), or None if it is refused or missing (and noted)."""
        if DATA_IMAGE.match(src):
            return src
        source = self._source
        found = locate_image(src, source.path if source else None, self.root)
        if isinstance(found, Path):
            return found.as_uri()
        self.note(src, *found)
        return None


def address_problems(project: Project) -> list[AddressProblem]:
    """The address problems in every guide and shared section, found without
    typesetting (for ``check``)."""
    renderer = MarkdownRenderer(project.root)
    sources = [(guide.source, guide.body) for guide in project.guides]
    sources += [(shared_path(name), text) for name, text in project.shared.items()]
    for shown, text in sources:
        renderer.block(text, MarkdownSource.of_file(project.root, shown, text))
    return renderer.take_problems()
