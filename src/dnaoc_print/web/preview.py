"""What the web server shows: the project as loaded now, and its documents as pages.

Every page shown is a page of the real PDF, typeset by the same pipeline as the CLI
in the build's worker processes (page_images.py) and rendered to an image. Results
are kept per content version, so an unchanged document is never typeset twice, and
an edit to any source file (``content_version``) makes everything fresh.

The project is loaded with ``partial=True``: a broken file stops only what depends
on it. A guide or handout that cannot be made shows its own problems (file, line)
on its own page; every other guide, handout and the composer keep working, and the
composer offers every story that loaded.
"""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import handout_job
from dnaoc_print.build.slide_documents import slides_preview
from dnaoc_print.build.work import Job, RunOptions
from dnaoc_print.content.brand_folders import DEFAULT_BRAND, brand_names
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import ContentErrors, DnaocError
from dnaoc_print.model import Broken, Guide, Handout, Project
from dnaoc_print.web.composer_brands import read_brand_choices
from dnaoc_print.web.page_images import (
    PREVIEW_TIME_LIMIT,
    HandoutResult,
    PagesResult,
    typeset_handout,
    typeset_pages,
)
from dnaoc_print.web.preview_pool import Busy, PreviewPool

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
    """The project at one content version: everything that loaded, and what is broken.

    ``project`` is None only when there is no project at all (its content folder is
    gone); ``problems`` then says why.
    """

    version: str
    project: Project | None
    problems: list[str] = field(default_factory=list)
    brands: Brands | None = None
    brand_names: list[str] = field(default_factory=list)
    # Each brand's printed name, and whether it is an example (composer_brands.py).
    brand_choices: list = field(default_factory=list)
    # Rendering HTML (Jinja, Markdown) is quick and not meant for several threads at once.
    render_lock: threading.Lock = field(default_factory=threading.Lock)

    def broken(self, kind: str, name: str) -> Broken | None:
        """Why this guide or handout cannot be made, if it cannot."""
        broken = self.project.broken if self.project else ()
        kind = _made_from(kind)
        return next((b for b in broken if b.kind == kind and b.name == name), None)

    def documents(self, kind: str) -> list[Document]:
        """Every guide (or handout), in order: a broken one has a page too, to show
        its problems."""
        if self.project is None:
            return []
        made = self.project.handouts if kind == "handout" else self.project.guides
        good = [Document(_name(item), item.title, item.source.as_posix()) for item in made]
        broken = sorted(
            (Document(b.name, b.name, b.source.as_posix(), b) for b in self.project.broken
             if b.kind == _made_from(kind)),
            key=lambda document: document.name,
        )  # fmt: skip
        return good + broken

    def document(self, kind: str, name: str) -> Document | None:
        return next((d for d in self.documents(kind) if d.name == name), None)


class Document(NamedTuple):
    """A guide or handout as the pages index lists it."""

    name: str
    title: str
    source: str
    broken: Broken | None = None


def _made_from(kind: str) -> str:
    """A guide's slide pack ("slides") is made from the guide."""
    return "guide" if kind == "slides" else kind


def _name(item: Guide | Handout) -> str:
    return item.slug if isinstance(item, Guide) else item.name


class Workspace:
    """The project the server shows, and the typesetting it asks the workers for."""

    def __init__(
        self,
        root: Path,
        brand: str | None = None,
        workers: int = 2,
        time_limit: float = PREVIEW_TIME_LIMIT,
        waiting: int | None = None,
    ) -> None:
        self.root = root.resolve()
        self.brand = brand or DEFAULT_BRAND
        self.pool = PreviewPool(workers, time_limit, waiting)
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
            project = load_project(self.root, partial=True)
        except ContentErrors as errors:
            return Loaded(version, None, [str(error) for error in errors.errors])
        return Loaded(
            version,
            project,
            [str(problem) for problem in project.problems],
            brands=Brands(project),
            brand_names=brand_names(self.root),
            brand_choices=read_brand_choices(self.root),
        )

    def options(self) -> RunOptions:
        """The build's options for the server's typesetting (the epoch read now, as a
        build reads it), and the project as the only folder files come from."""
        return RunOptions(allowed_roots=(self.root,), time_limit=self.pool.time_limit)

    def handout(self, loaded: Loaded, handout: Handout) -> HandoutResult:
        """A handout typeset as the CLI typesets it (cached for this content version)."""
        brand = handout.brand or self.brand
        # Keyed by everything the handout prints (the whole form), so no facilitator
        # is ever shown another's page; a digest, so the keys hold no one's name.
        whole_form = f"{loaded.version} {brand} {handout!r}".encode()
        key = "handout " + hashlib.sha256(whole_form).hexdigest()

        def make() -> concurrent.futures.Future:
            if self.pool.full():
                raise Busy
            with loaded.render_lock:
                planned = handout_job(
                    handout, loaded.brands, brand, self.root / "build" / "handouts" / "preview.pdf"
                )
                job = planned.make()
            return self.pool.submit(typeset_handout, job, self.options())

        return self._result(key, make, HandoutResult)

    def document_pages(self, loaded: Loaded, kind: str, name: str) -> PagesResult | None:
        """A guide's or a shipped handout's pages; None if there is no such document.

        A broken one has no pages: its problems are its result."""
        project = loaded.project
        if project is None:
            return None
        if broken := loaded.broken(kind, name):
            return PagesResult(error="\n".join(str(error) for error in broken.errors))
        if kind == "handout":
            handout = next((h for h in project.handouts if h.name == name), None)
            if handout is None:
                return None
            result = self.handout(loaded, handout)
            return PagesResult([result.image] if result.image else [], result.error)
        guide = next((g for g in project.guides if g.slug == name), None)
        if guide is None:
            return None
        key = f"{kind} {loaded.version} {self.brand} {name}"

        def make() -> concurrent.futures.Future:
            if self.pool.full():
                raise Busy
            with loaded.render_lock:
                layouts = loaded.brands.templates(self.brand)
                if kind == "slides":
                    document = slides_preview(layouts, guide)
                else:
                    document = layouts.guide(guide)
            job = Job(f"{kind} {guide.slug}", Path("preview.pdf"), document)
            return self.pool.submit(typeset_pages, job, self.options())

        return self._result(key, make, PagesResult)

    def _result(self, key: str, make, kind: type):
        with self._lock:
            future = self._results.get(key)
            if future is not None:
                self._results.move_to_end(key)
        if future is None:
            try:
                future = make()
            except DnaocError as error:
                future = concurrent.futures.Future()
                future.set_result(kind(error=str(error)))
            with self._lock:
                # Another request may have made it meanwhile: keep one.
                future = self._results.setdefault(key, future)
                while len(self._results) > KEPT_RESULTS:
                    self._results.popitem(last=False)
        result = future.result()
        if result.lost:
            # Its worker ended first: the next request tries again.
            with self._lock:
                if self._results.get(key) is future:
                    del self._results[key]
        return result

    def close(self) -> None:
        self.pool.close()
