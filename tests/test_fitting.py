"""fitting.py: which fit step a handout takes and where its spare height goes, decided
from measurements alone (no typesetting here)."""

from __future__ import annotations

import pickle

import pytest

from dnaoc_print.errors import BuildError
from dnaoc_print.fitting import MIN_SPARE_MM, DoesNotFit, Fit, SheetMeasure, fit


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
