"""Two handouts to a sheet: which handouts can share sheets, what ``--two-up`` leaves
out of a build and why, and the sheets file of a ``handout --two-up`` run.

A handout made for half a sheet (A5, half-letter) is imposed twice, or a batch in
row order, on the whole sheet (A4, Letter) with a cut line (see imposition.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dnaoc_print.atomic import write_atomic
from dnaoc_print.build.work import Outcome
from dnaoc_print.errors import ContentError
from dnaoc_print.model import HALF_LETTER, Handout

# The whole sheet (its paper) a handout made for half a sheet is imposed on, two to a
# sheet. By name: imposition (and pikepdf) is imported when sheets are made, not by
# every run that plans handouts.
TWO_UP_SHEET = {"a5": "a4", HALF_LETTER: "letter"}


def two_up_notes(handouts: list[Handout], options) -> list[str]:
    """What ``--two-up`` leaves out of a build, and why: a handout made for a whole
    sheet gets no two-up file (see handout_print_jobs). Said in the summary, as it
    is no error: the plain handout is built all the same. The command to make one is
    suggested only for a handout a half sheet holds (half_sheet.py), so it works.
    ``options`` are the build's print options (print_outputs.PrintOptions, which
    imports this module)."""
    from dnaoc_print.build.half_sheet import fits_half_sheet, holds_text

    skipped = [h for h in handouts if h.paper not in TWO_UP_SHEET] if options.two_up else []
    if not skipped:
        return []
    shown = ", ".join(f"{h.name} ({h.paper})" for h in skipped[:10])
    if len(skipped) > 10:
        shown += f" and {len(skipped) - 10} more"
    if len(skipped) == len(handouts):
        which = f"--two-up made no two-up file: every handout is made for a whole sheet ({shown})"
    else:
        which = (
            f"--two-up made no two-up file for {len(skipped)} of the {len(handouts)} "
            f"handouts, made for a whole sheet ({shown})"
        )
    small = [h.name for h in skipped if fits_half_sheet(h)]
    advice = (
        "Two-up needs handouts made for half a sheet, A5 or half-letter (two to an A4 or a "
        f"Letter sheet); a half sheet holds {holds_text('cards')} (a question sheet "
        f"{holds_text('questions')})"
    )
    if small:
        advice += (
            f". For {', '.join(small[:10])}: set `paper: a5` (or `paper: half-letter`) in "
            "the spec, or run `dnaoc-print handout SPEC --paper a5 --two-up`"
        )
    else:
        advice += ": print these on a whole sheet"
    return [f"{which}. {advice}"]


def two_up_problems(handouts: list[Handout], flag: str = "--two-up") -> list[ContentError]:
    """Why these handouts cannot share two-up sheets, if they cannot: each must be
    made for half a sheet, and all for the same sheet."""
    wrong = [h for h in handouts if h.paper not in TWO_UP_SHEET]
    if wrong:
        names = ", ".join(f"{h.name} ({h.paper})" for h in wrong[:5])
        return [
            ContentError(
                f"two handouts fit on a sheet only if each is made for half of it: {names} "
                "is made for a whole sheet",
                flag=flag,
                hint="make them with --paper a5 (two to an A4 sheet) or --paper half-letter "
                "(two to a Letter sheet), or set paper in the spec or the CSV",
            )
        ]
    papers = sorted({h.paper for h in handouts})
    if len(papers) > 1:
        return [
            ContentError(
                f"the handouts are on different papers ({', '.join(papers)}), so they "
                "cannot share one stack of sheets",
                flag=flag,
                hint="give every row the same paper",
            )
        ]
    return []


def two_up_name(target: Path) -> str:
    """The sheets file's name in the progress and the summary."""
    return f"two-up sheets {target.stem.removesuffix('-two-up')}"


def two_up_sheets(
    outcomes: list[Outcome], target: Path, paper: str, copies: int, crop_marks: bool
) -> Outcome:
    """The handouts just written (``outcomes``, in order) two to a sheet, in one file.

    Imposed from the PDFs written, so the sheets show exactly what they hold. If any
    handout failed, the sheets are not made: a stack short of a handout is no use.
    """
    name = two_up_name(target)
    failed = [o.job_name.removeprefix("handout ") for o in outcomes if o.status != "built"]
    if failed:
        return Outcome(
            name,
            target,
            "failed",
            error=f"not made, as {len(failed)} of its handouts failed ({', '.join(failed[:5])})",
        )
    from dnaoc_print.pdf.imposition import SHEETS, joined, two_up

    pdfs = [o.target.read_bytes() for o in outcomes]
    sheet = SHEETS[TWO_UP_SHEET[paper]]
    pdf, page_count = two_up(joined(pdfs), sheet, crop_marks, copies)
    write_atomic(target, pdf)
    outcome = Outcome(name, target, "built", page_count, len(pdf))
    outcome.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    return outcome
