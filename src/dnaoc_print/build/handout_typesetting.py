"""Typeset a batch of handouts: lay out their sheets, let fitting.py decide, write
each handout's page as a PDF of its own.

The one path for every handout: a single one from flags, a CSV batch, the
composer's preview. Each round lays out, in one document, every sheet that has
something to try: the next fit step of a sheet that took more than a page, or the
final layout of a sheet whose spare height is given to its answer spaces, or whose
notes move under its questions (then grown to the foot of the page in place). Sheets
that fit are written, each as its own PDF (splitting.py), as each round ends, and never
laid out again; so a handout that needs a second fit step costs one more layout of
that handout (beside the others that need one), never of its batch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dnaoc_print.errors import BuildError
from dnaoc_print.render.documents import sheet_id, with_sheets
from dnaoc_print.typeset import typesetting
from dnaoc_print.typeset.fitting import KEEP_MM, DoesNotFit, SheetMeasure, fit

if TYPE_CHECKING:
    from dnaoc_print.build.work import HandoutBatch


@dataclass(frozen=True)
class _Entry:
    """A sheet to lay out in a round: which handout, at which fit step, and, once
    it is known to fit, the CSS that gives it its spare height (None while trying)."""

    index: int
    step: int
    fill: str | None = None


def typeset_handouts(
    batch: HandoutBatch, allowed_roots: list[Path]
) -> tuple[list[bytes | BuildError], list[str]]:
    """Each handout's PDF (or why it has none: a DoesNotFit error says by how
    much, another BuildError that it would print in a font not the project's), and
    WeasyPrint's warnings."""
    jobs = batch.jobs
    last_step = len(jobs[0].sheet.fits) - 1
    results: list[bytes | BuildError] = [b""] * len(jobs)
    warnings: list[str] = []
    overflowing: list[int] = []
    entries = [_Entry(index, 0) for index in range(len(jobs))]
    layout = None
    while entries:
        layout, pages = _lay_out_sheets(batch, entries, allowed_roots)
        warnings += layout.warnings
        finished: list[tuple[int, int]] = []
        next_round: list[_Entry] = []
        for number, (entry, sheet_pages) in enumerate(zip(entries, pages, strict=True), 1):
            marker = sheet_id(number)
            if entry.fill is not None:  # the final layout of a sheet that fitted
                if len(sheet_pages) == 1:
                    # Its notes grow down to the foot of the page (moved under its
                    # questions, or left beside them if moving them tipped it onto a
                    # second page): in place, or (should that not be possible) in one
                    # more layout.
                    grown = fit(_measure(layout, sheet_pages, marker), notes_stay=not entry.fill)
                    if grown.in_place and (
                        layout.extend_to_foot(sheet_pages[0], marker, "notes-area", KEEP_MM) is None
                    ):
                        next_round.append(replace(entry, fill=f"{entry.fill} {grown.fill}"))
                    else:
                        finished.append((entry.index, sheet_pages[0]))
                elif entry.fill:
                    # Rare: the filled sheet tipped onto a second page; print it as it fitted.
                    next_round.append(replace(entry, fill=""))
                else:
                    raise BuildError("a handout that fitted on one page no longer does")
                continue
            decision = fit(_measure(layout, sheet_pages, marker))
            if not decision.fits:
                if entry.step < last_step:
                    next_round.append(_Entry(entry.index, entry.step + 1))
                else:
                    overflowing.append(entry.index)
            elif not decision.fill or (
                decision.in_place
                and layout.extend_to_foot(sheet_pages[0], marker, "notes-area", KEEP_MM) is not None
            ):
                finished.append((entry.index, sheet_pages[0]))
            else:
                next_round.append(replace(entry, fill=decision.fill))
        warnings += _write_split(batch, layout, finished, results, allowed_roots)
        entries = next_round

    for index in overflowing:
        results[index] = _overflow(batch, index, layout, allowed_roots)
    # The same warning from several rounds is said once.
    return results, list(dict.fromkeys(warnings))


