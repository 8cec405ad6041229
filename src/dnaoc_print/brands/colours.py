"""Colour arithmetic for brands: WCAG 2 contrast, mixing, and the nearest colour that passes."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Callable

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# WCAG 2.x level AA for body text.
AA_NORMAL_TEXT = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#1d5a73' or '#abc' as an (r, g, b) triple of 0-255 integers."""
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"'{colour}' is not a colour like #1d5a73")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(
        f"{round(max(0, min(255, channel))):02x}" for channel in (red, green, blue)
    )


def normalise(colour: str) -> str:
    """Lower-case, six-digit form: '#ABC' -> '#aabbcc'."""
    return to_hex(*parse_hex(colour))


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in parse_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """``amount`` of ``other`` mixed into ``colour`` (0 gives colour, 1 gives other)."""
    first, second = parse_hex(colour), parse_hex(other)
    return to_hex(*(a + (b - a) * amount for a, b in zip(first, second, strict=True)))


def nearest_passing(foreground: str, background: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """The colour closest to ``foreground`` in lightness, same hue, that reaches ``minimum``."""
    found = nearest_passing_all(
        foreground, lambda colour: contrast_ratio(colour, background) >= minimum
    )
    if found is not None:
        return found
    return "#000000" if contrast_ratio("#000000", background) >= minimum else "#ffffff"


def nearest_passing_all(colour: str, passes: Callable[[str], bool]) -> str | None:
    """The colour closest to ``colour`` in lightness, same hue, for which ``passes`` holds.

    One setting is often printed on several backgrounds (and other colours are worked
    out from it), so ``passes`` checks every pair at once: the answer is one colour
    sure to pass them all, not one colour per pair. Darker and lighter versions are
    tried a step at a time, the smaller change first; black and white last. ``None``
    when nothing passes.
    """
    red, green, blue = (channel / 255 for channel in parse_hex(colour))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    for step in range(1, 101):
        for direction in (-1, 1):
            new_lightness = lightness + direction * step / 100
            if not 0 <= new_lightness <= 1:
                continue
            candidate = to_hex(
                *(c * 255 for c in colorsys.hls_to_rgb(hue, new_lightness, saturation))
            )
            if passes(candidate):
                return candidate
    return next((extreme for extreme in ("#000000", "#ffffff") if passes(extreme)), None)
