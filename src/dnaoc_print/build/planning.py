"""Deciding what a build makes: each output, the inputs it is made from, and its job.

A planned job names its output and the hashes of everything that output is drawn
from (its content file, the stories, questions and wording it prints, its brand's
files, the package and the options), so the manifest can say whether it is up to date
without rendering anything. Only when it is not is its job made (HTML rendered).

An output that cannot be planned (its brand is broken) or must not be made (under
--strict, it would print a placeholder) is a failed outcome naming every problem.
Carrying the plan out is ``running``'s work.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dnaoc_print import __version__
from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.fit_advice import FIT_SETTINGS, SPEC_LINE, overflow_advice
from dnaoc_print.build.manifest import fingerprint, sha256_file, sha256_text
from dnaoc_print.build.work import Job, Outcome
from dnaoc_print.content.addresses import image_inputs, shared_path
from dnaoc_print.content.brand_folders import brand_problem
from dnaoc_print.content.spec_checks import COMMAND_LINE
from dnaoc_print.content.specs import spec_line, spec_lines
from dnaoc_print.errors import ContentError, ContentErrors, DnaocError
from dnaoc_print.model import Guide, Handout, Project, Story


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
        make=lambda: Job(name, target, brands.templates(brand).guide(guide, paper)),
    )


def handout_job(
    handout: Handout,
    brands: Brands,
    brand: str | None,
    target: Path,
    places: Mapping[str, str] | None = None,
    row: bool = False,
) -> PlannedJob:
    """The job of one handout; ``places`` says where its settings were made, for the
    advice if it does not fit (see ``overflow_advice``). A handout of a spec file
    (not a CSV ``row``, which is named by its own line) that does not fit is named by
    its file, and the advice by the lines of the settings to change (read from the
    file when ``places`` is not given)."""
    brand = handout.brand or brand
    in_file = not row and _is_spec_file(brands.project.root, handout.source)
    _check_spec_brand(handout, brands)
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
            sheet=brands.templates(brand).handout_sheet(handout),
            overflow_advice=_advice(handout, brands.project.root, places, in_file),
            overflow_place=handout.source.as_posix() if in_file else "",
        ),
    )


def _advice(handout: Handout, root: Path, places: Mapping[str, str] | None, in_file: bool) -> str:
    """The advice should the handout not fit, worked out when its job is made (an
    output that is up to date never reads its spec again for it): a spec file's lines
    read from the file when ``places`` does not say them."""
    if in_file and places is None:
        lines = spec_lines(root, handout.source, FIT_SETTINGS)
        places = {key: f"{SPEC_LINE}{line}" for key, line in lines.items()}
    return overflow_advice(handout, places)


def _is_spec_file(root: Path, source: Path) -> bool:
    """Whether a handout was read from a spec file (not from the command line's flags,
    nor the composer's form): one in the project is shown relative to it, one outside
    as it was given."""
    return (root / source).is_file() or source.is_file()


def _check_spec_brand(handout: Handout, brands: Brands) -> None:
    """A brand the spec names that does not exist is blamed on the spec's line (the
    handout command's reader finds it first; a build finds it here)."""
    if not handout.brand or handout.source == COMMAND_LINE:
        return
    try:
        brands.brand(handout.brand)
    except ContentErrors:
        root = brands.project.root
        if problem := brand_problem(root, handout.brand):
            line = spec_line(root, handout.source, "brand")
            problem = ContentError(
                problem.message, path=handout.source, line=line, hint=problem.hint
            )
            raise ContentErrors([problem]) from None
        raise


def _story_inputs(stories: tuple[Story, ...]) -> dict[str, str]:
    return {f"story:{story.id}": _story_digest(story) for story in stories}


@functools.lru_cache(maxsize=1024)
def _story_digest(story: Story) -> str:
    # Kept: every row of a CSV batch names its stories again.
    return sha256_text(json.dumps(dataclasses.asdict(story), sort_keys=True))


def _wording_input(project: Project) -> dict[str, str]:
    """The printed wording every guide and handout uses (content/shared/wording.yaml)."""
    return {"content/shared/wording.yaml": sha256_text(json.dumps(project.words, sort_keys=True))}


def _code_digest() -> str:
    """The package's own code, so a change to it (not only a new version) rebuilds."""
    # Every module of every sub-package, by its path in the package, so a moved or
    # renamed module counts as a change too.
    package = Path(__file__).parents[1]
    modules = sorted(package.rglob("*.py"))
    return sha256_text(
        "".join(f"{p.relative_to(package).as_posix()}:{sha256_file(p)}" for p in modules)
    )


_CODE_DIGEST = _code_digest()


def _options(**options: object) -> dict[str, str]:
    return {
        "dnaoc-print": f"{__version__} {_CODE_DIGEST}",
        # Dates in the PDF come from here when content gives none.
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
        **{f"option:{k}": str(v) for k, v in options.items()},
    }


def planned_or_failed(name: str, target: Path, plan: Callable[[], PlannedJob]):
    """The planned job, or a failed outcome if planning it fails (its brand is broken)."""
    try:
        return plan()
    except ContentErrors as problems:
        return failed_outcome(name, target, problems.errors)
    except DnaocError as error:
        return Outcome(name, target, "failed", error=str(error))


def failed_outcome(name: str, target: Path, errors: list[ContentError] | tuple) -> Outcome:
    """The outcome of an output that cannot be made, with every problem that stops it."""
    text = "\n".join(str(error) for error in errors)
    return Outcome(name, target, "failed", error=text.replace("\n", "\n  "))


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
