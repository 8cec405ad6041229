"""`dnaoc-print check`: validate everything a build reads, without typesetting.

Content, handout specs and every brand are loaded, and every document's HTML is
rendered, so template mistakes show up too. All problems from all files are
reported together, each once, and the counts add up: every guide, handout and
brand is either fine or has problems, and the number of errors is the number of
messages shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands import brand_names, load_brand
from dnaoc_print.errors import BuildError, ContentError, ContentErrors
from dnaoc_print.loading import load_project
from dnaoc_print.model import PAPERS
from dnaoc_print.templating import Layouts


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


def check(root: Path) -> CheckReport:
    report = CheckReport()
    project = load_project(root, partial=True)
    for problem in project.problems:
        report.error(str(problem))
    for item in project.broken:
        tally = report.guides if item.kind == "guide" else report.handouts
        tally.broken.add(item.name)
    report.guides.total = len(project.guides) + len(report.guides.broken)
    report.handouts.total = len(project.handouts) + len(report.handouts.broken)

    brands = {}
    names = brand_names(project.root)
    report.brands.total = len(names)
    for name in names:
        try:
            brand, warnings = load_brand(project.root, name)
        except ContentErrors as problems:
            for error in problems.errors:
                report.error(str(error))
            report.brands.broken.add(name)
            continue
        report.warnings += [str(warning) for warning in warnings]
        brands[name] = brand
    report.checked = [str(g.source) for g in project.guides] + [
        str(h.source) for h in project.handouts
    ]
    for name, brand in brands.items():
        layouts = Layouts(project, brand)
        for guide in project.guides:
            try:
                for paper in PAPERS:
                    layouts.guide(guide, paper)
            except BuildError as error:
                report.error(f"brand {name}: {error}")
                report.guides.broken.add(guide.slug)
        for handout in project.handouts:
            if handout.brand in (None, name):
                try:
                    layouts.handout_sheet(handout)
                except BuildError as error:
                    report.error(f"brand {name}: {error}")
                    report.handouts.broken.add(handout.name)
    for handout in project.handouts:
        if handout.brand and handout.brand not in names:
            report.error(
                str(
                    ContentError(
                        f"no brand '{handout.brand}'",
                        path=handout.source,
                        hint=f"brands: {', '.join(names) or 'none'}",
                    )
                )
            )
            report.handouts.broken.add(handout.name)
        elif handout.brand in report.brands.broken:
            report.handouts.broken.add(handout.name)
    return report
