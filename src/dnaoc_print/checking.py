"""`dnaoc-print check`: validate everything a build reads, without typesetting.

Content, handout specs and every brand are loaded, and every document's HTML is
rendered, so template mistakes show up too. All problems from all files are
reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands import brand_names, load_brand
from dnaoc_print.errors import BuildError, ContentError, ContentErrors
from dnaoc_print.loading import load_project
from dnaoc_print.markup import address_problems as markdown_address_problems
from dnaoc_print.model import PAPERS
from dnaoc_print.templating import Layouts


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def check(root: Path) -> CheckReport:
    report = CheckReport()
    try:
        project = load_project(root)
    except ContentErrors as problems:
        report.errors += [str(error) for error in problems.errors]
        project = None
    brands = {}
    for name in brand_names(root.resolve()):
        try:
            brand, warnings = load_brand(root, name)
        except ContentErrors as problems:
            report.errors += [str(error) for error in problems.errors]
            continue
        report.warnings += [str(warning) for warning in warnings]
        brands[name] = brand
    if project is None:
        return report
    report.checked = [str(g.source) for g in project.guides] + [
        str(h.source) for h in project.handouts
    ]
    # Images and links in the Markdown, resolved as a build would (see addresses.py).
    addresses = markdown_address_problems(project)
    for name, brand in brands.items():
        layouts = Layouts(project, brand)
        try:
            for guide in project.guides:
                for paper in PAPERS:
                    layouts.guide(guide, paper)
            for handout in project.handouts:
                if handout.brand in (None, name):
                    addresses += layouts.handout_sheet(handout).address_problems
        except BuildError as error:
            report.errors.append(f"brand {name}: {error}")
    for problem in dict.fromkeys(addresses):
        (report.errors if problem.fatal else report.warnings).append(str(problem))
    # A brand that exists but failed to load has its errors above already.
    known = brand_names(root.resolve())
    for handout in project.handouts:
        if handout.brand and handout.brand not in known:
            report.errors.append(
                str(
                    ContentError(
                        f"no brand '{handout.brand}'",
                        path=handout.source,
                        hint=f"brands: {', '.join(known) or 'none'}",
                    )
                )
            )
    return report
