"""The command line: parse, call the library, report. No logic lives here.

This module is the group and its table of commands; each command lives in a
``cli_*`` module beside it, with the options they share in ``cli_options`` and the
way they report in ``cli_reporting``. Every command imports the library lazily, so
``--help`` is quick.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from dnaoc_print import __version__
from dnaoc_print.cli.brand import brand
from dnaoc_print.cli.build import build, watch
from dnaoc_print.cli.docs import docs
from dnaoc_print.cli.guard import GuardedGroup
from dnaoc_print.cli.handout import handout
from dnaoc_print.cli.project import check, list_, new
from dnaoc_print.cli.serve import serve


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    an option cannot take); 128 plus the signal's number when stopped by SIGTERM or
    SIGHUP (143, 129).
    """
    if start_in is not None:
        os.chdir(start_in)


for command in (build, handout, check, list_, new, brand, watch, serve, docs):
    main.add_command(command)
main.add_command(serve, name="preview")
