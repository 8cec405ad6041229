"""A brand's ``brand.yaml`` read into a Brand, every field checked.

Every problem in the file is reported at once with its key and line. The files a
brand names (logo, stylesheet, fonts) must be in its folder, of a known type and
not too large; a name that is nearly right gets a "did you mean". Colour contrast
below WCAG AA is a warning (an error under ``--strict``) that gives the measured
ratio and one colour that passes everywhere the setting is used (contrast.py).
The fonts are read by fonts.py; brand_yml.py's reader builds on this one.
"""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.brands.colours import HEX_COLOUR, normalise
from dnaoc_print.brands.contrast import contrast_warnings, derive_colours
from dnaoc_print.brands.fonts import FontReading
from dnaoc_print.brands.logo import readable_logo
from dnaoc_print.content.brand_folders import BRAND_FILE, BRANDS_FOLDER
from dnaoc_print.content.fields import Fields
from dnaoc_print.content.yaml_source import LineDict, parse_yaml, read_text
from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean
from dnaoc_print.model import Brand

BRAND_FIELDS = (
    "organisation", "logo", "footer", "contact", "colours", "fonts", "css", "example",
)  # fmt: skip
GIVEN_COLOURS = ("primary", "secondary", "accent", "text", "background")
DERIVED_COLOURS = ("on_primary", "muted", "tint", "rule")
FONT_ROLES = ("body", "headings")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
MAX_LOGO_BYTES = 2_000_000


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


class BrandReader(FontReading):
    """Reads one brand's file into a Brand, keeping its errors, warnings and notes."""

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
        # Every pair whose colours could be read: a bad one has its own error, and
        # the warnings about the others are still worth seeing beside it.
        self.warnings += contrast_warnings(given, fields, self.shown)

    def stop_at_errors(self) -> None:
        """Raise every error found so far, with the warnings (reported as warnings)."""
        if self.errors:
            raise BrandErrors(self.errors, self.warnings)

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
        if colours_fields is not None:
            data = colours_fields.data
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
            example=fields.yes_no("example"),
        )
