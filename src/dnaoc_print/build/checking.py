"""`dnaoc-print check`: validate everything a build reads, without typesetting.

Content, handout specs and brands are loaded, and every document's HTML is
rendered, so template mistakes show up too. All problems from all files are
reported together, each once, and the counts add up: every guide, handout and
brand is either fine or has problems, and the number of errors is the number of
messages shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.brands.reader import BrandErrors
from dnaoc_print.content.brand_folders import (
    brand_names,
    brand_problem,
    find_brand,
    folder_problems,
)
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.placeholders import find_placeholders
from dnaoc_print.content.specs import spec_line
from dnaoc_print.errors import BuildError, ContentError, ContentErrors
from dnaoc_print.model import PAPERS, Brand, Project
from dnaoc_print.render.markup import address_problems as markdown_address_problems
from dnaoc_print.render.templating import Templates


@dataclass
class Tally:
    """How many of one kind of thing were checked, and which have problems."""

    total: int = 0
    broken: set[str] = field(default_factory=set)

    @property
    def fine(self) -> int:
        return self.total - len(self.broken)


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The sources of the guides and handouts that can be built.
    checked: list[str] = field(default_factory=list)
    guides: Tally = field(default_factory=Tally)
    handouts: Tally = field(default_factory=Tally)
    brands: Tally = field(default_factory=Tally)
    # What a brand file gives that is not used, or takes from the default brand.
    notes: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        if text not in self.errors:
            self.errors.append(text)

    def summary(self) -> str:
        """One line of counts: "checked 5 guides (4 fine, 1 with errors), ...: 2 errors"."""
        parts = []
        for name, tally in (
            ("guide", self.guides),
            ("handout", self.handouts),
            ("brand", self.brands),
        ):
            noun = name if tally.total == 1 else f"{name}s"
            detail = f"{tally.fine} fine"
            if tally.broken:
                detail += f", {len(tally.broken)} with errors"
            parts.append(f"{tally.total} {noun} ({detail})")
        errors = "error" if len(self.errors) == 1 else "errors"
        warnings = "warning" if len(self.warnings) == 1 else "warnings"
        return (
            f"checked {', '.join(parts)}: "
            f"{len(self.errors)} {errors}, {len(self.warnings)} {warnings}"
        )


def brands_to_check(root: Path, brand: str | None, project) -> list[str]:
    """Every usable brand; or, with ``brand``, what ``build --brand`` would use: that
    brand and the brands handout specs name."""
    if brand is None:
        unusable = folder_problems(root)
        return [name for name in brand_names(root) if name not in unusable]
    named = [h.brand for h in project.handouts if h.brand]
    # A spec naming no brand at all is reported with the spec, not here.
    return list(dict.fromkeys([brand] + [name for name in named if _exists(root, name)]))


def _exists(root: Path, name: str) -> bool:
    try:
        find_brand(root, name)
    except ContentErrors:
        return False
    return True


def _same_brand(root: Path, asked: str, name: str) -> bool:
    return _exists(root, asked) and find_brand(root, asked) == name


def check_project(root: Path, brand: str | None = None) -> CheckReport:
    """Everything a build reads, checked without typesetting: the content, the brands
    (``brand`` alone, or every one), the documents each renders, and their addresses."""
    report = CheckReport()
    project = load_project(root, partial=True)
    _tally_content(report, project)
    brands = _check_brands(report, project, brand)
    # Words left to be replaced, e.g. ((Your name here)): printed as they are otherwise.
    report.warnings += [str(placeholder) for placeholder in find_placeholders(project.root)]
    report.checked = [str(g.source) for g in project.guides] + [
        str(h.source) for h in project.handouts
    ]
    # Images and links in the Markdown, resolved as a build would (see addresses.py).
    addresses = markdown_address_problems(project)
    for name, loaded in brands.items():
        addresses += _render_documents(report, project, name, loaded, brand)
    _report_addresses(report, project, addresses)
    _check_spec_brands(report, project)
    return report


def _tally_content(report: CheckReport, project: Project) -> None:
    for problem in project.problems:
        report.error(str(problem))
    for item in project.broken:
        tally = report.guides if item.kind == "guide" else report.handouts
        tally.broken.add(item.name)
    report.guides.total = len(project.guides) + len(report.guides.broken)
    report.handouts.total = len(project.handouts) + len(report.handouts.broken)


def _check_brands(report: CheckReport, project: Project, brand: str | None) -> dict[str, Brand]:
    """Load each brand to check; the ones that load, by name."""
    root = project.root
    brands = {}
    if brand is None:
        for name, problem in folder_problems(root).items():
            report.error(str(problem))
            report.brands.broken.add(name)
    to_check = brands_to_check(root, brand, project)
    report.brands.total = len(to_check) + len(report.brands.broken)
    for name in to_check:
        try:
            loaded, warnings = load_brand(root, name)
        except ContentErrors as problems:
            for error in problems.errors:
                report.error(str(error))
            # Low contrast is a warning, whether or not the brand also has errors.
            if isinstance(problems, BrandErrors):
                report.warnings += [str(warning) for warning in problems.warnings]
            report.brands.broken.add(name)
            continue
        report.warnings += [str(warning) for warning in warnings]
        report.notes += list(loaded.notes)
        brands[loaded.name] = loaded
    return brands


def _render_documents(
    report: CheckReport, project: Project, name: str, loaded: Brand, brand: str | None
) -> list:
    """Render every guide (on every paper) and handout in one brand; the handouts'
    address problems."""
    addresses = []
    layouts = Templates(project, loaded)
    for guide in project.guides:
        try:
            for paper in PAPERS:
                layouts.guide(guide, paper)
        except BuildError as error:
            report.error(f"brand {name}: {error}")
            report.guides.broken.add(guide.slug)
    for handout in project.handouts:
        # A handout naming no brand is checked in every brand checked.
        wears = handout.brand or brand
        if wears is None or _same_brand(project.root, wears, name):
            try:
                addresses += layouts.handout_sheet(handout).address_problems
            except BuildError as error:
                report.error(f"brand {name}: {error}")
                report.handouts.broken.add(handout.name)
    return addresses


def _report_addresses(report: CheckReport, project: Project, addresses: list) -> None:
    for problem in dict.fromkeys(addresses):
        if not problem.fatal:
            report.warnings.append(str(problem))
            continue
        report.error(str(problem))
        # A missing image fails the guide or handout that shows it.
        for guide in project.guides:
            if problem.path == guide.source:
                report.guides.broken.add(guide.slug)
        for handout in project.handouts:
            if problem.path == handout.source:
                report.handouts.broken.add(handout.name)


def _check_spec_brands(report: CheckReport, project: Project) -> None:
    """A brand a spec names must exist, and be sound for its handout to be."""
    root = project.root
    for handout in project.handouts:
        if not handout.brand:
            continue
        if problem := brand_problem(root, handout.brand):
            line = spec_line(root, handout.source, "brand")
            report.error(
                str(
                    ContentError(problem.message, path=handout.source, line=line, hint=problem.hint)
                )
            )
            report.handouts.broken.add(handout.name)
            continue
        if find_brand(root, handout.brand) in report.brands.broken:
            report.handouts.broken.add(handout.name)
