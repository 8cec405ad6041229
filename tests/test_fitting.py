"""fitting.py: which fit step a handout takes and where its spare height goes, decided
from measurements alone (no typesetting here)."""

from __future__ import annotations

import pickle

import pytest

from dnaoc_print.errors import BuildError
from dnaoc_print.typeset.fitting import (
    MIN_SPARE_MM,
    NOTES_UNDER,
    NOTES_UNDER_FROM_MM,
    DoesNotFit,
    Fit,
    SheetMeasure,
    fit,
)


def test_a_sheet_on_two_pages_does_not_fit() -> None:
    assert fit(SheetMeasure(pages=2)) == Fit(fits=False)


def test_a_question_sheet_shares_its_spare_height_among_its_answer_spaces() -> None:
    decision = fit(SheetMeasure(pages=1, spare_mm=30.04, answer_mm=26))
    assert decision == Fit(fits=True, fill="--spare-space: 29.0mm;")


def test_little_spare_height_is_left_as_it_is() -> None:
    assert fit(SheetMeasure(1, spare_mm=MIN_SPARE_MM - 0.1, answer_mm=26)) == Fit(fits=True)
    assert fit(SheetMeasure(1, notes_room_mm=25, notes_mm=22)) == Fit(fits=True)


def test_a_notes_area_grows_to_the_foot_of_the_page_in_place() -> None:
    decision = fit(SheetMeasure(1, spare_mm=40, notes_room_mm=62.36, notes_mm=22))
    assert decision == Fit(fits=True, fill="--notes-fill: 61.4mm;", in_place=True)


def test_the_overflow_error_gives_its_figures_and_the_advice() -> None:
    error = DoesNotFit(241.2, 160.4, "remove a story")
    assert isinstance(error, BuildError)
    assert str(error) == (
        "does not fit on one page: even at the smallest allowed size (text 10 pt, QR codes "
        "24.8 mm) it needs 241 mm of the 160 mm the page has, 81 mm too much. To fit: "
        "remove a story"
    )
    assert error.overflow_mm == pytest.approx(80.8)
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.overflow_mm == error.overflow_mm


# -- A sheet with little on it: its notes move under its questions -------------------


def test_notes_beside_a_tall_blank_move_under_the_questions() -> None:
    # The README's ward-7-huddle row: one question, a 135 mm blank beside 22 mm of notes.
    sparse = SheetMeasure(
        1, spare_mm=120.1, notes_room_mm=146.1, notes_mm=22, below_questions_mm=135.4
    )
    assert sparse.notes_beside
    assert fit(sparse) == Fit(fits=True, fill=NOTES_UNDER)


def test_a_full_sheet_keeps_its_notes_beside_the_questions() -> None:
    # The shipped compassion spec: 14 mm under its questions; its notes grow in place.
    full = SheetMeasure(1, spare_mm=14.3, notes_room_mm=49.5, notes_mm=16, below_questions_mm=14.3)
    assert fit(full) == Fit(fits=True, fill="--notes-fill: 48.5mm;", in_place=True)


def test_notes_move_under_only_with_room_for_their_heading_besides_their_height() -> None:
    def measure(below_questions_mm: float) -> SheetMeasure:
        return SheetMeasure(
            1, notes_room_mm=102.2, notes_mm=44.8, below_questions_mm=below_questions_mm
        )

    assert fit(measure(44.8 + NOTES_UNDER_FROM_MM)).fill == NOTES_UNDER
    assert fit(measure(44.8 + NOTES_UNDER_FROM_MM - 0.1)).in_place


def test_notes_already_under_the_questions_grow_in_place_and_never_move_again() -> None:
    # Laid out again with NOTES_UNDER: the notes start below the foot of the questions.
    under = SheetMeasure(1, spare_mm=20, notes_room_mm=64.8, notes_mm=44.8, below_questions_mm=75.8)
    assert not under.notes_beside
    assert fit(under) == Fit(fits=True, fill="--notes-fill: 63.8mm;", in_place=True)
    # ... and once grown, nothing more to do.
    grown = SheetMeasure(1, spare_mm=1, notes_room_mm=64.8, notes_mm=63.8, below_questions_mm=75.8)
    assert fit(grown) == Fit(fits=True)


def test_landscape_notes_in_the_flow_and_notes_without_questions_stay_where_they_are() -> None:
    # Landscape: the notes are under the questions in their column already.
    landscape = SheetMeasure(1, spare_mm=60, notes_room_mm=70, notes_mm=22, below_questions_mm=95)
    assert fit(landscape).in_place
    # No questions: the notes are under the stories, across the page.
    no_questions = SheetMeasure(1, spare_mm=90, notes_room_mm=100, notes_mm=22)
    assert fit(no_questions).in_place
    # No notes: nothing to move.
    assert fit(SheetMeasure(1, spare_mm=100, below_questions_mm=100)) == Fit(fits=True)


def test_notes_that_could_not_move_grow_where_they_are() -> None:
    # Moving them under the questions tipped the sheet onto a second page: laid out
    # again as it fitted, its notes beside the questions grow in place instead.
    sparse = SheetMeasure(1, notes_room_mm=146.1, notes_mm=22, below_questions_mm=135.4)
    decision = fit(sparse, notes_stay=True)
    assert decision == Fit(fits=True, fill="--notes-fill: 145.1mm;", in_place=True)
