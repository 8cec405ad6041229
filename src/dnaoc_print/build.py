"""The build, read top to bottom like a table of contents:
load content -> render layouts -> skip what is up to date -> typeset in parallel ->
write atomically -> record in the manifest.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dnaoc_print import __version__
from dnaoc_print.addresses import image_inputs, shared_path
from dnaoc_print.brands import DEFAULT_BRAND, layout_folders, load_brand
from dnaoc_print.errors import ContentErrors, shown_path
from dnaoc_print.jobs import DEFAULT_TIME_LIMIT, Job, Outcome, RunOptions, run_jobs
from dnaoc_print.loading import load_project
from dnaoc_print.manifest import Manifest, fingerprint, sha256_file, sha256_text
from dnaoc_print.model import Brand, Guide, Handout, Project, Story

if TYPE_CHECKING:
    from dnaoc_print.templating import Layouts


@dataclass
class BuildReport:
    outcomes: list[Outcome]
    seconds: float
    # Warnings about the build as a whole (a brand's contrast), not one document.
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def built(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "built"]

    @property
    def up_to_date(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "up to date"]


@dataclass
class PlannedJob:
    """An output, what it depends on, and how to make its job if it is not up to date.

    The fingerprint is computed from the inputs alone, so checking that an output is
    up to date renders no HTML at all.
    """

    name: str
    target: Path
    inputs: dict[str, str]
    make: Callable[[], Job]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.inputs)


class Brands:
    """The brands a build uses, each loaded once, with the layouts that wear it.

    A brand's warnings (contrast below WCAG AA) are kept for the report; under
    ``strict`` they are errors and stop the build before anything is typeset.
    """

    def __init__(self, project: Project, strict: bool = False) -> None:
        self.project = project
        self.strict = strict
        self.notes: list[str] = []
        self._brands: dict[str, Brand] = {}
        self._layouts: dict[str, Layouts] = {}
        self._digests: dict[str, dict[str, str]] = {}

    def brand(self, name: str | None) -> Brand:
        name = name or DEFAULT_BRAND
        if name not in self._brands:
            brand, warnings = load_brand(self.project.root, name)
            if warnings and self.strict:
                raise ContentErrors(warnings)
            self.notes += [str(warning) for warning in warnings]
            self._brands[name] = brand
        return self._brands[name]

    def layouts(self, name: str | None) -> Layouts:
        # Imported here: Jinja and Markdown are only needed when something is typeset.
        from dnaoc_print.templating import Layouts

        brand = self.brand(name)
        if brand.name not in self._layouts:
            self._layouts[brand.name] = Layouts(self.project, brand)
        return self._layouts[brand.name]

    def digest(self, name: str | None) -> dict[str, str]:
        """Hashes of every file a brand's documents are drawn from: layouts, brand, fonts."""
        brand = self.brand(name)
        if brand.name not in self._digests:
            root = self.project.root
            folders = layout_folders(root, brand)
            files = {p for folder in folders for p in folder.rglob("*") if p.is_file()}
            files |= {p for p in brand.folder.rglob("*") if p.is_file()}
            files |= {f.path for font in (brand.body_font, brand.heading_font) for f in font.files}
            self._digests[brand.name] = {
                shown_path(path, root).as_posix(): sha256_file(path) for path in sorted(files)
            }
        return self._digests[brand.name]


def _story_inputs(stories: tuple[Story, ...]) -> dict[str, str]:
    return {
        f"story:{story.id}": sha256_text(json.dumps(dataclasses.asdict(story), sort_keys=True))
        for story in stories
    }


def _code_digest() -> str:
    """The package's own code, so a change to it (not only a new version) rebuilds."""
    package = Path(__file__).parent
    return sha256_text("".join(sha256_file(p) for p in sorted(package.glob("*.py"))))


_CODE_DIGEST = _code_digest()


def _options(**options: object) -> dict[str, str]:
    return {
        "dnaoc-print": f"{__version__} {_CODE_DIGEST}",
        # Dates in the PDF come from here when content gives none.
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
        **{f"option:{k}": str(v) for k, v in options.items()},
    }


