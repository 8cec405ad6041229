"""`dnaoc-print brand show NAME`: one page that shows a whole brand before a build.

The page (layouts/brand-specimen.html.j2) shows every colour, each text colour on each
background the layouts print it on with its contrast ratio and whether it passes WCAG
AA, the fonts at every size the layouts use (read from the layouts' CSS, so the page
follows them), the logo in each of its slots, and a sample handout band and guide
cover. Its words are a tool's report, kept in the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands.colours import AA_NORMAL_TEXT, contrast_ratio
from dnaoc_print.brands.contrast import CONTRAST_PAIRS, ContrastWarning
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.jobs import run_job
from dnaoc_print.build.work import Job, RunOptions
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import BuildError
from dnaoc_print.model import Brand
from dnaoc_print.render.templating import RenderedDocument, Templates

TEMPLATE = "brand-specimen.html.j2"
STYLESHEET = "brand-specimen.css"
# Sizes in points, as written in the layouts' CSS (font-size, or a --*-size property).
_POINT_SIZE = re.compile(r"(?:font-size|--[\w-]*size)\s*:\s*([0-9]+(?:\.[0-9]+)?)pt")
# The logo's slots, as the layouts size them: (selector, the template's name for it).
LOGO_SLOTS = ((".logo-slot", "cover"), (".handout-logo", "handout"))


@dataclass(frozen=True)
class Pair:
    text: str
    background: str
    text_colour: str
    background_colour: str
    ratio: float

    @property
    def passes(self) -> bool:
        return self.ratio >= AA_NORMAL_TEXT


@dataclass
class Specimen:
    path: Path
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def contrast_pairs(brand: Brand) -> list[Pair]:
    colours = brand.colours
    return [
        Pair(text, background, colours[text], colours[background], ratio)
        for text, background in CONTRAST_PAIRS
        for ratio in [contrast_ratio(colours[text], colours[background])]
    ]


def stylesheets(root: Path, brand: Brand) -> list[str]:
    """The stylesheets guides and handouts are printed with (not the specimen's own)."""
    # Not the specimen's own, nor the print variants' (large print, print shop), which
    # are put on top of these for their own copies (see print_outputs.py).
    from dnaoc_print.build.print_outputs import LARGE_PRINT_CSS, PRINT_SHOP_CSS

    others = {STYLESHEET, LARGE_PRINT_CSS, PRINT_SHOP_CSS}
    sheets = [p for p in sorted((root / "layouts").glob("*.css")) if p.name not in others]
    if brand.layouts is not None:
        sheets += sorted(brand.layouts.glob("*.css"))
    if brand.css is not None:
        sheets.append(brand.css)
    return [sheet.read_text(encoding="utf-8") for sheet in sheets]


def point_sizes(css: list[str]) -> list[float]:
    """Every text size the layouts set in points, largest first."""
    sizes = {float(size) for sheet in css for size in _POINT_SIZE.findall(sheet)}
    return sorted(sizes, reverse=True)


def slot_sizes(css: list[str]) -> dict[str, tuple[float, float]]:
    """Each logo slot's width and height in mm, from the last rule that sets them."""
    slots = {}
    for selector, name in LOGO_SLOTS:
        rule = re.compile(re.escape(selector) + r"\s*\{([^}]*)\}")
        for sheet in css:
            for body in rule.findall(sheet):
                width = re.search(r"(?<![-\w])width\s*:\s*([0-9.]+)mm", body)
                height = re.search(r"(?<![-\w])height\s*:\s*([0-9.]+)mm", body)
                if width and height:
                    slots[name] = (float(width[1]), float(height[1]))
    return slots


def default_output(root: Path, brand: Brand) -> Path:
    return root / "build" / f"brand-{brand.name.lower()}.pdf"


def show_brand(root: Path, name: str, output: Path | None = None) -> Specimen:
    """Typeset the specimen of brand ``name`` and write it to ``output``."""
    root = root.resolve()
    brand, warnings = load_brand(root, name)
    project = load_project(root)
    css = stylesheets(root, brand)
    html = Templates(project, brand).render(
        TEMPLATE,
        paper="a4",
        date=None,
        pairs=contrast_pairs(brand),
        sizes=point_sizes(css),
        slots=slot_sizes(css),
        minimum=AA_NORMAL_TEXT,
        # Each colour below 4.5:1 somewhere, with the one colour suggested instead.
        contrast_fixes=[w for w in warnings if isinstance(w, ContrastWarning)],
    )
    target = (output or default_output(root, brand)).resolve()
    document = RenderedDocument(
        html=html,
        title=brand.organisation,
        base_url=root / "layouts",
        fonts_key=brand.name,
    )
    outcome = run_job(Job(f"brand {brand.name}", target, document), RunOptions((root,)))
    if outcome.status == "failed":
        raise BuildError(f"brand specimen: {outcome.error}")
    if outcome.page_count != 1:
        raise BuildError(
            f"the specimen of brand {brand.name} took {outcome.page_count} pages, not one"
        )
    return Specimen(target, [str(w) for w in warnings], list(brand.notes))
