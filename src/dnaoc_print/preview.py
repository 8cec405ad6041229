"""`dnaoc-print preview`: the HTML of every guide and handout, served on localhost,
reloading in the browser whenever a file changes. Nothing is typeset, so an edit
shows in well under a second.

The server listens on the loopback address only and serves files from inside the
project only.
"""

from __future__ import annotations

import html
import http.server
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dnaoc_print.brands import DEFAULT_BRAND, load_brand
from dnaoc_print.errors import DnaocError
from dnaoc_print.loading import load_project
from dnaoc_print.templating import Layouts

WATCHED = ("content", "layouts", "brands", "fonts")
# Polls for a change and reloads the page: preview pages only, never in a PDF.
RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch('/__version').then(function (r) { return r.text(); }).then(function (v) {
      if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); }
    }).catch(function () {});
  }, 300);
})();
</script>"""


def content_version(root: Path) -> str:
    """Changes whenever a file the documents are made from is edited, added or removed."""
    stamps = []
    for folder in WATCHED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                stamps.append(f"{path}:{path.stat().st_mtime_ns}:{path.stat().st_size}")
    return str(hash("|".join(stamps)))


class Preview:
    """Renders pages for the preview server; each request reads the project afresh."""

    def __init__(self, root: Path, brand: str | None = None) -> None:
        self.root = root.resolve()
        self.brand = brand or DEFAULT_BRAND

    def _layouts(self):
        project = load_project(self.root)
        brand, _ = load_brand(self.root, self.brand)
        return project, Layouts(project, brand)

    def page(self, path: str) -> tuple[int, str]:
        try:
            project, layouts = self._layouts()
            parts = [part for part in path.split("/") if part]
            if not parts:
                return 200, self.index(project)
            if len(parts) == 2 and parts[0] == "guide":
                guide = next((g for g in project.guides if g.slug == parts[1]), None)
                if guide:
                    return 200, self.for_browser(layouts.guide(guide).html)
            if len(parts) == 2 and parts[0] == "handout":
                handout = next((h for h in project.handouts if h.name == parts[1]), None)
                if handout:
                    return 200, self.for_browser(layouts.handout(handout).html)
            return 404, self.message("Not found", f"No page at {path}.")
        except DnaocError as error:
            return 500, self.message("The content has a problem", str(error))

    def for_browser(self, document: str) -> str:
        """Point project file addresses at this server and add the reload script."""
        document = document.replace(self.root.as_uri() + "/", "/files/")
        document = document.replace("<head>", '<head><base href="/files/layouts/">', 1)
        return document.replace("</body>", RELOAD_SCRIPT + "</body>", 1)

    def index(self, project) -> str:
        guides = "".join(
            f'<li><a href="/guide/{g.slug}">{html.escape(g.title)}</a></li>' for g in project.guides
        )
        handouts = "".join(
            f'<li><a href="/handout/{h.name}">{html.escape(h.title)}</a> '
            f"({html.escape(h.name)})</li>"
            for h in project.handouts
        )
        body = (
            f"<h1>dnaoc-print preview</h1><h2>Guides</h2><ul>{guides}</ul>"
            f"<h2>Handouts</h2><ul>{handouts}</ul>"
        )
        return self.message("dnaoc-print preview", "", body)

    def message(self, title: str, text: str, body: str = "") -> str:
        body = body or f"<h1>{html.escape(title)}</h1><pre>{html.escape(text)}</pre>"
        return (
            f"<!DOCTYPE html><html lang=en-GB><title>{html.escape(title)}</title>"
            f"<body>{body}{RELOAD_SCRIPT}</body></html>"
        )

    def file(self, relative: str) -> tuple[int, bytes, str]:
        path = (self.root / unquote(relative)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return 404, b"not found", "text/plain"
        return (
            200,
            path.read_bytes(),
            mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        )


def make_server(preview: Preview, port: int = 8000) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's API)
            path = urlsplit(self.path).path
            if path == "/__version":
                self.send(200, content_version(preview.root).encode(), "text/plain")
            elif path.startswith("/files/"):
                self.send(*preview.file(path.removeprefix("/files/")))
            else:
                status, page = preview.page(path)
                self.send(status, page.encode("utf-8"), "text/html; charset=utf-8")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)


def serve_in_background(preview: Preview, port: int = 0) -> http.server.ThreadingHTTPServer:
    server = make_server(preview, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