def guide_job(
    guide: Guide, project: Project, brands: Brands, brand: str | None, out_dir: Path, paper: str
) -> PlannedJob:
    suffix = "" if paper == "a4" else f"-{paper}"
    name = f"guide {guide.slug}"
    target = out_dir / "guides" / f"{guide.slug}{suffix}.pdf"
    inputs = {
        str(guide.source): sha256_file(project.root / guide.source),
        **{f"content/shared/{name}.md": sha256_text(text) for name, text in project.shared.items()},
        # Every guide lists the series, so each depends on every guide's title.
        "series": sha256_text("|".join(g.title for g in project.guides)),
        **_story_inputs(guide.stories),
        # The image files its Markdown shows (found as the Markdown renderer finds them).
        **image_inputs(
            project.root,
            [(guide.source, guide.body)]
            + [(shared_path(name), text) for name, text in project.shared.items()],
        ),
        **brands.digest(brand),
        **_options(paper=paper, brand=brands.brand(brand).name),
    }
    return PlannedJob(
        name,
        target,
        inputs,
        make=lambda: Job(name, target, brands.layouts(brand).guide(guide, paper)),
    )


def handout_job(handout: Handout, brands: Brands, brand: str | None, target: Path) -> PlannedJob:
    brand = handout.brand or brand
    remedies = ["remove a story or a question", "shorten the longest question"]
    if handout.notes != "none":
        remedies.append("set notes: none")
    if handout.content_warning:
        remedies.append("shorten the content warning")
    if handout.paper == "a5":
        remedies.append("print on A4")
    name = f"handout {handout.name}"
    inputs = {
        # Everything the spec says, as loaded (a spec file, flags or a CSV row alike).
        "handout": sha256_text(repr(dataclasses.replace(handout, stories=(), questions=()))),
        **_story_inputs(handout.stories),
        **{
            f"question:{q.guide}:{q.number}" if q.guide else f"question:{n}": sha256_text(q.text)
            for n, q in enumerate(handout.questions, 1)
        },
        **brands.digest(brand),
        **_options(brand=brands.brand(brand).name),
    }
    return PlannedJob(
        name,
        target,
        inputs,
        make=lambda: Job(
            name,
            target,
            sheet=brands.layouts(brand).handout_sheet(handout),
            overflow_advice="; ".join(remedies),
        ),
    )


def default_out_dir(root: Path, brand: str | None) -> Path:
    """build/ for the default brand; build/<brand>/ for any other, so brands never mix."""
    if brand in (None, DEFAULT_BRAND):
        return root / "build"
    return root / "build" / brand


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_planned(
    planned: list[PlannedJob],
    out_dir: Path | None,
    roots: list[Path],
    *,
    strict: bool = False,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Typeset what is not up to date, in parallel, and record it in the manifest.

    Without ``out_dir`` there is no manifest: everything is typeset.
    """
    manifest = Manifest(out_dir) if out_dir is not None else None
    if on_plan:
        on_plan(len(planned))
    outcomes: list[Outcome] = []
    to_run: dict[Path, PlannedJob] = {}
    for item in planned:
        if manifest and not force and manifest.is_fresh(item.target, item.fingerprint):
            entry = manifest.outputs[manifest.key(item.target)]
            outcome = Outcome(
                item.name,
                item.target,
                "up to date",
                entry["pages"],
                entry["bytes"],
                pdf_sha256=entry["sha256"],
            )
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        else:
            to_run[item.target] = item
    jobs = [item.make() for item in to_run.values()]
    options = RunOptions(tuple(roots), strict, time_limit)
    try:
        for outcome in run_jobs(jobs, options, workers or default_workers(), on_outcome):
            outcomes.append(outcome)
            if manifest and outcome.status == "built":
                item = to_run[outcome.target]
                manifest.record(
                    outcome.target,
                    item.fingerprint,
                    item.inputs,
                    outcome.page_count,
                    outcome.size,
                    outcome.pdf_sha256,
                )
    finally:
        # Even an interrupted build records what it finished.
        if manifest:
            manifest.save(f"dnaoc-print {__version__}")
    order = {item.target: index for index, item in enumerate(planned)}
    return sorted(outcomes, key=lambda outcome: order[outcome.target])


def build(
    root: Path,
    out_dir: Path | None = None,
    paper: str = "a4",
    brand: str | None = None,
    strict: bool = False,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``.

    ``brand`` dresses every guide, and every handout whose spec names no brand.
    Outputs whose inputs have not changed since the last build are left alone.
    """
    started = time.perf_counter()
    project = load_project(root)
    out_dir = (out_dir or default_out_dir(project.root, brand)).resolve()
    brands = Brands(project, strict)
    planned = [guide_job(g, project, brands, brand, out_dir, paper) for g in project.guides]
    planned += [
        handout_job(h, brands, brand, out_dir / "handouts" / f"{h.name}.pdf")
        for h in project.handouts
    ]
    outcomes = run_planned(
        planned,
        out_dir,
        [project.root],
        strict=strict,
        force=force,
        workers=workers,
        time_limit=time_limit,
        on_outcome=on_outcome,
    )
    return BuildReport(outcomes, time.perf_counter() - started, brands.notes)
