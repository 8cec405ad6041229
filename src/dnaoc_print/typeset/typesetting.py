"""WeasyPrint typesets HTML documents into PDF. The only module that imports weasyprint.

Every resource a document asks for (stylesheets, fonts, images) goes through
``ProjectFetcher``: ``data:`` URIs and files inside the allowed folders, nothing
else. No network, no file outside the project; a refused resource fails the
build with the document's name rather than printing a page with a hole in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from dnaoc_print.content.fonts import declared_faces, missing_faces
from dnaoc_print.errors import BuildError
from dnaoc_print.render.documents import RenderedDocument
from dnaoc_print.typeset.weasyprint_adapter import (
    Layout,
    TrimmedHTML,
    check_page_furniture,
    pdf_variant,
    text_faces,
)

MAX_RESOURCE_BYTES = 20_000_000
# fontTools stamps a font with the time it saves it (its `head.modified`), unless
# SOURCE_DATE_EPOCH is set: WeasyPrint saves each WOFF font it decodes during layout,
# and fontTools saves each subset it makes while writing (HarfBuzz's subsetter keeps
# the stamp of the decoded font). A fixed stamp keeps the same inputs giving the same
# bytes.
FONT_SUBSET_EPOCH = "0"
WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
# WeasyPrint's progress messages say which stylesheet it is parsing.
PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
_PARSING_CSS = "Step 2 - Fetching and parsing CSS - "
_AT_LINE = re.compile(r" at (\d+):(\d+)")


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


# Warnings about the machine rather than the document: WeasyPrint says this once per
# font where libharfbuzz-subset is missing, and the PDF is correct either way.
MACHINE_NOTES = ("Using fontTools instead of HarfBuzz-Subset",)


class _MachineNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(MACHINE_NOTES)


WEASYPRINT_LOGGER.addFilter(_MachineNotes())


class _WarningCollector(logging.Handler):
    """Collects WeasyPrint's warnings about one document (a bad CSS value, say), each
    with the file that caused it.

    WeasyPrint's messages about a stylesheet give only a line and column ("Parse
    error at 174:4"); but it announces each stylesheet it is about to parse in a
    progress message, so the collector keeps track of which one that is.
    """

    def __init__(self, allowed_roots: list[Path]) -> None:
        super().__init__(level=logging.INFO)
        self.messages: list[str] = []
        self.fetcher = ProjectFetcher(allowed_roots)
        self.stylesheet: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == PROGRESS_LOGGER.name:
            if message.startswith(_PARSING_CSS):
                self.stylesheet = self._shown(message[len(_PARSING_CSS) :])
            elif message.startswith("Step "):
                self.stylesheet = None
        elif record.levelno >= logging.WARNING:
            self.messages.append(self._located(message))

    def _shown(self, source: str) -> str:
        if source == "CSS string":
            return "a <style> element in the layouts"
        if source.startswith("file:"):
            return self.fetcher.shown(Path(unquote(urlsplit(source).path)).resolve())
        return source

    def _located(self, message: str) -> str:
        # Files as the user knows them, relative to the project.
        for root in self.fetcher.allowed_roots:
            message = message.replace(root.as_uri() + "/", "")
        if self.stylesheet is None:
            return message
        position = _AT_LINE.search(message)
        if position is None:
            return f"{self.stylesheet}: {message}"
        message = (message[: position.start()] + message[position.end() :]).rstrip(".")
        return f"{self.stylesheet}, line {position[1]}: {message}"


@contextlib.contextmanager
def source_date_epoch(epoch: str | None = None):
    """Fonts decoded and subset inside this block are stamped with ``epoch``; with
    none, with the process's SOURCE_DATE_EPOCH if set, else with 0.

    fontTools reads the stamp from the environment, so this sets it there: call it
    only in a process of its own (a worker), never from threads sharing one.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch or previous or FONT_SUBSET_EPOCH
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


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
        # The trimmed user-agent stylesheet: see weasyprint_adapter.py.
        return TrimmedHTML(
            string=html,
            base_url=document.base_url.as_uri() + "/",
            url_fetcher=ProjectFetcher(allowed_roots),
        ).render(font_config=_font_config(document.fonts_key), cache=_IMAGE_CACHE)
    except RefusedResource as error:
        # The job's name is printed beside the error already.
        raise BuildError(str(error)) from None


@contextlib.contextmanager
def _collect_warnings(allowed_roots: list[Path]):
    collector = _WarningCollector(allowed_roots)
    level, propagate = PROGRESS_LOGGER.level, PROGRESS_LOGGER.propagate
    # Progress messages are for the collector only, not for any other handler.
    PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.propagate = False
    PROGRESS_LOGGER.addHandler(collector)
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        yield collector.messages
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
        PROGRESS_LOGGER.removeHandler(collector)
        PROGRESS_LOGGER.setLevel(level)
        PROGRESS_LOGGER.propagate = propagate


def lay_out(
    document: RenderedDocument, name: str, allowed_roots: list[Path], extra_css: str = ""
) -> Layout:
    """Lay out one document in pages; ``extra_css`` is added last (it wins)."""
    html = _with_css(document.html, extra_css)
    with _collect_warnings(allowed_roots) as warnings, source_date_epoch():
        rendered = _render(document, name, allowed_roots, html)
    # The identifier must not depend on where the project happens to be on disk.
    portable = html
    for root in allowed_roots:
        portable = portable.replace(root.resolve().as_uri(), "project:")
    identifier = hashlib.sha256(portable.encode()).hexdigest()[:32].encode()
    warnings += missing_faces(text_faces(rendered), declared_faces(html))
    check_page_furniture(rendered)
    return Layout(document, identifier, rendered, warnings)


def write(layout: Layout, pages: list[int] | None = None, compress: bool = True) -> TypesetResult:
    """The PDF of a laid-out document, or of some of its pages.

    The PDF identifier is derived from the HTML, so the same inputs always give the
    same bytes. ``compress=False`` leaves its streams uncompressed, for a PDF that is
    split at once: each part is compressed as it is saved (splitting.py), and only
    what that part keeps.
    """
    rendered = layout.rendered
    if pages is not None:
        rendered = rendered.copy([rendered.pages[page] for page in pages])
    with _collect_warnings([]) as warnings, source_date_epoch():
        pdf = rendered.write_pdf(
            pdf_identifier=layout.identifier,
            pdf_variant=pdf_variant(layout.document),
            uncompressed_pdf=not compress,
        )
    return TypesetResult(pdf, len(rendered.pages), [*layout.warnings, *warnings])


def typeset(document: RenderedDocument, name: str, allowed_roots: list[Path]) -> TypesetResult:
    """Lay out and write one HTML document; ``name`` identifies it in errors."""
    return write(lay_out(document, name, allowed_roots))


# Laid out on a page this tall, any handout fits, so its real height can be measured.
TALL_PAGE = "@page handout {{ size: {width}px 20000px; }}"
