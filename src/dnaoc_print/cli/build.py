"""`dnaoc-print build` and `dnaoc-print watch`: build the guides and handouts, once or on
every save."""

from __future__ import annotations

from pathlib import Path

import click

from dnaoc_print.cli.options import (
    allow_placeholders_option,
    brand_option,
    debug_option,
    jobs_option,
    project_option,
    strict_option,
    verbosity,
    verbosity_options,
)
from dnaoc_print.cli.reporting import Progress, fail, summary
from dnaoc_print.errors import DnaocError

PAPER_CHOICE = click.Choice(["a4", "a5", "letter"], case_sensitive=False)


@click.command()
@project_option
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: PROJECT/build]",
)
@click.option(
    "--paper",
    type=PAPER_CHOICE,
    default="a4",
    show_default=True,
    help="Paper for the guides; on paper other than A4 the name says so (resilience-a5.pdf). "
    "A handout's paper is set in its spec.",
)
@brand_option
@strict_option
@allow_placeholders_option
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@jobs_option
@verbosity_options
@click.option(
    "--booklet",
    is_flag=True,
    help="Also each guide as a booklet to print on both sides, fold and staple "
    "(guides/<slug>-booklet.pdf: A5 pages on A4; with --paper letter, half-letter on Letter).",
)
@click.option(
    "--two-up",
    is_flag=True,
    help="Also each A5 handout twice on an A4 sheet (half-letter: on Letter), with a cut line "
    "(handouts/<name>-two-up.pdf).",
)
@click.option("--crop-marks", is_flag=True, help="With --two-up: marks at each end of the cut.")
@click.option(
    "--print-shop",
    is_flag=True,
    help="Also every PDF for a print shop: 3 mm bleed, crop marks (<name>-print-shop.pdf).",
)
@click.option(
    "--archive",
    is_flag=True,
    help="Also a PDF/A-2a copy of every PDF, to keep (<name>-archive.pdf).",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Also every PDF in large print: text 16 pt, nothing under 14 pt (<name>-large-print.pdf).",
)
@click.option(
    "--no-slides",
    is_flag=True,
    help="Leave out the guides' slide packs (build/slides/: slides, speaker notes, .pptx).",
)
@debug_option
def build(
    project_dir: Path,
    out_dir: Path | None,
    paper: str,
    brand: str | None,
    strict: bool,
    allow_placeholders: bool,
    force: bool,
    workers: int | None,
    quiet: bool,
    verbose: bool,
    debug: bool,
    no_slides: bool,
    **print_flags: bool,
) -> None:
    """Build every guide (build/guides/), its slide pack (build/slides/) and every
    handout (build/handouts/).

    Only outputs whose inputs changed since the last build are typeset; the rest are
    up to date (see build/manifest.json). With --brand NAME (other than the default)
    they go to build/NAME/. A broken file fails only the outputs that depend on it;
    the rest are built, and the exit status is 1.
    """
    from dnaoc_print.build.engine import build_report, plan_build, run_build
    from dnaoc_print.build.print_outputs import PrintOptions

    progress = Progress(verbosity(quiet, verbose))
    try:
        plan = plan_build(
            project_dir,
            out_dir,
            paper=paper.lower(),
            brand=brand,
            strict=strict,
            print_options=PrintOptions(**print_flags),
            slides=not no_slides,
            allow_placeholders=allow_placeholders,
        )
        progress.start(plan.names)
        report = build_report(plan, progress.each(run_build(plan, force=force, workers=workers)))
    except DnaocError as error:
        progress.close()
        fail(error, debug)
    progress.close()
    summary(report)


@click.command()
@project_option
@brand_option
@jobs_option
@debug_option
def watch(project_dir: Path, brand: str | None, workers: int | None, debug: bool) -> None:
    """Rebuild what changed every time a file is saved (Ctrl-C to stop).

    A broken file fails only what depends on it; the rest is rebuilt as usual.
    """
    from dnaoc_print.build.engine import build_report, plan_build, run_build
    from dnaoc_print.build.watching import watch as run_watch

    def rebuild() -> None:
        try:
            plan = plan_build(project_dir, brand=brand, slides=True)
            outcomes = Progress().each(run_build(plan, workers=workers))
            report = build_report(plan, outcomes)
            summary(report, "; watching...", exit_on_failure=False)
        except DnaocError as error:
            click.secho(f"error: {error}", fg="red", err=True)

    try:
        run_watch(project_dir.resolve(), rebuild)
    except KeyboardInterrupt:
        click.echo("stopped")
