"""`dnaoc-print check`: validate everything a build reads, without typesetting.

Content, handout specs and every brand are loaded, and every document's HTML is
rendered, so template mistakes show up too. All problems from all files are
reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brand_folders import find_brand, folder_problems
from dnaoc_print.brands import brand_names, load_brand
from dnaoc_print.errors import BuildError, ContentError, ContentErrors
from dnaoc_print.loading import load_project
from dnaoc_print.model import PAPERS
from dnaoc_print.templating import Layouts


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # What a brand file gives that is not used, or takes from the default brand.
    notes: list[str] = field(default_factory=list)


def brands_to_check(root: Path, brand: str | None, project) -> list[str]:
    """Every brand; or, with ``brand``, what ``build --brand`` would use: that brand and
    the brands handout specs name."""
    if brand is None:
        unusable = folder_problems(root)
        return [name for name in brand_names(root) if name not in unusable]
    named = [h.brand for h in project.handouts if h.brand] if project else []
    # A spec naming no brand at all is reported with the spec, not here.
    return list(dict.fromkeys([brand] + [name for name in named if _exists(root, name)]))


def _exists(root: Path, name: str) -> bool:
    try:
        find_brand(root, name)
    except ContentErrors:
        return False
    return True


def check(root: Path, brand: str | None = None) -> CheckReport:
    report = CheckReport()
    try:
        project = load_project(root)
    except ContentErrors as problems:
        report.errors += [str(error) for error in problems.errors]
        project = None
    brands = {}
    if brand is None:
        report.errors += [str(problem) for problem in folder_problems(root.resolve()).values()]
    for name in brands_to_check(root.resolve(), brand, project):
        try:
            loaded, warnings = load_brand(root, name)
        except ContentErrors as problems:
            report.errors += [str(error) for error in problems.errors]
            continue
        report.warnings += [str(warning) for warning in warnings]
        report.notes += list(loaded.notes)
        brands[loaded.name] = loaded
    if project is None:
        return report
    report.checked = [str(g.source) for g in project.guides] + [
        str(h.source) for h in project.handouts
    ]
    for name, loaded in brands.items():
        layouts = Layouts(project, loaded)
        try:
            for guide in project.guides:
                for paper in PAPERS:
                    layouts.guide(guide, paper)
            for handout in project.handouts:
                # A handout naming no brand is checked in every brand checked.
                wears = handout.brand or brand
                if wears is None or _same_brand(root, wears, name):
                    layouts.handout_sheet(handout)
        except BuildError as error:
            report.errors.append(f"brand {name}: {error}")
    # A brand that exists but failed to load has its errors above already.
    for handout in project.handouts:
        if not handout.brand:
            continue
        try:
            find_brand(root.resolve(), handout.brand)
        except ContentErrors as problems:
            for problem in problems.errors:
                report.errors.append(
                    str(ContentError(problem.message, path=handout.source, hint=problem.hint))
                )
    return report


def _same_brand(root: Path, asked: str, name: str) -> bool:
    return _exists(root.resolve(), asked) and find_brand(root.resolve(), asked) == name
