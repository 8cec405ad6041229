"""The build, read top to bottom like a table of contents:
load content -> render layouts -> skip what is up to date -> typeset in parallel ->
write atomically -> record in the manifest -> remove what it made that has no source.

One broken file fails only the outputs that depend on it (its guide or handout, a
story they show, a shared section, a brand, a layout); everything else is built.
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
from dnaoc_print.brand_folders import find_brand
from dnaoc_print.brands import DEFAULT_BRAND, layout_folders, load_brand
from dnaoc_print.errors import ContentError, ContentErrors, DnaocError, shown_path
from dnaoc_print.handout_specs import COMMAND_LINE
from dnaoc_print.jobs import DEFAULT_TIME_LIMIT, Job, Outcome, RunOptions, run_jobs
from dnaoc_print.loading import load_project
from dnaoc_print.manifest import Manifest, fingerprint, sha256_file, sha256_text
from dnaoc_print.model import Brand, Guide, Handout, Project, Story
from dnaoc_print.placeholders import find_placeholders

if TYPE_CHECKING:
    from dnaoc_print.print_outputs import PrintOptions
    from dnaoc_print.templating import Layouts


@dataclass
class BuildReport:
    outcomes: list[Outcome]
    seconds: float
    # Warnings about the build as a whole (a brand's contrast), not one document.
    notes: list[str] = field(default_factory=list)
    # Content problems that stop no output (an unused story, say): still errors.
    problems: list[ContentError] = field(default_factory=list)
    # Outputs of earlier builds whose source is gone, removed (or kept, and why).
    removed: list[str] = field(default_factory=list)
    # What a brand file gives that is not used, or is taken from the default brand.
    brand_notes: list[str] = field(default_factory=list)
    # What a print option left out, and why (--two-up and whole-sheet handouts).
    print_notes: list[str] = field(default_factory=list)

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
        self.brand_notes: list[str] = []
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
            self.brand_notes += [note for note in brand.notes if note not in self.brand_notes]
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


def _wording_input(project: Project) -> dict[str, str]:
    """The printed wording every guide and handout uses (content/shared/wording.yaml)."""
    return {"content/shared/wording.yaml": sha256_text(json.dumps(project.words, sort_keys=True))}


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
        # Which file this output is made from, so a later build can tell it is gone.
        "source": guide.source.as_posix(),
        str(guide.source): sha256_file(project.root / guide.source),
        **{f"content/shared/{name}.md": sha256_text(text) for name, text in project.shared.items()},
        # Every guide lists the series, so each depends on every guide's title (a
        # broken guide's too, so breaking one guide changes no other).
        "series": sha256_text("|".join(entry.title for entry in project.series)),
        **_story_inputs(guide.stories),
        **_wording_input(project),
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
    # Advice in the terms the handout was written in: flags, or a spec's fields.
    typed = handout.source == COMMAND_LINE
    if handout.notes != "none":
        remedies.append("leave out the notes (--notes none)" if typed else "set notes: none")
    if handout.content_warning is True:
        # The standard warning, asked for or given because a story has a content note.
        remedies.append(
            "leave out the standard content warning (--no-content-warning)"
            if typed
            else "leave out the standard content warning (content_warning: false)"
        )
    elif handout.content_warning:
        remedies.append("shorten the content warning")
    if handout.paper == "a5":
        remedies.append("print on A4 (--paper a4)" if typed else "print on A4 (paper: a4)")
    if handout.paper == "half-letter":
        remedies.append(
            "print on Letter (--paper letter)" if typed else "print on Letter (paper: letter)"
        )
    name = f"handout {handout.name}"
    inputs = {
        "source": handout.source.as_posix(),
        # Everything the spec says, as loaded (a spec file, flags or a CSV row alike).
        "handout": sha256_text(repr(dataclasses.replace(handout, stories=(), questions=()))),
        **_story_inputs(handout.stories),
        **{
            f"question:{q.guide}:{q.number}" if q.guide else f"question:{n}": sha256_text(q.text)
            for n, q in enumerate(handout.questions, 1)
        },
        **_wording_input(brands.project),
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


def failed_outcome(name: str, target: Path, errors: list[ContentError] | tuple) -> Outcome:
    """The outcome of an output that cannot be made, with every problem that stops it."""
    text = "\n".join(str(error) for error in errors)
    return Outcome(name, target, "failed", error=text.replace("\n", "\n  "))


def default_out_dir(root: Path, brand: str | None) -> Path:
    """build/ for the default brand; build/<brand>/ for any other, so brands never mix."""
    # Brand names are matched without regard to case, so the folder is lower-case.
    if brand is None or brand.lower() == DEFAULT_BRAND:
        return root / "build"
    return root / "build" / brand.lower()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_planned(
    planned: list[PlannedJob | Outcome],
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

    Without ``out_dir`` there is no manifest: everything is typeset. An item that
    is already an Outcome (a failure found while planning) is reported as it is, and
    so is a job whose HTML cannot be rendered.
    """
    manifest = Manifest(out_dir) if out_dir is not None else None
    if on_plan:
        on_plan(len(planned))
    outcomes: list[Outcome] = []
    to_run: dict[Path, PlannedJob] = {}
    jobs = []
    for item in planned:
        if isinstance(item, Outcome):
            # Could not even be planned (a broken brand or layout): failed already.
            outcomes.append(item)
            if on_outcome:
                on_outcome(item)
        elif manifest and not force and manifest.is_fresh(item.target, item.fingerprint):
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
            try:
                jobs.append(item.make())
            except DnaocError as error:
                # A layout that cannot be rendered fails the outputs that use it.
                outcome = Outcome(item.name, item.target, "failed", error=str(error))
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
                continue
            to_run[item.target] = item
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


