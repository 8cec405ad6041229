"""Brand kits: ``brands/<name>/brand.yaml`` loaded, checked and completed.

A brand names its organisation, logo, colours, fonts, footer and contact line, and
may add a stylesheet and its own layouts. Every problem in the file is reported
at once with its key and line. Colour contrast below WCAG AA is a warning (an
error under ``--strict``) that gives the measured ratio and the nearest colour
that passes.
"""

from __future__ import annotations

import re
from pathlib import Path

from dnaoc_print.colours import (
    AA_NORMAL_TEXT,
    HEX_COLOUR,
    contrast_ratio,
    mix,
    nearest_passing,
    normalise,
)
from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean
from dnaoc_print.fields import Fields
from dnaoc_print.fonts import font_file_problems
from dnaoc_print.model import Brand, FontFamily, FontFile
from dnaoc_print.yaml_source import LineDict, LineList, parse_yaml, read_text

BRANDS_FOLDER = "brands"
DEFAULT_BRAND = "dna-of-care"
BRAND_FILE = "brand.yaml"
BRAND_FIELDS = ("organisation", "logo", "footer", "contact", "colours", "fonts", "css")
GIVEN_COLOURS = ("primary", "secondary", "accent", "text", "background")
DERIVED_COLOURS = ("on_primary", "muted", "tint", "rule")
FONT_ROLES = ("body", "headings")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
MAX_LOGO_BYTES = 2_000_000
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


def brand_names(root: Path) -> list[str]:
    folder = root / BRANDS_FOLDER
    return sorted(p.parent.name for p in folder.glob(f"*/{BRAND_FILE}")) if folder.is_dir() else []


def derive_colours(given: dict[str, str]) -> dict[str, str]:
    """The colours a layout needs beyond the five a brand gives, each made to read well."""
    text, background, primary = given["text"], given["background"], given["primary"]
    colours = dict(given)
    colours.setdefault("tint", mix(primary, background, 0.92))
    colours.setdefault("rule", mix(primary, background, 0.65))
    colours.setdefault(
        "on_primary",
        max((background, text, "#ffffff"), key=lambda colour: contrast_ratio(colour, primary)),
    )
    if "muted" not in colours:
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


