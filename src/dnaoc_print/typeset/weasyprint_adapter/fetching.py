"""Every resource a document asks for (stylesheets, fonts, images) goes through
``ProjectFetcher``: ``data:`` URIs and files inside the allowed folders, nothing
else. No network, no file outside the project; a refused resource fails the build
with the document's name rather than printing a page with a hole in it.

The fetcher is WeasyPrint's public ``URLFetcher`` API, subclassed.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

MAX_RESOURCE_BYTES = 20_000_000


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
