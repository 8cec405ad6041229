"""A brand's fonts: brand.yaml's ``fonts.body`` and ``fonts.headings`` as font families.

Each family lists its files (in the brand's folder or the project's ``fonts/``),
each opened and read to check it is a font of the weight and style it claims
(fonts.py). A family's name goes into CSS as written, so only plain characters
are allowed; a unicode range may be named (``latin``, ``latin-ext``). The names,
ranges and limits here are brand.yml's too (brand_yml_fonts.py).
"""

from __future__ import annotations

import re

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.fonts import font_file_problems
from dnaoc_print.content.yaml_source import LineDict, LineList
from dnaoc_print.errors import ContentError
from dnaoc_print.model import FontFamily, FontFile

FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
MAX_FONT_BYTES = 5_000_000
# Family names go into CSS as written, so only plain characters are allowed.
SAFE_FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")
UNICODE_RANGE = re.compile(
    r"^U\+[0-9A-Fa-f?]{1,6}(-[0-9A-Fa-f]{1,6})?(, ?U\+[0-9A-Fa-f?]{1,6}(-[0-9A-Fa-f]{1,6})?)*$"
)
# Named character sets, as the font files from Fontsource are split.
UNICODE_RANGES = {
    "latin": (
        "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
        "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, "
        "U+FEFF, U+FFFD"
    ),
    "latin-ext": (
        "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+1D00-1DBF, "
        "U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, "
        "U+A720-A7FF"
    ),
}


def family_name(fields: Fields) -> str | None:
    """A font entry's family name; None, with an error, if it is missing or holds
    characters that could break out of the CSS it is written into."""
    family = fields.text("family", required=True)
    if family and not SAFE_FAMILY.match(family):
        fields.fail(
            "family",
            f"font family name '{family}' has characters that are not allowed",
            "use letters, digits, spaces, dots and hyphens",
        )
        return None
    return family


class FontReading:
    """The fonts part of BrandReader (reader.py), which gives it ``file``, the
    brand's ``root`` and ``shown`` path, and the error and warning lists."""

    def font(self, fields: Fields | None, role: str) -> FontFamily | None:
        if fields is None:
            self.errors.append(
                ContentError(
                    f"missing 'fonts.{role}'", path=self.shown, hint="give a family and its files"
                )
            )
            return None
        fields.check_keys(("family", "files"))
        family = family_name(fields)
        files_value = fields.data.get("files")
        if not isinstance(files_value, LineList) or not files_value:
            fields.fail(
                "files" if "files" in fields.data else None,
                f"'fonts.{role}.files' must list the font files",
                "one '- {path: ..., weight: 400, style: normal}' per file",
            )
            return None
        files = []
        for index, entry in enumerate(files_value):
            line = files_value.line_of(index)
            if font_file := self.font_file(fields, role, family, index, entry, line):
                files.append(font_file)
        if not family or not files:
            return None
        return FontFamily(family, tuple(files))

    def font_file(
        self, fields: Fields, role: str, family: str | None, index: int, entry, line: int | None
    ) -> FontFile | None:
        """One entry of ``fonts.<role>.files``, read and its file opened; None if it
        cannot be used (its problems recorded)."""
        if isinstance(entry, str):
            entry_fields = None
            path_value, weight, style, unicode_range = entry, 400, "normal", None
        elif isinstance(entry, LineDict):
            entry_fields = Fields(entry, self.shown, self.errors, prefix=f"fonts.{role}.files.")
            entry_fields.check_keys(("path", "weight", "style", "unicode_range"))
            path_value = entry_fields.text("path", required=True)
            weight = entry_fields.integer("weight") or 400
            style = entry_fields.choice("style", ("normal", "italic"), "normal")
            unicode_range = entry_fields.text("unicode_range")
        else:
            fields.fail(
                "files", f"font file {index + 1} must be a path or a group of fields", line=line
            )
            return None
        if unicode_range is not None:
            unicode_range = UNICODE_RANGES.get(unicode_range, unicode_range)
            if not UNICODE_RANGE.match(unicode_range):
                (entry_fields or fields).fail(
                    "unicode_range" if entry_fields else "files",
                    f"'{unicode_range}' is not a unicode range",
                    "write latin, latin-ext, or ranges like U+0000-00FF",
                    line=line,
                )
                unicode_range = None
        if weight not in range(100, 1000, 100):
            fields.fail("files", f"font weight {weight} must be 100, 200, ... 900", line=line)
            weight = 400
        if path_value is None:
            return None
        path = self.file(
            fields,
            "files",
            path_value,
            FONT_SUFFIXES,
            MAX_FONT_BYTES,
            line=line,
            also_in=self.root / "fonts",
        )
        if path is None:
            return None
        # Opened and read: a file that is not a font would be skipped, and the text
        # set in a system font (see fonts.py).
        errors, warnings = font_file_problems(path, family, weight, style)
        for message, hint in errors:
            fields.fail("files", message, hint, line=line)
        for message, hint in warnings:
            self.warnings.append(ContentError(message, path=self.shown, line=line, hint=hint))
        return None if errors else FontFile(path, weight, style, unicode_range)


# CSS's names for font weights, as brand.yml allows them.
WEIGHT_NAMES = {
    "thin": 100,
    "extra-light": 200,
    "ultra-light": 200,
    "light": 300,
    "normal": 400,
    "regular": 400,
    "medium": 500,
    "semi-bold": 600,
    "demi-bold": 600,
    "bold": 700,
    "extra-bold": 800,
    "ultra-bold": 800,
    "black": 900,
    "heavy": 900,
}


def font_weight(fields: Fields) -> int | None:
    """A font file's weight in brand.yml: 100 to 900, or a name like bold."""
    value = fields.data.get("weight", 400)
    if isinstance(value, str):
        value = WEIGHT_NAMES.get(value.strip().lower(), value)
    if isinstance(value, int) and not isinstance(value, bool) and value in range(100, 1000, 100):
        return value
    fields.fail(
        "weight",
        f"font weight {value!r} must be 100, 200, ... 900 or a name like bold",
        "a variable font's file is listed once for each weight used",
    )
    return None