def planned_or_failed(name: str, target: Path, plan: Callable[[], PlannedJob]):
    """The planned job, or a failed outcome if planning it fails (its brand is broken)."""
    try:
        return plan()
    except ContentErrors as problems:
        return failed_outcome(name, target, problems.errors)
    except DnaocError as error:
        return Outcome(name, target, "failed", error=str(error))


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
    print_options: PrintOptions | None = None,
) -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``.

    ``brand`` dresses every guide, and every handout whose spec names no brand.
    Outputs whose inputs have not changed since the last build are left alone. A
    guide or handout whose files are broken is a failed outcome naming the problems;
    everything else is built. Raises only when nothing could be built (no project,
    or the brand every output wears is broken). ``on_plan`` hears how many outputs
    there are, ``on_outcome`` each outcome as it comes.
    """
    started = time.perf_counter()
    project = load_project(root, partial=True)
    out_dir = (out_dir or default_out_dir(project.root, brand)).resolve()
    check_brand_flag(project.root, brand)
    brands = Brands(project, strict)
    # Every guide wears this brand: if it is broken, nothing can be built.
    brands.brand(brand)
    suffix = "" if paper == "a4" else f"-{paper}"
    planned: list[PlannedJob | Outcome] = [
        planned_or_failed(
            f"guide {g.slug}",
            out_dir / "guides" / f"{g.slug}{suffix}.pdf",
            lambda g=g: guide_job(g, project, brands, brand, out_dir, paper),
        )
        for g in project.guides
    ]
    planned += [
        planned_or_failed(
            f"handout {h.name}",
            out_dir / "handouts" / f"{h.name}.pdf",
            lambda h=h: handout_job(h, brands, brand, out_dir / "handouts" / f"{h.name}.pdf"),
        )
        for h in project.handouts
    ]
    if print_options:
        # Booklets, two-up handouts, print-shop, archive and large-print copies.
        from dnaoc_print.print_outputs import print_jobs, two_up_notes

        planned += print_jobs(project, brands, brand, out_dir, paper, print_options)
        print_notes = two_up_notes(project.handouts, print_options)
    else:
        print_notes = []
    folders = {"guide": ("guides", suffix), "handout": ("handouts", "")}
    for item in project.broken:
        folder, ending = folders[item.kind]
        target = out_dir / folder / f"{item.name}{ending}.pdf"
        planned.append(failed_outcome(f"{item.kind} {item.name}", target, item.errors))
    # Placeholders such as ((Your name here)) are warnings; --strict prints none of them.
    placeholders = find_placeholders(project.root)
    if placeholders and strict:
        planned = [stopped_by_placeholders(item, placeholders) for item in planned]
    outcomes = run_planned(
        planned,
        out_dir,
        [project.root],
        strict=strict,
        force=force,
        workers=workers,
        time_limit=time_limit,
        on_outcome=on_outcome,
        on_plan=on_plan,
    )
    removed = remove_leftovers(project, out_dir)
    # Problems that belong to no output are errors all the same.
    stopping = {error for item in project.broken for error in item.errors}
    loose = [error for error in project.problems if error not in stopping]
    notes = brands.notes + [str(placeholder) for placeholder in placeholders]
    notes += [
        f"{item.source}: the guides' series list leaves out this guide, as its title or "
        "order cannot be read; fix them and build again"
        for item in project.unlisted_guides
    ]
    return BuildReport(
        outcomes,
        time.perf_counter() - started,
        notes,
        loose,
        removed,
        brands.brand_notes,
        print_notes=print_notes,
    )


def stopped_by_placeholders(
    item: PlannedJob | Outcome, placeholders: list[ContentError]
) -> PlannedJob | Outcome:
    """Under --strict, an output that would print a placeholder fails, alone.

    A placeholder in a guide's or handout's own file stops that output; one in any
    other content file (a shared section, the stories, the wording) may be printed in
    any of them, so it stops them all.
    """
    if isinstance(item, Outcome):
        return item
    sources = {item.inputs.get("source")}
    own = [p for p in placeholders if p.path and p.path.as_posix() in sources]
    shared = [
        p
        for p in placeholders
        if p.path
        and p.path.parts[:2] != ("content", "guides")
        and p.path.parts[:2] != ("content", "handouts")
    ]
    stopping = own + shared
    if not stopping:
        return item
    return failed_outcome(item.name, item.target, stopping)


def check_brand_flag(root: Path, brand: str | None) -> None:
    """A brand asked for with --brand must exist (in any capitals); the error names the flag."""
    if not brand:
        return
    try:
        find_brand(root, brand)
    except ContentErrors as problems:
        raise ContentErrors(
            [
                ContentError(error.message, flag="--brand", hint=error.hint)
                for error in problems.errors
            ]
        ) from None


def remove_leftovers(project: Project, out_dir: Path) -> list[str]:
    """Remove PDFs an earlier build made (they are in its manifest) whose source file is
    gone: a guide or handout renamed or deleted. A PDF changed since it was written is
    kept; nothing the manifest does not list is touched. Returns one line for each."""
    manifest = Manifest(out_dir)
    lines = []
    for key, entry in list(manifest.outputs.items()):
        source = (entry.get("inputs") or {}).get("source")
        if not source or (project.root / source).exists():
            continue
        target = out_dir / key
        shown = shown_path(target, project.root)
        if target.is_file() and sha256_file(target) != entry.get("sha256"):
            lines.append(f"kept {shown}: its source {source} is gone, but it was changed since")
        else:
            target.unlink(missing_ok=True)
            lines.append(f"removed {shown}: its source {source} is gone")
        del manifest.outputs[key]
    if lines:
        manifest.save(f"dnaoc-print {__version__}")
    return lines
