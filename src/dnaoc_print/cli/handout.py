"""`dnaoc-print handout`: one handout, or one a CSV row, from a spec, from flags, or both."""

from __future__ import annotations

import os
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


@click.command()
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
    "(title, date, time, venue, facilitator, stories, ...; see the docs, "
    "Handouts from a spreadsheet).",
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
@allow_placeholders_option
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
    allow_placeholders: bool,
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
    from dnaoc_print.build.handouts import (
        handouts_report,
        plan_handouts,
        run_handouts,
    )

    if spec is not None and not spec.exists():
        raise spec_not_found(spec, project_dir)
    overrides = flag_overrides(fields)
    progress = Progress(verbosity(quiet, verbose))
    try:
        plan = plan_handouts(
            project_dir,
            spec,
            overrides,
            rows_from,
            name_column,
            output,
            brand=fields["brand"],
            strict=strict,
            two_up=two_up,
            crop_marks=crop_marks,
            allow_placeholders=allow_placeholders,
        )
        progress.start(plan.names)
        report = handouts_report(plan, progress.each(run_handouts(plan, workers)))
    except DnaocError as error:
        progress.close()
        fail(error, debug)
    progress.close()
    summary(report)


def flag_overrides(fields: dict[str, object]) -> dict[str, object]:
    """The handout fields the flags set, by their dotted names in a spec."""
    warning_text = fields.get("warning_text")
    warning = fields.get("content_warning")
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
    return overrides


def spec_not_found(spec: Path, project_dir: Path) -> click.BadParameter:
    """A usage error, as for ``--from`` a file that does not exist, with the spec the
    user may have meant."""
    from dnaoc_print.build.handout_requests import near_spec

    message = f"File '{spec}' does not exist."
    if near := near_spec(spec, project_dir):
        if near.parent.resolve() == spec.parent.resolve():
            near = spec.with_name(near.name)  # as the user wrote the folder
        elif not os.path.relpath(near).startswith(".."):
            near = Path(os.path.relpath(near))
        message += f" Did you mean '{near}'?"
    return click.BadParameter(message, param_hint="'[SPEC]'")