def _measure(layout, sheet_pages: list[int], marker: str) -> SheetMeasure:
    if len(sheet_pages) != 1:
        return SheetMeasure(pages=len(sheet_pages))
    [page] = sheet_pages
    notes_room, notes = layout.room_below_mm(page, marker, "notes-area")
    questions_room, questions = layout.room_below_mm(page, marker, "handout-questions")
    return SheetMeasure(
        pages=1,
        spare_mm=layout.spare_mm(page, marker),
        answer_mm=layout.room_below_mm(page, marker, "answer-space")[1],
        notes_room_mm=notes_room,
        notes_mm=notes,
        below_questions_mm=questions_room - questions,
    )


def _overflow(batch: HandoutBatch, index: int, layout, allowed_roots: list[Path]) -> DoesNotFit:
    """How much too tall a handout is at the smallest step: one layout of it alone,
    on a page tall enough for anything."""
    job = batch.jobs[index]
    alone = replace(batch.document, html=with_sheets(batch.document.html, [job.sheet.fits[-1]]))
    tall_page = typesetting.TALL_PAGE.format(width=layout.page_width_px())
    tall = typesetting.lay_out(alone, job.name, allowed_roots, tall_page)
    advice, place = job.overflow_advice, job.overflow_place
    return DoesNotFit(tall.used_mm(), layout.available_mm(), advice, place)


def _write_split(
    batch: HandoutBatch,
    layout,
    finished: list[tuple[int, int]],
    results: list[bytes | BuildError],
    allowed_roots: list[Path],
) -> list[str]:
    """Draw the pages of these (job index, page) handouts as one PDF and write each
    handout's own from it; return WeasyPrint's warnings.

    A handout that would print in a font that is not the project's fails (fonts.py).
    Each part's fonts are the batch's, so the batch is checked once, and the parts
    one by one only when it has such a font, to say which handouts it is in.
    """
    if not finished:
        return []
    from dnaoc_print.content.fonts import foreign_font_error, foreign_fonts_among
    from dnaoc_print.pdf.splitting import Part, embedded_fonts, split_pdf

    typeset = typesetting.write(layout, [page for _, page in finished], kept=False)
    parts = []
    for new_page, (index, _) in enumerate(finished):
        sheet = batch.jobs[index].sheet
        xmp = layout.xmp(sheet.title, sheet.description)
        parts.append(Part((new_page,), sheet.title, sheet.description, xmp))
    fonts = embedded_fonts(typeset)
    pdfs = split_pdf(typeset, parts, layout.document.html)
    foreign_in_batch = bool(foreign_fonts_among(fonts, allowed_roots))
    for (index, _), pdf in zip(finished, pdfs, strict=True):
        foreign = foreign_in_batch and foreign_font_error(pdf, allowed_roots)
        results[index] = BuildError(foreign) if foreign else pdf
    return typeset.warnings


def _lay_out_sheets(batch: HandoutBatch, entries: list[_Entry], allowed_roots: list[Path]):
    """Lay out these sheets in one document; return the layout and the pages each
    sheet took."""
    sheets = [batch.jobs[entry.index].sheet.fits[entry.step] for entry in entries]
    fills = [entry.fill or "" for entry in entries]
    document = replace(batch.document, html=with_sheets(batch.document.html, sheets, fills))
    name = batch.jobs[entries[0].index].name if len(entries) == 1 else "handouts"
    layout = typesetting.lay_out(document, name, allowed_roots)
    firsts = layout.first_pages([sheet_id(number) for number in range(1, len(sheets) + 1)])
    if None in firsts:
        raise BuildError("a handout's sheet is missing from its typeset pages")
    ends = [*firsts[1:], layout.page_count]
    return layout, [list(range(first, end)) for first, end in zip(firsts, ends, strict=True)]
