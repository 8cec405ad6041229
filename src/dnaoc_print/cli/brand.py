"""`dnaoc-print brand show` and `brand export`: see a brand, or hand it to other tools."""

from __future__ import annotations

from pathlib import Path

import click

from dnaoc_print.cli.options import debug_option, project_option
from dnaoc_print.cli.reporting import fail, show_notes, show_warnings
from dnaoc_print.errors import DnaocError


@click.group()
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
    from dnaoc_print.brands.export import export_brand

    try:
        export = export_brand(project_dir, name, out_dir)
    except DnaocError as error:
        fail(error, debug)
    show_notes(export.notes)
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
    from dnaoc_print.build.specimen import show_brand

    try:
        specimen = show_brand(project_dir, name, output)
    except DnaocError as error:
        fail(error, debug)
    show_notes(specimen.notes)
    show_warnings(specimen.warnings)
    click.echo(f"wrote {specimen.path}")
