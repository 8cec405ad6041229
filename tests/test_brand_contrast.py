"""Colour arithmetic, and every shipped brand's text colours meet WCAG AA (4.5 : 1)."""

from __future__ import annotations

import pytest

from dnaoc_print.brands.colours import contrast_ratio, nearest_passing
from dnaoc_print.brands.contrast import CONTRAST_PAIRS, derive_colours
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.content.brand_folders import brand_names

from conftest import PROJECT_ROOT


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_nearest_passing_colour_passes_and_stays_close() -> None:
    suggestion = nearest_passing("#8fb8c9", "#ffffff")
    assert contrast_ratio(suggestion, "#ffffff") >= 4.5
    assert contrast_ratio(suggestion, "#ffffff") < 5.0  # the nearest, not just any dark colour


def test_derived_colours_read_well_on_their_backgrounds() -> None:
    colours = derive_colours(
        {
            "primary": "#2a6f97",
            "secondary": "#61a5c2",
            "accent": "#fca311",
            "text": "#222222",
            "background": "#fdfcf7",
        }
    )
    assert contrast_ratio(colours["muted"], colours["background"]) >= 4.5
    assert contrast_ratio(colours["on_primary"], colours["primary"]) >= 4.5


@pytest.mark.parametrize("name", brand_names(PROJECT_ROOT))
def test_shipped_brands_meet_wcag_aa(name: str) -> None:
    brand, warnings = load_brand(PROJECT_ROOT, name)
    assert warnings == []
    for text, background in CONTRAST_PAIRS:
        assert contrast_ratio(brand.colours[text], brand.colours[background]) >= 4.5
