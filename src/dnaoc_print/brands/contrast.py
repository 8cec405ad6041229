"""A brand's colours completed and checked: every text colour against every background
the layouts print it on (WCAG AA, 4.5:1).

A failing pair is put down to the one colour a person would change: the text colour
they gave, or the given colour a derived one is worked out from. Each such setting
gets one warning listing every pair it fails, and one suggested colour that passes all
of them at once, with the derived colours worked out again from the suggestion.
"""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.brands.colours import AA_NORMAL_TEXT, contrast_ratio, mix, nearest_passing_all
from dnaoc_print.errors import ContentError

# Text colours and the backgrounds they are printed on, as the layouts use them.
CONTRAST_PAIRS = (
    ("text", "background"),
    ("text", "tint"),
    ("muted", "background"),
    ("muted", "tint"),
    ("primary", "background"),
    ("primary", "tint"),
    ("on_primary", "primary"),
)
# A derived text colour that fails is fixed by changing the colour it comes from.
WORKED_OUT_FROM = {"on_primary": "primary", "muted": "text"}


def derive_colours(given: dict[str, str]) -> dict[str, str]:
    """The colours a layout needs beyond the five a brand gives, each made to read well.

    A colour that cannot be worked out (one it comes from is missing or unreadable,
    which has its own error) is left out, so the pairs that can be checked still are.
    """
    text, background, primary = (given.get(key) for key in ("text", "background", "primary"))
    colours = dict(given)
    if primary and background:
        colours.setdefault("tint", mix(primary, background, 0.92))
        colours.setdefault("rule", mix(primary, background, 0.65))
    if primary and background and text:
        colours.setdefault(
            "on_primary",
            max((background, text, "#ffffff"), key=lambda colour: contrast_ratio(colour, primary)),
        )
    if "muted" not in colours and text and background and "tint" in colours:
        # Soften the text colour only as far as it still reads on both backgrounds.
        for amount in (0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.0):
            muted = mix(text, background, amount)
            if (
                min(contrast_ratio(muted, background), contrast_ratio(muted, colours["tint"]))
                >= AA_NORMAL_TEXT
            ):
                break
        colours["muted"] = muted
    return colours


def _setting(text: str, given: dict[str, str]) -> str:
    return text if text in given else WORKED_OUT_FROM.get(text, text)


def suggest(given: dict[str, str], setting: str) -> str | None:
    """One colour for ``setting`` that passes every pair the setting is answerable for."""
    known = derive_colours(given)
    pairs = [
        (text, background)
        for text, background in CONTRAST_PAIRS
        if _setting(text, given) == setting and text in known and background in known
    ]

    def passes(candidate: str) -> bool:
        colours = derive_colours({**given, setting: candidate})
        return all(
            contrast_ratio(colours[text], colours[background]) >= AA_NORMAL_TEXT
            for text, background in pairs
        )

    return nearest_passing_all(given[setting], passes)


def contrast_warnings(
    given: dict[str, str],
    fields: dict[str, tuple[str, int | None]],
    path: Path,
) -> list[ContrastWarning]:
    """One warning per colour setting whose text falls below 4.5:1 anywhere it is used.

    ``given`` holds the colours the brand gave and could be read (derived ones only if
    it gave them): a pair is checked when both its colours are known, so a bad colour
    elsewhere hides no warning;
    ``fields`` names each setting as its file does, with its line.
    """
    colours = derive_colours(given)
    failing: dict[str, list[tuple[str, str, float]]] = {}
    for text, background in CONTRAST_PAIRS:
        if text not in colours or background not in colours:
            continue  # a colour it needs has its own error
        ratio = contrast_ratio(colours[text], colours[background])
        if ratio < AA_NORMAL_TEXT:
            failing.setdefault(_setting(text, given), []).append((text, background, ratio))
    warnings = []
    for setting, pairs in failing.items():
        label, line = fields.get(setting, (f"colours.{setting}", None))
        by_text: dict[str, list[str]] = {}
        for text, background, ratio in pairs:
            by_text.setdefault(text, []).append(
                f"on {_words(background)} {colours[background]}"
                + (" has contrast" if not by_text.get(text) else "")
                + f" {ratio:.2f}:1"
            )
        described = [
            (f"'{label}'" if text == setting else f"{_words(text)} (worked out from it)")
            + f" {colours[text]} "
            + ", ".join(parts)
            for text, parts in by_text.items()
        ]
        suggestion = suggest(given, setting)
        if suggestion is None:
            hint = "no shade of this colour passes: choose a darker or lighter colour"
        else:
            fixed = derive_colours({**given, setting: suggestion})
            lowest = min(contrast_ratio(fixed[t], fixed[b]) for t, b, _ in pairs)
            hint = (
                f'write {label}: "{suggestion}", the nearest colour that passes everywhere '
                f"it is used (at least {lowest:.2f}:1)"
            )
        warning = ContrastWarning(
            "; ".join(described) + ", below the 4.5:1 that WCAG AA asks of text",
            path=path,
            line=line,
            hint=hint,
        )
        warning.field, warning.colour, warning.suggestion = label, given[setting], suggestion
        warnings.append(warning)
    return warnings


class ContrastWarning(ContentError):
    """A colour setting below 4.5:1 somewhere it is used: the field as the brand file
    names it, its colour, and the one colour suggested instead (None if none passes)."""

    field: str
    colour: str
    suggestion: str | None


def _words(key: str) -> str:
    return key.replace("_", " ")
