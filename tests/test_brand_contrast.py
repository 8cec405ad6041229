"""The default look: every text colour on its background meets WCAG AA (4.5 : 1)."""

from __future__ import annotations

import pytest

from dnaoc_print.colours import contrast_ratio, css_custom_properties

from conftest import PROJECT_ROOT

BRAND = css_custom_properties((PROJECT_ROOT / "layouts/brand.css").read_text())

# (text, background) pairs as the layouts use them.
TEXT_ON_BACKGROUND = [
    ("--brand-text", "--brand-background"),
    ("--brand-text", "--brand-tint"),
    ("--brand-muted", "--brand-background"),
    ("--brand-muted", "--brand-tint"),
    ("--brand-primary", "--brand-background"),
    ("--brand-primary", "--brand-tint"),
    ("--brand-on-primary", "--brand-primary"),
]


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("text", "background"), TEXT_ON_BACKGROUND)
def test_text_colours_meet_wcag_aa(text: str, background: str) -> None:
    assert contrast_ratio(BRAND[text], BRAND[background]) >= 4.5
