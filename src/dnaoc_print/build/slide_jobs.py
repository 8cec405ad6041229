"""Deciding a build's slide packs: for every guide, in build/slides/,

    <guide>.pdf          the slides, 16:9 (254 x 142.9 mm)
    <guide>-notes.pdf    the speaker notes on A4, a picture of each slide beside them
    <guide>.pptx         the same slides for PowerPoint, speaker notes in the notes pane

and, with --large-print, <guide>-large-print.pdf and .pptx in larger type still.
Each is planned like a guide (planning.guide_job): the same inputs (the guide's file,
its stories, the wording, the brand's files, the package), so an output is rebuilt
exactly when its guide would be, and recorded in the manifest like any other.
"""

from __future__ import annotations

import functools
from pathlib import Path

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import PlannedJob, guide_job
from dnaoc_print.build.work import Job
from dnaoc_print.model import Guide, Project
from dnaoc_print.render.slides import deck

SLIDES_FOLDER = "slides"


def slide_targets(out_dir: Path, slug: str, large_print: bool = False) -> list[Path]:
    """Where a guide's slide pack goes (its large-print copies too, if asked for)."""
    folder = out_dir / SLIDES_FOLDER
    targets = [folder / f"{slug}.pdf", folder / f"{slug}-notes.pdf", folder / f"{slug}.pptx"]
    if large_print:
        targets += [folder / f"{slug}-large-print.pdf", folder / f"{slug}-large-print.pptx"]
    return targets


def slide_jobs(
    project: Project, brands: Brands, brand: str | None, out_dir: Path, large_print: bool = False
) -> list[PlannedJob]:
    """Every guide's slide pack, planned."""
    planned = []
    for guide in project.guides:
        plain = guide_job(guide, project, brands, brand, out_dir, "a4")
        planned += _guide_slide_jobs(guide, plain, project, brands, brand, out_dir, large_print)
    return planned


def _guide_slide_jobs(
    guide: Guide,
    plain: PlannedJob,
    project: Project,
    brands: Brands,
    brand: str | None,
    out_dir: Path,
    large_print: bool,
) -> list[PlannedJob]:
    targets = slide_targets(out_dir, guide.slug, large_print)
    kinds = ["slides", "notes", "pptx"] + (
        ["large-print", "large-print pptx"] if large_print else []
    )
    name = f"slides {guide.slug}"
    planned = []
    for kind, target in zip(kinds, targets, strict=True):
        label = name if kind == "slides" else f"{name} ({kind})"
        make = functools.partial(_slide_job, kind, label, target, guide, project, brands, brand)
        inputs = {**plain.inputs, "option:slides": kind}
        planned.append(PlannedJob(label, target, inputs, make))
    return planned


def _slide_job(
    kind: str,
    name: str,
    target: Path,
    guide: Guide,
    project: Project,
    brands: Brands,
    brand: str | None,
) -> Job:
    """The job that makes one output of a guide's slide pack."""
    from dnaoc_print.build.slide_documents import (
        finish_slides,
        notes_document,
        notes_finish,
        slides_document,
    )
    from dnaoc_print.render.templating import document_date
    from dnaoc_print.typeset.pptx_deck import write_pptx_job

    layouts = brands.templates(brand)
    # The guide's date, else SOURCE_DATE_EPOCH: read here, where the build was asked for.
    date = document_date(guide.updated)
    large = kind.startswith("large-print")
    slides = deck(guide, project.words, layouts.brand, large_print=large)

    source = guide.source.as_posix()
    if kind.endswith("pptx"):
        produce = functools.partial(
            write_pptx_job, slides, layouts.brand, project.words, large, date
        )
        return Job(name, target, produce=produce)
    document = slides_document(layouts, slides, large_print=large, date=date)
    count = len(slides.slides)
    if kind == "notes":
        notes = notes_document(layouts, slides, date)
        finish = notes_finish(notes, count, source, (project.root,))
    else:
        finish = functools.partial(finish_slides, slide_count=count, source=source)
    return Job(name, target, document, finish=finish)
