"""The print outputs of one guide and one handout, built once for the test session
(test_print_production.py checks them as a printer meets them, test_accessibility.py
as a screen reader does): plain and in every print variant, through the same
planning and running code a build uses."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import PlannedJob, guide_job, handout_job
from dnaoc_print.build.print_outputs import PrintOptions, handout_print_jobs, print_jobs
from dnaoc_print.build.running import run_planned
from dnaoc_print.content.loading import load_project
from dnaoc_print.model import Handout

from conftest import PROJECT_ROOT

GUIDE = "compassionate-leadership"  # 13 A5 pages: its booklet needs blanks
HANDOUT = "compassion"


@dataclasses.dataclass
class Printed:
    out_dir: Path
    primary: str
    made_at: float

    def guide(self, variant: str = "") -> Path:
        return self.out_dir / "guides" / f"{GUIDE}{variant}.pdf"

    def handout(self, variant: str = "") -> Path:
        return self.out_dir / "handouts" / f"{HANDOUT}{variant}.pdf"


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    project = load_project(PROJECT_ROOT)
    project = dataclasses.replace(
        project,
        guides=[g for g in project.guides if g.slug == GUIDE],
        handouts=[h for h in project.handouts if h.name == HANDOUT],
    )
    out_dir = tmp_path_factory.mktemp("printed")
    brands = Brands(project)
    everything = PrintOptions(print_shop=True, archive=True, large_print=True, booklet=True)
    [guide] = project.guides
    [handout] = project.handouts
    planned = [guide_job(guide, project, brands, None, out_dir, "a4")]
    planned.append(handout_job(handout, brands, None, out_dir / "handouts" / f"{HANDOUT}.pdf"))
    planned += print_jobs(project, brands, None, out_dir, "a4", everything)
    planned += small_handouts_two_up(handout, brands, out_dir)
    # The A5 reading PDF the booklet is imposed from, to compare with.
    planned.append(guide_job(guide, project, brands, None, out_dir, "a5"))
    # The guide in large print on A5, where a story card takes most of a page; and,
    # to show the page check can fail, the same with story cards that never split.
    [large_a5] = [
        job
        for job in print_jobs(project, brands, None, out_dir, "a5", PrintOptions(large_print=True))
        if job.target.parent.name == "guides"
    ]
    planned.append(large_a5)
    planned.append(
        dataclasses.replace(
            large_a5,
            target=out_dir / "guides" / f"{GUIDE}-a5-large-print-unsplit-cards.pdf",
            make=lambda: with_unsplit_cards(large_a5.make()),
        )
    )
    outcomes = run_planned(planned, out_dir, [PROJECT_ROOT], workers=2)
    failed = [f"{o.job_name}: {o.error}" for o in outcomes if o.status == "failed"]
    assert not failed, failed
    return Printed(out_dir, brands.brand(None).colours["primary"], time.time())


def small_handouts_two_up(handout: Handout, brands: Brands, out_dir: Path) -> list[PlannedJob]:
    """Two-up is for half-sheet handouts: this one on A5 and on half-letter, with
    less on it so that it fits; each plain and two-up (handouts/small-<paper>.pdf)."""
    planned = []
    for paper in ("a5", "half-letter"):
        small = dataclasses.replace(
            handout, paper=paper, stories=handout.stories[:1], questions=handout.questions[:2]
        )
        target = out_dir / "handouts" / f"small-{paper}.pdf"
        planned.append(handout_job(small, brands, None, target))
        planned += handout_print_jobs(small, brands, None, target, PrintOptions(two_up=True))
    return planned


# Story cards as they were before large print let them break: whole, code floated.
UNSPLIT_CARDS = """<style>
body.guide .story-card, body.guide .keep-together { break-inside: avoid; }
body.guide .story-qr { float: left; margin: 0 var(--card-gap) 1mm 0; }
body.guide .story-text, body.guide .story-url { margin-left: 0 !important; }
</style>"""


def with_unsplit_cards(job):
    html = job.document.html.replace("</head>", f"{UNSPLIT_CARDS}</head>", 1)
    return dataclasses.replace(
        job,
        document=dataclasses.replace(job.document, html=html),
        target=job.target.with_name(f"{GUIDE}-a5-large-print-unsplit-cards.pdf"),
    )