class _BrandReader:
    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.name = name
        self.folder = root / BRANDS_FOLDER / name
        self.shown = Path(BRANDS_FOLDER) / name / BRAND_FILE
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def file(
        self,
        fields: Fields,
        key: str,
        value: str,
        suffixes: tuple[str, ...],
        limit: int,
        line: int | None = None,
        also_in: Path | None = None,
    ) -> Path | None:
        """A file named in the brand: in the brand's folder (or ``also_in``), of a known
        type, not too large, and never outside the project."""
        candidates = [self.folder / value] + ([also_in / value] if also_in else [])
        path = next((c.resolve() for c in candidates if c.is_file()), None)
        where = f"{self.folder.relative_to(self.root)}/" + (
            f" or {also_in.relative_to(self.root)}/" if also_in else ""
        )
        if path is None:
            fields.fail(
                key,
                f"'{key}' file '{value}' not found in {where}",
                "check the file name, or copy the file into the brand's folder",
                line=line,
            )
            return None
        allowed = [self.folder.resolve()] + ([also_in.resolve()] if also_in else [])
        if not any(path.is_relative_to(folder) for folder in allowed):
            fields.fail(
                key,
                f"'{key}' file '{value}' is outside {where}",
                "keep a brand's files inside its folder",
                line=line,
            )
            return None
        if path.suffix.lower() not in suffixes:
            fields.fail(
                key, f"'{key}' file '{value}' is not one of {', '.join(suffixes)}", line=line
            )
            return None
        if path.stat().st_size > limit:
            fields.fail(
                key,
                f"'{key}' file '{value}' is larger than {limit:,} bytes",
                "use a smaller file",
                line=line,
            )
            return None
        return path

    def colours(self, fields: Fields | None) -> dict[str, str]:
        if fields is None:
            self.errors.append(
                ContentError(
                    "missing 'colours'",
                    path=self.shown,
                    hint=f'give {", ".join(GIVEN_COLOURS)} as "#rrggbb"',
                )
            )
            return {}
        fields.check_keys(GIVEN_COLOURS + DERIVED_COLOURS)
        colours = {}
        for key in GIVEN_COLOURS + DERIVED_COLOURS:
            value = fields.data.get(key)
            if value is None:
                if key in GIVEN_COLOURS:
                    fields.fail(
                        None if key not in fields.data else key,
                        f"missing colour 'colours.{key}'",
                        f'write it in quotes, e.g. {key}: "#1d5a73" '
                        "(a bare # starts a YAML comment)",
                        line=fields.data.line_of(key) if key in fields.data else None,
                    )
                continue
            if not isinstance(value, str) or not HEX_COLOUR.match(value.strip()):
                fields.fail(
                    key,
                    f"'colours.{key}' is not a colour: {value!r}",
                    'write it as "#rrggbb" in quotes, e.g. "#1d5a73"',
                )
                continue
            colours[key] = normalise(value.strip())
        return colours

    def check_contrast(self, colours: dict[str, str], data: LineDict | None) -> None:
        for text, background in CONTRAST_PAIRS:
            ratio = contrast_ratio(colours[text], colours[background])
            if ratio >= AA_NORMAL_TEXT:
                continue
            suggestion = nearest_passing(colours[text], colours[background])
            line = data.line_of(text) if data is not None and text in data else None
            self.warnings.append(
                ContentError(
                    f"'colours.{text}' {colours[text]} on {background.replace('_', ' ')} "
                    f"{colours[background]} has contrast {ratio:.2f}:1, below the 4.5:1 that "
                    "WCAG AA asks of text",
                    path=self.shown,
                    line=line,
                    hint=f"the nearest colour that passes is {suggestion} "
                    f"({contrast_ratio(suggestion, colours[background]):.2f}:1)",
                )
            )

    def font(self, fields: Fields | None, role: str) -> FontFamily | None:
        if fields is None:
            self.errors.append(
                ContentError(
                    f"missing 'fonts.{role}'", path=self.shown, hint="give a family and its files"
                )
            )
            return None
        fields.check_keys(("family", "files"))
        family = fields.text("family", required=True)
        if family and not SAFE_FAMILY.match(family):
            fields.fail(
                "family",
                f"font family name '{family}' has characters that are not allowed",
                "use letters, digits, spaces, dots and hyphens",
            )
            family = None
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
                continue
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
                continue
            path = self.file(
                fields,
                "files",
                path_value,
                FONT_SUFFIXES,
                MAX_FONT_BYTES,
                line=line,
                also_in=self.root / "fonts",
            )
            if path is not None:
                # Opened and read: a file that is not a font would be skipped, and
                # the text set in a system font (see fonts.py).
                errors, warnings = font_file_problems(path, family, weight, style)
                for message, hint in errors:
                    fields.fail("files", message, hint, line=line)
                for message, hint in warnings:
                    warning = ContentError(message, path=self.shown, line=line, hint=hint)
                    self.warnings.append(warning)
                if not errors:
                    files.append(FontFile(path, weight, style, unicode_range))
        if not family or not files:
            return None
        return FontFamily(family, tuple(files))

    def read(self) -> Brand:
        if not (self.folder / BRAND_FILE).is_file():
            known = brand_names(self.root)
            raise ContentErrors(
                [
                    ContentError(
                        f"no brand '{self.name}'",
                        path=self.shown,
                        hint=did_you_mean(self.name, known)
                        or f"brands: {', '.join(known) or 'none'}; "
                        "a brand is a folder holding a brand.yaml",
                    )
                ]
            )
        try:
            data = parse_yaml(read_text(self.folder / BRAND_FILE, self.shown), self.shown)
        except ContentError as error:
            raise ContentErrors([error]) from None
        if not isinstance(data, LineDict):
            raise ContentErrors(
                [ContentError("a brand file must be 'name: value' lines", path=self.shown, line=1)]
            )
        fields = Fields(data, self.shown, self.errors)
        fields.check_keys(BRAND_FIELDS)
        organisation = fields.text("organisation", required=True)
        colours_fields = fields.mapping("colours")
        colours = self.colours(colours_fields)
        logo = css = None
        if value := fields.text("logo"):
            logo = self.file(fields, "logo", value, LOGO_SUFFIXES, MAX_LOGO_BYTES)
        if value := fields.text("css"):
            css = self.file(fields, "css", value, (".css",), MAX_LOGO_BYTES)
        fonts = fields.mapping("fonts")
        if fonts is not None:
            fonts.check_keys(FONT_ROLES)
        body = self.font(fonts.mapping("body") if fonts else None, "body")
        headings = self.font(fonts.mapping("headings") if fonts else None, "headings")
        if all(key in colours for key in GIVEN_COLOURS):
            colours = derive_colours(colours)
            self.check_contrast(colours, colours_fields.data if colours_fields else None)
        if self.errors:
            raise ContentErrors(self.errors + self.warnings)
        layouts = self.folder / "layouts"
        return Brand(
            name=self.name,
            folder=self.folder.resolve(),
            organisation=organisation,
            colours=colours,
            body_font=body,
            heading_font=headings,
            logo=logo,
            footer=fields.text("footer"),
            contact=fields.text("contact"),
            css=css,
            layouts=layouts if layouts.is_dir() else None,
        )


def layout_folders(project_root: Path, brand: Brand) -> list[Path]:
    """Where a brand's layouts are looked for: its own folder first, then the project's."""
    folders = [project_root / "layouts"]
    if brand.layouts is not None:
        folders.insert(0, brand.layouts)
    return folders


def load_brand(root: Path, name: str) -> tuple[Brand, list[ContentError]]:
    """The brand called ``name``, and its warnings (contrast below WCAG AA).

    Raises ContentErrors listing every error in the brand file.
    """
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise ContentErrors(
            [
                ContentError(
                    f"'{name}' is not a brand name",
                    hint="brand names are folder names like 'example-trust'",
                )
            ]
        )
    reader = _BrandReader(root.resolve(), name)
    brand = reader.read()
    return brand, reader.warnings
