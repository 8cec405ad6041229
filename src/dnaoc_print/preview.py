"""What the web server shows: the project as loaded now, and its documents as pages.

Every page shown is a page of the real PDF, typeset by the same pipeline as the CLI
in the worker pool (page_images.py) and rendered to an image. Results are kept per
content version, so an unchanged document is never typeset twice, and an edit to
any source file (``content_version``) makes everything fresh.

A content problem never stops the server: it is shown where it applies, and every
document that can still be made is made.
"""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands import DEFAULT_BRAND, brand_names
from dnaoc_print.build import Brands, handout_job
from dnaoc_print.errors import ContentErrors, DnaocError
from dnaoc_print.loading import load_project
from dnaoc_print.model import Handout, Project
from dnaoc_print.page_images import (
    HandoutResult,
    PagesResult,
    WorkerPool,
    typeset_handout,
    typeset_pages,
)

# The folders documents are made from; a change in any of them is a new version.
WATCHED = ("content", "layouts", "brands", "fonts")
# Typeset results kept in memory (a guide's pages are about 2 MB of PNG).
KEPT_RESULTS = 48


def content_version(root: Path) -> str:
    """Changes whenever a file the documents are made from is edited, added or removed."""
    stamps = hashlib.sha256()
    for folder in WATCHED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                stamps.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
    return stamps.hexdigest()[:16]


@dataclass
class Loaded:
    """The project at one content version, or the problems that stopped it loading."""

    version: str
    project: Project | None
    problems: list[str] = field(default_factory=list)
    brands: Brands | None = None
    brand_names: list[str] = field(default_factory=list)
    # Rendering HTML (Jinja, Markdown) is quick and not meant for several threads at once.
    render_lock: threading.Lock = field(default_factory=threading.Lock)

    def guide_slugs(self, root: Path) -> list[str]:
        """Every guide, by its file: a guide that failed to load still has a page."""
        loaded = [guide.slug for guide in self.project.guides] if self.project else []
        files = sorted(path.stem for path in (root / "content" / "guides").glob("*.md"))
        return loaded + [slug for slug in files if slug not in loaded]

    def problems_of(self, relative: str) -> list[str]:
        """The problems naming this file, or all of them when none does."""
        own = [problem for problem in self.problems if problem.startswith(relative)]
        return own or self.problems


class Workspace:
    """The project the server shows, and the typesetting it asks the workers for."""

    def __init__(self, root: Path, brand: str | None = None, workers: int = 2) -> None:
        self.root = root.resolve()
        self.brand = brand or DEFAULT_BRAND
        self.pool = WorkerPool(workers)
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._results: collections.OrderedDict[str, concurrent.futures.Future] = (
            collections.OrderedDict()
        )

    def version(self) -> str:
        return content_version(self.root)

    def loaded(self) -> Loaded:
        """The project as it is now: loaded again only after a file has changed."""
        version = self.version()
        with self._lock:
            if self._loaded is None or self._loaded.version != version:
                self._loaded = self._load(version)
            return self._loaded

    def _load(self, version: str) -> Loaded:
        try:
            project = load_project(self.root)
        except ContentErrors as errors:
            return Loaded(version, None, [str(error) for error in errors.errors])
        except DnaocError as error:
            return Loaded(version, None, [str(error)])
        return Loaded(version, project, brands=Brands(project), brand_names=brand_names(self.root))

    def handout(self, loaded: Loaded, handout: Handout) -> HandoutResult:
        """A handout typeset as the CLI typesets it (cached for this content version)."""
        brand = handout.brand or self.brand
        key = f"handout {loaded.version} {brand} {handout!r}"

        def make() -> concurrent.futures.Future:
            with loaded.render_lock:
                planned = handout_job(
                    handout, loaded.brands, brand, self.root / "build" / "handouts" / "preview.pdf"
                )
                job = planned.make()
            return self.pool.submit(typeset_handout, job, (self.root,))

        return self._result(key, make)

    def document_pages(self, loaded: Loaded, kind: str, name: str) -> PagesResult | None:
        """A guide's or a shipped handout's pages; None if there is no such document."""
        project = loaded.project
        if project is None:
            return None
        if kind == "handout":
            handout = next((h for h in project.handouts if h.name == name), None)
            if handout is None:
                return None
            result = self.handout(loaded, handout)
            return PagesResult([result.image] if result.image else [], result.error)
        guide = next((g for g in project.guides if g.slug == name), None)
        if guide is None:
            return None
        key = f"guide {loaded.version} {self.brand} {name}"

        def make() -> concurrent.futures.Future:
            with loaded.render_lock:
                planned = _guide_job(loaded, guide, self.brand)
            return self.pool.submit(typeset_pages, planned, (self.root,))

        return self._result(key, make)

    def _result(self, key: str, make):
        with self._lock:
            future = self._results.get(key)
            if future is not None:
                self._results.move_to_end(key)
        if future is None:
            try:
                future = make()
            except DnaocError as error:
                future = concurrent.futures.Future()
                future.set_result(_failed(key, str(error)))
            with self._lock:
                # Another request may have made it meanwhile: keep one.
                future = self._results.setdefault(key, future)
                while len(self._results) > KEPT_RESULTS:
                    self._results.popitem(last=False)
        return future.result()

    def close(self) -> None:
        self.pool.shutdown()


def _guide_job(loaded: Loaded, guide, brand: str):
    from dnaoc_print.jobs import Job

    document = loaded.brands.layouts(brand).guide(guide)
    return Job(f"guide {guide.slug}", Path("preview.pdf"), document)


def _failed(key: str, error: str):
    return HandoutResult(error=error) if key.startswith("handout") else PagesResult(error=error)
