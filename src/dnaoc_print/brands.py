"""Brand kits: ``brands/<name>/brand.yaml`` loaded, checked and completed.

A brand names its organisation, logo, colours, fonts, footer and contact line, and
may add a stylesheet and its own layouts. Every problem in the file is reported
at once with its key and line. Colour contrast below WCAG AA is a warning (an
error under ``--strict``) that gives the measured ratio and one colour that passes
everywhere the setting is used (brand_contrast.py). Which folder a name means is
brand_folders.py's business; a folder holding a ``_brand.yml`` instead is read by
brand_yml.py.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from dnaoc_print.brand_contrast import CONTRAST_PAIRS, contrast_warnings, derive_colours
from dnaoc_print.brand_folders import (
    BRAND_FILE,
    BRAND_YML_FILE,
    BRANDS_FOLDER,
    brand_file,
    brand_folders,
    find_brand,
)
from dnaoc_print.brand_logo import readable_logo
from dnaoc_print.colours import HEX_COLOUR, normalise
from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean
from dnaoc_print.fields import Fields
from dnaoc_print.fonts import font_file_problems
from dnaoc_print.model import Brand, FontFamily, FontFile
from dnaoc_print.yaml_source import LineDict, LineList, parse_yaml, read_text

DEFAULT_BRAND = "dna-of-care"
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
__all__ = [
    "CONTRAST_PAIRS",
    "BrandErrors",
    "derive_colours",
    "load_brand",
    "brand_names",
    "layout_folders",
]


class BrandErrors(ContentErrors):
    """A brand's errors, with the warnings found beside them (contrast below WCAG AA, a
    font file of another weight) kept apart: a brand with a missing logo and a pale
    colour has one error and one warning, as it would have one warning once the logo
    is there."""

    def __init__(self, errors: list[ContentError], warnings: list[ContentError]) -> None:
        # Set first: ContentErrors.__init__ reads str(self).
        self.warnings = list(warnings)
        super().__init__(errors)

    def __str__(self) -> str:
        text = super().__str__()
        if self.warnings:
            noun = "warning" if len(self.warnings) == 1 else "warnings"
            text += f"\nand {len(self.warnings)} {noun}:"
            text += "".join(f"\n- {warning}" for warning in self.warnings)
        return text


def brand_names(root: Path) -> list[str]:
    """The brands of the project: folders in brands/ holding a brand.yaml or a _brand.yml."""
    return list(brand_folders(root))


def similar_file(folders: list[Path], value: str) -> str | None:
    """A file a brand probably meant: the same name in other capitals, the same name
    with another extension, or failing those the closest name in the same folder."""
    wanted = Path(value)
    for folder in folders:
        parent = folder / wanted.parent
        if not parent.is_dir():
            continue
        names = sorted(p.name for p in parent.iterdir() if p.is_file())
        for name in names:
            if name.lower() == wanted.name.lower() or (
                Path(name).stem.lower() == wanted.stem.lower()
            ):
                return (wanted.parent / name).as_posix()
        close = did_you_mean(wanted.name, names)
        if close:
            return (wanted.parent / close.split("'")[1]).as_posix()
    return None


class _BrandReader:
    def __init__(self, root: Path, name: str, file_name: str = BRAND_FILE) -> None:
        self.root = root
        self.name = name
        self.folder = root / BRANDS_FOLDER / name
        self.shown = Path(BRANDS_FOLDER) / name / file_name
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []
        # Fields the brand gives that dnaoc-print has no use for, each said once.
        self.notes: list[ContentError] = []

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
            close = similar_file([self.folder] + ([also_in] if also_in else []), value)
            fields.fail(
                key,
                f"'{key}' file '{value}' not found in {where}",
                f"did you mean '{close}'? (names must match exactly, capitals too)"
                if close
                else "check the file name, or copy the file into the brand's folder",
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

    def logo_file(
        self, fields: Fields, key: str, value: str, line: int | None = None
    ) -> Path | None:
        """The logo's file, found as any brand file is, and readable as an image."""
        path = self.file(fields, key, value, LOGO_SUFFIXES, MAX_LOGO_BYTES, line=line)
        if path is not None and not readable_logo(path):
            fields.fail(
                key,
                f"logo '{value}' is not a readable {path.suffix[1:].upper()} image",
                "save it again as PNG, JPEG or SVG from an image editor",
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

    def check_contrast(self, given: dict[str, str], fields: dict[str, tuple[str, int | None]]):
        # Only when every given colour could be read: a missing one has its own error.
        if all(key in given for key in GIVEN_COLOURS):
            self.warnings += contrast_warnings(given, fields, self.shown)

    def stop_at_errors(self) -> None:
        """Raise every error found so far, with the warnings (reported as warnings)."""
        if self.errors:
            raise BrandErrors(self.errors, self.warnings)

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

    def load_data(self) -> LineDict:
        """The brand file, parsed, with the line of every key."""
        try:
            data = parse_yaml(read_text(self.folder / self.shown.name, self.shown), self.shown)
        except ContentError as error:
            raise ContentErrors([error]) from None
        if not isinstance(data, LineDict):
            raise ContentErrors(
                [ContentError("a brand file must be 'name: value' lines", path=self.shown, line=1)]
            )
        return data

    def read(self) -> Brand:
        data = self.load_data()
        fields = Fields(data, self.shown, self.errors)
        fields.check_keys(BRAND_FIELDS)
        organisation = fields.text("organisation", required=True)
        colours_fields = fields.mapping("colours")
        colours = self.colours(colours_fields)
        logo = css = None
        if value := fields.text("logo"):
            logo = self.logo_file(fields, "logo", value)
        if value := fields.text("css"):
            css = self.file(fields, "css", value, (".css",), MAX_LOGO_BYTES)
        fonts = fields.mapping("fonts")
        if fonts is not None:
            fonts.check_keys(FONT_ROLES)
        body = self.font(fonts.mapping("body") if fonts else None, "body")
        headings = self.font(fonts.mapping("headings") if fonts else None, "headings")
        if all(key in colours for key in GIVEN_COLOURS):
            data = colours_fields.data if colours_fields else None
            self.check_contrast(
                colours, {key: (f"colours.{key}", data.line_of(key)) for key in colours}
            )
            colours = derive_colours(colours)
        self.stop_at_errors()
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
    """The brand called ``name`` (any capitals), and its warnings (contrast below WCAG AA).

    A folder holding a ``_brand.yml`` and no ``brand.yaml`` is read as brand.yml (see
    brand_yml.py). Raises ContentErrors listing every error in the brand file.
    """
    root = root.resolve()
    folder_name = find_brand(root, name)
    path = brand_file(root / BRANDS_FOLDER / folder_name)
    if path.name == BRAND_YML_FILE:
        from dnaoc_print.brand_yml import BrandYmlReader

        reader: _BrandReader = BrandYmlReader(root, folder_name, BRAND_YML_FILE)
    else:
        reader = _BrandReader(root, folder_name)
        if (path.parent / BRAND_YML_FILE).is_file():
            reader.notes.append(
                ContentError(
                    f"{BRAND_YML_FILE} is not read: this folder's {BRAND_FILE} is",
                    path=Path(BRANDS_FOLDER) / folder_name / BRAND_YML_FILE,
                    hint=f"remove {BRAND_FILE} to use {BRAND_YML_FILE} instead",
                )
            )
    brand = reader.read()
    notes = tuple(str(note) for note in reader.notes)
    return dataclasses.replace(brand, notes=notes), reader.warnings
