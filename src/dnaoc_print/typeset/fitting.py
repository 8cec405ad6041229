"""Deciding how each handout fits its page, from measurements of its layout.

Pure logic, no typesetting: given what a laid-out sheet measures (how many pages it
took, the height left under it, where its room to write is), say whether it fits at
this fit step, and where its spare height goes: to its answer spaces, to its notes
where they are, or, when a sheet has little on it, to notes moved under its questions
across the page (a narrow notes column beside a tall blank reads as a half-empty
page). The typesetter (build/handout_typesetting.py) lays out, asks, and does what it is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from dnaoc_print.errors import BuildError

# Spare height below this is left as it is rather than laid out again.
MIN_SPARE_MM = 4.0
# Kept in hand against rounding when spare height is given away.
KEEP_MM = 1.0
# Notes beside the questions move under them, across the page, when the blank room under
# the questions is at least the notes' own height and this much more: room for their
# heading (about 11 mm at the largest fit step) with some to spare, so they still fit.
NOTES_UNDER_FROM_MM = 20.0
# What moves them: the custom properties of the notes' place (layouts/handout.css, "Notes
# under the questions") set to put them in the flow, after the questions, full width.
NOTES_UNDER = (
    "--notes-position: static; --notes-column: auto; --notes-room-beside: 0mm; "
    "--notes-heading-gap: var(--section-gap);"
)


@dataclass(frozen=True)
class SheetMeasure:
    """What one sheet measures, laid out at one fit step (mm)."""

    pages: int
    # Height left at the foot of its page, under everything.
    spare_mm: float = 0.0
    # Height of its first answer space (0 if it has none: not a question sheet).
    answer_mm: float = 0.0
    # From the top of its notes area to the foot of the page, and the area's height
    # (0, 0 if it has no notes area).
    notes_room_mm: float = 0.0
    notes_mm: float = 0.0
    # From the foot of its questions (beside the notes, or above them) to the foot of the
    # page (0 if it has no such questions: a question sheet's are answer spaces).
    below_questions_mm: float = 0.0

    @property
    def notes_beside(self) -> bool:
        """Its notes start level with its questions, beside them, not under them."""
        return self.notes_mm > 0 and self.notes_room_mm > self.below_questions_mm


@dataclass(frozen=True)
class Fit:
    """What to do with a sheet laid out at a fit step."""

    # On one page at this step: it is written at this step.
    fits: bool
    # CSS declarations for the sheet that give it its spare height; "" for none.
    fill: str = ""
    # The fill only makes the notes area taller, with nothing after it: the typesetter
    # may grow it in place instead of laying the sheet out again.
    in_place: bool = False


def fit(measure: SheetMeasure, notes_stay: bool = False) -> Fit:
    """Does the sheet fit at this step, and where does its spare height go?

    A question sheet shares the height left under everything (``--spare-space``)
    among its answer spaces, which moves every question after the first: that takes
    another layout. Notes beside questions with a tall blank under them move under the
    questions, across the page: another layout, measured again to grow them. Otherwise
    the notes area, beside the questions or under them, is made taller down to the
    foot of the page: nothing comes after it, so nothing else moves. ``notes_stay``:
    the notes are not moved (moving them tipped the sheet onto a second page).
    """
    if measure.pages != 1:
        return Fit(fits=False)
    if measure.answer_mm > 0:
        if measure.spare_mm < MIN_SPARE_MM:
            return Fit(fits=True)
        return Fit(fits=True, fill=f"--spare-space: {measure.spare_mm - KEEP_MM:.1f}mm;")
    if (
        not notes_stay
        and measure.notes_beside
        and (measure.below_questions_mm - measure.notes_mm >= NOTES_UNDER_FROM_MM)
    ):
        return Fit(fits=True, fill=NOTES_UNDER)
    if measure.notes_room_mm - measure.notes_mm < MIN_SPARE_MM:
        return Fit(fits=True)
    return Fit(
        fits=True, fill=f"--notes-fill: {measure.notes_room_mm - KEEP_MM:.1f}mm;", in_place=True
    )


class DoesNotFit(BuildError):
    """A handout takes more than its page even at the smallest fit step."""

    def __init__(self, needed_mm: float, available_mm: float, advice: str, place: str = "") -> None:
        """``place`` is the spec file to name ("" for none)."""
        self.needed_mm, self.available_mm, self.advice = needed_mm, available_mm, advice
        self.place = place
        super().__init__(
            f"{place + ': ' if place else ''}"
            f"does not fit on one page: even at the smallest allowed size (text 10 pt, "
            f"QR codes 24.8 mm) it needs {needed_mm:.0f} mm of the {available_mm:.0f} mm the "
            f"page has, {needed_mm - available_mm:.0f} mm too much. To fit: {advice}"
        )

    def __reduce__(self):
        # Its figures, not its message, make it again (as in another process).
        return (type(self), (self.needed_mm, self.available_mm, self.advice, self.place))

    @property
    def overflow_mm(self) -> float:
        return self.needed_mm - self.available_mm
