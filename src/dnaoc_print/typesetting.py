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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
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
        if not path.is_file():
            raise RefusedResource(f"'{path}' does not exist")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise RefusedResource(
                f"'{path}' is larger than the {MAX_RESOURCE_BYTES:,}-byte limit for a resource"
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass
class TypesetResult:
    pdf: bytes
    page_count: int
    warnings: list[str] = field(default_factory=list)


# Warnings about the machine rather than the document: WeasyPrint says this once per
# font where libharfbuzz-subset is missing, and the PDF is correct either way.
MACHINE_NOTES = ("Using fontTools instead of HarfBuzz-Subset",)


class _WarningCollector(logging.Handler):
    """Collects WeasyPrint's warnings about one document (a bad CSS value, say)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(MACHINE_NOTES):
            self.messages.append(message)


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


def typeset(document: RenderedDocument, name: str, allowed_roots: list[Path]) -> TypesetResult:
    """Typeset one HTML document to PDF bytes.

    ``name`` identifies the document in errors. The PDF identifier is derived from the
    HTML, so the same inputs always give the same bytes.
    """
    collector = _WarningCollector()
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        html = HTML(
            string=document.html,
            base_url=document.base_url.as_uri() + "/",
            url_fetcher=ProjectFetcher(allowed_roots),
        )
        rendered = html.render(font_config=FontConfiguration())
        identifier = hashlib.sha256(document.html.encode()).hexdigest()[:32].encode()
        with _fixed_font_timestamps():
            pdf = rendered.write_pdf(pdf_identifier=identifier, pdf_variant=PDF_VARIANT)
    except RefusedResource as error:
        raise BuildError(f"{name}: {error}") from None
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
    return TypesetResult(pdf=pdf, page_count=len(rendered.pages), warnings=collector.messages)
