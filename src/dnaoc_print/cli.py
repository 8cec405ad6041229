"""The command line: parse, call the library, report. No logic lives here."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from dnaoc_print import __version__
from dnaoc_print.errors import DnaocError


class NoProject(click.ClickException):
    """Run outside any project: exit status 1, with a message that says what to do."""

    def show(self, file=None) -> None:
        click.secho(f"error: {self.message}", fg="red", err=True)


def _find_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """-C as given; without it, this folder or the nearest one above it holding
    content/ and layouts/ (as git finds its repository)."""
    if value is not None:
        return value
    from dnaoc_print.loading import find_project

    found = find_project(Path.cwd())
    if found is None:
        raise NoProject(
            f"{Path.cwd()} is not inside a dnaoc-print project (a folder holding content/ "
            "and layouts/)\n  hint: run the command there, or name the project with "
            "-C PROJECT, e.g. dnaoc-print build -C ~/dnaoc-print"
        )
    return found


project_option = click.option(
    "--project",
    "-C",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_find_project,
    help="Project folder (holding content/ and layouts/).  "
    "[default: this folder or the nearest one above it that is a project]",
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
    """Shows outcomes as they arrive.

    On a terminal: a bar (done/total, the current output, elapsed time and ETA),
    with the outputs that were built or failed listed above it. Otherwise one plain
    line an output. ``verbosity`` 0 (``-q``) lists nothing as it goes (the summary
    says what failed), 1 what was built or failed, 2 (``-v``) also what was up to date.
    """

    def __init__(self, verbosity: int = 1, interactive: bool | None = None) -> None:
        self.verbosity = verbosity
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.bar = None
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        if self.interactive and total > 1 and self.verbosity > 0:
            self.bar = click.progressbar(
                length=total,
                label="building",
                show_pos=True,
                show_eta=True,
                item_show_func=self._current,
                file=sys.stdout,
            )
            self.bar.__enter__()
            self.started = time.monotonic()

    def _current(self, name: str | None) -> str:
        elapsed = time.monotonic() - self.started
        return f"{elapsed:.0f} s elapsed  {name or ''}"

    def __call__(self, outcome) -> None:
        shown = {"failed": 1, "built": 1}.get(outcome.status, 2) <= self.verbosity
        if self.bar is None:
            if shown:
                line(outcome)
            return
        if shown:
            # Clear the bar's line, list the outcome above it; the bar is redrawn below.
            click.echo("\r\033[K", nl=False)
            line(outcome)
        self.bar.update(1, outcome.job_name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def line(outcome) -> None:
    if outcome.status == "failed":
        click.secho(f"failed      {outcome.job_name}", fg="red", err=True)
        return
    pages = "page" if outcome.page_count == 1 else "pages"
    click.echo(
        f"{outcome.status:<11} {outcome.target}  ({outcome.page_count} {pages}, "
        f"{outcome.size / 1024:.0f} KB)"
    )
    for warning in outcome.warnings:
        click.secho(f"  warning: {warning}", fg="yellow", err=True)


def summary(build_report, ending: str = "", exit_on_failure: bool = True) -> None:
    """What failed and why, other problems and warnings, then one line of totals;
    exit 1 if anything failed or any content has an error (unless told not to)."""
    for note in build_report.brand_notes:
        click.echo(f"note: {note}", err=True)
    for note in build_report.print_notes:
        click.echo(f"note: {note}", err=True)
    for note in build_report.notes:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    for removed in build_report.removed:
        click.echo(removed)
    # Outputs stopped by the same problem (a broken story catalogue, say) share one message.
    reasons: dict[str, list[str]] = {}
    for outcome in build_report.failed:
        reasons.setdefault(outcome.error, []).append(outcome.job_name)
    for error, names in reasons.items():
        click.secho(f"failed      {', '.join(names)}: {error}", fg="red", err=True)
    problems = build_report.problems
    for problem in problems:
        click.secho(f"error: {problem}", fg="red", err=True)
    click.echo(
        f"{len(build_report.built)} built, {len(build_report.up_to_date)} up to date, "
        f"{len(build_report.failed)} failed in {build_report.seconds:.1f} s{ending}"
    )
    if exit_on_failure and (build_report.failed or problems):
        sys.exit(1)


def verbosity_options(command):
    """-q and -v: how much to list besides failures and the summary."""
    command = click.option(
        "--verbose", "-v", is_flag=True, help="Also list the outputs that were up to date."
    )(command)
    return click.option(
        "--quiet", "-q", is_flag=True, help="List only failures, problems and the summary."
    )(command)


def verbosity(quiet: bool, verbose: bool) -> int:
    return 0 if quiet else 2 if verbose else 1


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
@click.option(
    "-C",
    "start_in",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Run as if started in this folder (as git -C does); also after the command name.",
)
def main(start_in: Path | None) -> None:
    """Typeset the DNA of Care facilitator guides and handouts as print-ready PDFs.

    Exit status: 0 success; 1 a content or build error (the message says which file
    and line, or which option or row); 2 a usage error (an unknown option, or a value
    an option cannot take).
    """
    if start_in is not None:
        os.chdir(start_in)


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
@debug_option
def build(
    project_dir: Path,
    out_dir: Path | None,
    paper: str,
    brand: str | None,
    strict: bool,
    force: bool,
    workers: int | None,
    quiet: bool,
    verbose: bool,
    debug: bool,
    **print_flags: bool,
) -> None:
    """Build every guide (build/guides/) and every handout (build/handouts/).

    Only outputs whose inputs changed since the last build are typeset; the rest are
    up to date (see build/manifest.json). With --brand NAME (other than the default)
    they go to build/NAME/. A broken file fails only the outputs that depend on it;
    the rest are built, and the exit status is 1.
    """
    from dnaoc_print.build import build as run_build
    from dnaoc_print.print_outputs import PrintOptions

    progress = Progress(verbosity(quiet, verbose))
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
            on_plan=progress.start,
            print_options=PrintOptions(**print_flags),
        )
    except DnaocError as error:
        progress.close()
        fail(error, debug)
    progress.close()
    summary(report)


@main.command()
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The handout's title.")
@click.option("--subtitle", help="A line under the title.")
@click.option(
    "--story",
    "stories",
    multiple=True,
    help="A story id, or several: --story touch,stay (printed in this order).",
)
@click.option(
    "--question",
    "questions",
    multiple=True,
    help="A question written out, or GUIDE:N for a guide's question N "
    "(see: dnaoc-print list questions GUIDE); repeat, or --question compassion:1,compassion:3.",
)
@click.option("--date", help="Session date: 2026-12-01, 01/12/2026 or '1 Dec 2026'.")
@click.option("--time", "time_", help="Session time, e.g. '14:00 to 15:30'.")
@click.option("--venue", help="Where the session is.")
@click.option("--facilitator", help="Who leads the session.")
@click.option("--contact", help="How to get in touch.")
@click.option(
    "--layout", type=click.Choice(["cards", "single", "questions"]), help="[default: cards]"
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "a5", "letter", "half-letter"], case_sensitive=False),
    help="half-letter is 5.5 x 8.5 in.  [default: a4]",
)
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
    "(title, date, time, venue, facilitator, stories, ...; see the README).",
)
@click.option("--name-column", help="With --from: the column that names each PDF.  [default: name]")
@click.option(
    "--two-up",
    is_flag=True,
    help="Also the handouts two to a sheet, in order, with a cut line: A5 on A4, "
    "half-letter on Letter (one handout: twice, in NAME-two-up.pdf; with --from "
    "sessions.csv: sessions-two-up.pdf).",
)
@click.option("--crop-marks", is_flag=True, help="With --two-up: marks at each end of the cut.")
@click.option(
    "--out",
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path),
    help="The PDF to write (or a folder to write it into); with --from, the folder.  "
    "[default: PROJECT/build/handouts/]",
)
@brand_option
@strict_option
@jobs_option
@verbosity_options
@project_option
@debug_option
def handout(
    spec: Path | None,
    project_dir: Path,
    rows_from: Path | None,
    name_column: str | None,
    output: Path | None,
    two_up: bool,
    crop_marks: bool,
    strict: bool,
    workers: int | None,
    quiet: bool,
    verbose: bool,
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
    progress = Progress(verbosity(quiet, verbose))
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
            on_outcome=progress,
            on_plan=progress.start,
            two_up=two_up,
            crop_marks=crop_marks,
        )
    except DnaocError as error:
        progress.close()
        fail(error, debug)
    progress.close()
    summary(report)


@main.command()
@project_option
@click.option(
    "--brand",
    help="Check only this brand (and any a handout spec names), as build --brand uses them.  "
    "[default: every brand]",
)
@strict_option
@debug_option
def check(project_dir: Path, brand: str | None, strict: bool, debug: bool) -> None:
    """Check all content, handout specs and brands without typesetting anything."""
    from dnaoc_print.checking import check as run_check

    try:
        result = run_check(project_dir, brand)
    except DnaocError as error:
        fail(error, debug)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for error in result.errors:
        click.secho(f"error: {error}", fg="red", err=True)
    problems = len(result.errors) + (len(result.warnings) if strict else 0)
    click.echo(result.summary())
    if problems:
        sys.exit(1)


@main.command(name="list")
@click.argument(
    "what",
    type=click.Choice(["guides", "stories", "handouts", "brands", "questions", "all"]),
    default="all",
)
@click.argument("guide", required=False)
@project_option
@debug_option
def list_(what: str, guide: str | None, project_dir: Path, debug: bool) -> None:
    """List the guides, stories, handouts and brands of the project.

    `list questions GUIDE` shows a guide's numbered questions: GUIDE:N in a handout
    borrows question N.
    """
    from dnaoc_print.brand_folders import folder_problems
    from dnaoc_print.brands import brand_names
    from dnaoc_print.loading import load_project

    try:
        project = load_project(project_dir, partial=True)
    except DnaocError as error:
        fail(error, debug)
    if what == "questions":
        from dnaoc_print.listing import numbered_questions

        try:
            rows = numbered_questions(project, guide)
        except DnaocError as error:
            fail(error, debug)
        for row in rows:
            click.echo(row)
        return
    sections = {
        "guides": [
            f"{g.slug:<36} {g.title} ({len(g.stories)} stories, {len(g.questions)} questions)"
            for g in project.guides
        ],
        "stories": [f"{s.id:<36} {s.title}  {s.url}" for s in project.stories.values()],
        "handouts": [f"{h.name:<36} {h.title} ({h.layout}, {h.paper})" for h in project.handouts],
        "brands": [
            f"{name:<36} cannot be used: {problem.hint}" if problem else name
            for name in brand_names(project.root)
            for problem in [folder_problems(project.root).get(name)]
        ],
    }
    for name, rows in sections.items():
        if what in (name, "all"):
            click.secho(f"{name}:", bold=True)
            for row in rows:
                click.echo(f"  {row}")
    if project.broken:
        names = ", ".join(f"{item.kind} {item.name}" for item in project.broken)
        click.secho(
            f"not listed, because of errors: {names} (see: dnaoc-print check)",
            fg="yellow",
            err=True,
        )


@main.command()
@click.argument("kind", type=click.Choice(["guide", "handout", "brand"]))
@click.argument("name")
@project_option
@debug_option
def new(kind: str, name: str, project_dir: Path, debug: bool) -> None:
    """Start a new guide, handout or brand called NAME, ready to build and edit."""
    if kind == "brand":
        from dnaoc_print.brand_scaffold import new_brand

        try:
            path = new_brand(project_dir, name)
        except DnaocError as error:
            fail(error, debug)
        click.echo(f"wrote {path}; edit it, then run: dnaoc-print build --brand {path.parent.name}")
        return
    from dnaoc_print.scaffold import new_file

    try:
        path = new_file(project_dir, kind, name)
    except DnaocError as error:
        fail(error, debug)
    click.echo(f"wrote {path}; edit it, then run: dnaoc-print build")


@main.group()
def brand() -> None:
    """See a brand, or write it as brand.yml for your other tools."""


@brand.command(name="export")
@click.argument("name")
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write.  [default: PROJECT/build/brand-yml/NAME]",
)
@project_option
@debug_option
def brand_export(name: str, out_dir: Path | None, project_dir: Path, debug: bool) -> None:
    """Write brand NAME as a _brand.yml (Quarto, Shiny, brand-yml), with its files."""
    from dnaoc_print.brand_export import export_brand

    try:
        export = export_brand(project_dir, name, out_dir)
    except DnaocError as error:
        fail(error, debug)
    for note in export.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {export.brand_file} and {len(export.copied)} files it names")


@brand.command(name="show")
@click.argument("name", required=False, default="dna-of-care")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write.  [default: PROJECT/build/brand-NAME.pdf]",
)
@project_option
@debug_option
def brand_show(name: str, output: Path | None, project_dir: Path, debug: bool) -> None:
    """A one-page specimen of brand NAME: colours and contrast, fonts, logo, samples."""
    from dnaoc_print.brand_specimen import show_brand

    try:
        specimen = show_brand(project_dir, name, output)
    except DnaocError as error:
        fail(error, debug)
    for note in specimen.notes:
        click.echo(f"note: {note}", err=True)
    for warning in specimen.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(f"wrote {specimen.path}")


@main.command()
@project_option
@brand_option
@jobs_option
@debug_option
def watch(project_dir: Path, brand: str | None, workers: int | None, debug: bool) -> None:
    """Rebuild what changed every time a file is saved (Ctrl-C to stop).

    A broken file fails only what depends on it; the rest is rebuilt as usual.
    """
    from dnaoc_print.build import build as run_build
    from dnaoc_print.watching import watch as run_watch

    def rebuild() -> None:
        try:
            report = run_build(project_dir, brand=brand, workers=workers, on_outcome=Progress())
            summary(report, "; watching...", exit_on_failure=False)
        except DnaocError as error:
            click.secho(f"error: {error}", fg="red", err=True)

    try:
        run_watch(project_dir.resolve(), rebuild)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@project_option
@brand_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
@click.option(
    "--host",
    default=None,
    help="Listen on this address instead of 127.0.0.1; other computers could then reach it.",
)
@debug_option
def serve(
    project_dir: Path,
    brand: str | None,
    port: int,
    open_browser: bool,
    host: str | None,
    debug: bool,
) -> None:
    """Make handouts in your web browser, and see every guide and handout as pages.

    Serves on http://127.0.0.1:8000/ until Ctrl-C. `preview` is another name for it.
    """
    from dnaoc_print.serving import LOOPBACK, serve_until_stopped, start

    if host and host != LOOPBACK:
        click.secho(
            f"warning: listening on {host}, not only on this computer: anyone who can reach "
            "it can use this server and read the project's guides and handouts",
            fg="yellow",
            err=True,
        )
    try:
        server = start(project_dir, brand, host or LOOPBACK, port)
    except DnaocError as error:
        fail(error, debug)
    except OSError as error:
        fail(DnaocError(f"cannot listen on port {port}: {error.strerror}; try --port 8001"), debug)
    url = f"http://{host or LOOPBACK}:{server.server_port}/"
    click.echo(f"Serving on {url} (Ctrl-C to stop)")
    if open_browser:
        click.launch(url)
    try:
        serve_until_stopped(server)
    except KeyboardInterrupt:
        click.echo("stopped")


main.add_command(serve, name="preview")
