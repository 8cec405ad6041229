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


class Progress:
    """Shows outcomes as they arrive: a bar on a terminal, one plain line each otherwise."""

    def __init__(self) -> None:
        self.interactive = sys.stdout.isatty()
        self.bar = None

    def start(self, total: int) -> None:
        if self.interactive:
            self.bar = click.progressbar(length=total, label="building", show_pos=True)
            self.bar.__enter__()

    def __call__(self, outcome) -> None:
        if self.bar is None:
            line(outcome)
            return
        self.bar.update(1)
        if outcome.status == "failed":
            click.echo()
            line(outcome)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def line(outcome) -> None:
    if outcome.status == "failed":
        click.secho(f"failed      {outcome.job_name}: {outcome.error}", fg="red", err=True)
        return
    pages = "page" if outcome.page_count == 1 else "pages"
    click.echo(
        f"{outcome.status:<11} {outcome.target}  ({outcome.page_count} {pages}, "
        f"{outcome.size / 1024:.0f} KB)"
    )
    for warning in outcome.warnings:
        click.secho(f"  warning: {warning}", fg="yellow", err=True)


def summary(build_report) -> None:
    """Warnings, then one line of totals; exit 1 if anything failed."""
    for note in build_report.notes:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    click.echo(
        f"{len(build_report.built)} built, {len(build_report.up_to_date)} up to date, "
        f"{len(build_report.failed)} failed in {build_report.seconds:.1f} s"
    )
    if build_report.failed:
        sys.exit(1)


jobs_option = click.option(
    "--jobs",
    "-j",
    "workers",
    type=click.IntRange(min=1),
    default=None,
    help="Typeset in this many processes at once.  [default: the number of cores]",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dnaoc-print")
def main() -> None:
    """Typeset the DNA of Care facilitator guides and handouts as print-ready PDFs.

    Exit status: 0 success; 1 a content or build error (the message says which file
    and line); 2 a usage error (an unknown option or value).
    """


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
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@jobs_option
@click.option(
    "--booklet",
    is_flag=True,
    help="Also each guide as a booklet to print on both sides, fold and staple "
    "(guides/<slug>-booklet.pdf: A5 pages on A4; with --paper letter, half-letter on Letter).",
)
@click.option(
    "--two-up",
    is_flag=True,
    help="Also each A5 handout twice on an A4 sheet, with a cut line (handouts/<name>-two-up.pdf).",
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
@debug_option
def build(
    project_dir: Path,
    out_dir: Path | None,
    paper: str,
    brand: str | None,
    strict: bool,
    force: bool,
    workers: int | None,
    debug: bool,
    **print_flags: bool,
) -> None:
    """Build every guide (build/guides/) and every handout (build/handouts/).

    Only outputs whose inputs changed since the last build are typeset; the rest are
    up to date (see build/manifest.json). With --brand NAME (other than the default)
    they go to build/NAME/.
    """
    from dnaoc_print.build import build as run_build
    from dnaoc_print.print_outputs import PrintOptions

    progress = Progress()
    try:
        report = run_build(
            project_dir,
            out_dir,
            paper=paper.lower(),
            brand=brand,
            strict=strict,
            force=force,
            workers=workers,
            on_outcome=progress,
            print_options=PrintOptions(**print_flags),
        )
    except DnaocError as error:
        fail(error, debug)
    finally:
        progress.close()
    summary(report)


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
@jobs_option
@project_option
@debug_option
def handout(
    spec: Path | None,
    project_dir: Path,
    rows_from: Path | None,
    name_column: str | None,
    output: Path | None,
    strict: bool,
    workers: int | None,
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
        report = make_handouts(
            project_dir,
            spec,
            overrides,
            rows_from,
            name_column,
            output,
            brand=fields["brand"],
            strict=strict,
            workers=workers,
            on_outcome=line,
        )
    except DnaocError as error:
        fail(error, debug)
    summary(report)


@main.command()
@project_option
@strict_option
@debug_option
def check(project_dir: Path, strict: bool, debug: bool) -> None:
    """Check all content, handout specs and brands without typesetting anything."""
    from dnaoc_print.checking import check as run_check

    result = run_check(project_dir)
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for error in result.errors:
        click.secho(f"error: {error}", fg="red", err=True)
    problems = len(result.errors) + (len(result.warnings) if strict else 0)
    click.echo(
        f"{len(result.errors)} errors, {len(result.warnings)} warnings "
        f"in {len(result.checked)} guides and handouts"
    )
    if problems:
        sys.exit(1)


@main.command(name="list")
@click.argument(
    "what", type=click.Choice(["guides", "stories", "handouts", "brands", "all"]), default="all"
)
@project_option
@debug_option
def list_(what: str, project_dir: Path, debug: bool) -> None:
    """List the guides, stories, handouts and brands of the project."""
    from dnaoc_print.brands import brand_names
    from dnaoc_print.loading import load_project

    try:
        project = load_project(project_dir)
    except DnaocError as error:
        fail(error, debug)
    sections = {
        "guides": [
            f"{g.slug:<36} {g.title} ({len(g.stories)} stories, {len(g.questions)} questions)"
            for g in project.guides
        ],
        "stories": [f"{s.id:<36} {s.title}  {s.url}" for s in project.stories.values()],
        "handouts": [f"{h.name:<36} {h.title} ({h.layout}, {h.paper})" for h in project.handouts],
        "brands": brand_names(project.root),
    }
    for name, rows in sections.items():
        if what in (name, "all"):
            click.secho(f"{name}:", bold=True)
            for row in rows:
                click.echo(f"  {row}")


@main.command()
@click.argument("kind", type=click.Choice(["guide", "handout"]))
@click.argument("name")
@project_option
@debug_option
def new(kind: str, name: str, project_dir: Path, debug: bool) -> None:
    """Start a new guide or handout called NAME, ready to build and edit."""
    from dnaoc_print.scaffold import new_file

    try:
        path = new_file(project_dir, kind, name)
    except DnaocError as error:
        fail(error, debug)
    click.echo(f"wrote {path}; edit it, then run: dnaoc-print build")


@main.command()
@project_option
@brand_option
@jobs_option
@debug_option
def watch(project_dir: Path, brand: str | None, workers: int | None, debug: bool) -> None:
    """Rebuild what changed every time a file is saved (Ctrl-C to stop)."""
    from dnaoc_print.build import build as run_build
    from dnaoc_print.watching import watch as run_watch

    def rebuild() -> None:
        try:
            summary_line = run_build(project_dir, brand=brand, workers=workers, on_outcome=quiet)
            click.echo(
                f"{len(summary_line.built)} built, {len(summary_line.up_to_date)} up to date, "
                f"{len(summary_line.failed)} failed in {summary_line.seconds:.1f} s; watching..."
            )
        except DnaocError as error:
            click.secho(f"error: {error}", fg="red", err=True)

    def quiet(outcome) -> None:
        if outcome.status != "up to date":
            line(outcome)

    try:
        run_watch(project_dir.resolve(), rebuild)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@project_option
@brand_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def preview(project_dir: Path, brand: str | None, port: int) -> None:
    """Serve the HTML of every guide and handout on localhost, reloading on every save."""
    from dnaoc_print.preview import Preview, make_server

    server = make_server(Preview(project_dir, brand), port)
    click.echo(f"previewing on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
