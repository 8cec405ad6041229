"""The command line: parse, call the library, report. No logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dnaoc_print import __version__
from dnaoc_print.errors import DnaocError

project_option = click.option(
    "--project",
    "-C",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (holding content/ and layouts/).",
)
debug_option = click.option("--debug", is_flag=True, help="Show the traceback of an error.")
brand_option = click.option(
    "--brand",
    help="The brand to wear: a folder in brands/.  [default: dna-of-care]",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings (a brand's low contrast, say) as errors."
)
PAPER_CHOICE = click.Choice(["a4", "a5", "letter"], case_sensitive=False)


def fail(error: DnaocError, debug: bool) -> None:
    if debug:
        raise error
    click.secho(f"error: {error}", fg="red", err=True)
    sys.exit(1)


def report(build_report) -> None:
    """Print one line an output, then a summary; exit 1 if anything failed."""
    for note in build_report.notes:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    for outcome in build_report.outcomes:
        if outcome.error:
            click.secho(f"failed  {outcome.job_name}: {outcome.error}", fg="red", err=True)
            continue
        pages = "page" if outcome.page_count == 1 else "pages"
        click.echo(
            f"built   {outcome.target}  ({outcome.page_count} {pages}, "
            f"{outcome.size / 1024:.0f} KB)"
        )
        for warning in outcome.warnings:
            click.secho(f"  warning: {warning}", fg="yellow", err=True)
    built = len(build_report.outcomes) - len(build_report.failed)
    click.echo(f"{built} built, {len(build_report.failed)} failed in {build_report.seconds:.1f} s")
    if build_report.failed:
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dnaoc-print")
def main() -> None:
    """Typeset the DNA of Care facilitator guides and handouts as print-ready PDFs."""


@main.command()
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
@debug_option
def build(
    project_dir: Path,
    out_dir: Path | None,
    paper: str,
    brand: str | None,
    strict: bool,
    debug: bool,
) -> None:
    """Build every guide (build/guides/) and every handout (build/handouts/).

    With --brand NAME (other than the default) they go to build/NAME/.
    """
    from dnaoc_print.build import build as run_build

    try:
        report(run_build(project_dir, out_dir, paper=paper.lower(), brand=brand, strict=strict))
    except DnaocError as error:
        fail(error, debug)


@main.command()
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The handout's title.")
@click.option("--subtitle", help="A line under the title.")
@click.option("--story", "stories", multiple=True, help="A story id; repeat for more (in order).")
@click.option(
    "--question",
    "questions",
    multiple=True,
    help="A question written out, or GUIDE:N for a guide's question N; repeat for more.",
)
@click.option("--date", help="Session date, YYYY-MM-DD.")
@click.option("--time", "time_", help="Session time, e.g. '14:00 to 15:30'.")
@click.option("--venue", help="Where the session is.")
@click.option("--facilitator", help="Who leads the session.")
@click.option("--contact", help="How to get in touch.")
@click.option(
    "--layout", type=click.Choice(["cards", "single", "questions"]), help="[default: cards]"
)
@click.option("--paper", type=PAPER_CHOICE, help="[default: a4]")
@click.option(
    "--orientation", type=click.Choice(["portrait", "landscape"]), help="[default: portrait]"
)
@click.option("--notes", type=click.Choice(["none", "lines", "box"]), help="[default: lines]")
@click.option(
    "--content-warning/--no-content-warning", default=None, help="Print the standard warning."
)
@click.option("--warning-text", help="A content warning in your own words.")
@click.option(
    "--link-params",
    help="Campaign parameters added to every story link, QR code and printed address, "
    "e.g. 'utm_source=handout&utm_medium=print'.",
)
@click.option(
    "--from",
    "rows_from",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A CSV file: one handout per row; a column fills the field of its name "
    "(session.venue for nested fields; stories and questions separated by ';').",
)
@click.option("--name-column", help="With --from: the column that names each PDF.  [default: name]")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="The PDF to write; with --from, the folder.  [default: PROJECT/build/handouts/]",
)
@brand_option
@strict_option
@project_option
@debug_option
def handout(
    spec: Path | None,
    project_dir: Path,
    rows_from: Path | None,
    name_column: str | None,
    output: Path | None,
    strict: bool,
    debug: bool,
    **fields: object,
) -> None:
    """Make a one-page handout from SPEC (a YAML file), from flags, or both.

    Flags override the spec's fields. Examples:

    \b
      dnaoc-print handout --story touch --story stay --question compassion:3 \\
          --title "Team session" --date 2026-12-01 --paper a5 -o session.pdf
      dnaoc-print handout content/handouts/compassion.yaml --venue "Room 2"
      dnaoc-print handout content/handouts/compassion.yaml --from sessions.csv
    """
    from dnaoc_print.handout_batches import make_handouts

    warning_text = fields.pop("warning_text")
    warning = fields.pop("content_warning")
    overrides = {
        "title": fields["title"],
        "subtitle": fields["subtitle"],
        "stories": list(fields["stories"]) or None,
        "questions": list(fields["questions"]) or None,
        "session.date": fields["date"],
        "session.time": fields["time_"],
        "session.venue": fields["venue"],
        "session.facilitator": fields["facilitator"],
        "session.contact": fields["contact"],
        "layout": fields["layout"],
        "paper": fields["paper"],
        "orientation": fields["orientation"],
        "notes": fields["notes"],
        "content_warning": warning_text if warning_text else warning,
        "link_params": fields["link_params"],
        "brand": fields["brand"],
    }
    try:
        report(
            make_handouts(
                project_dir,
                spec,
                overrides,
                rows_from,
                name_column,
                output,
                brand=fields["brand"],
                strict=strict,
            )
        )
    except DnaocError as error:
        fail(error, debug)
