"""brand.yml (Posit's format, read by Quarto and Shiny) as a dnaoc-print brand.

A folder in ``brands/`` holding a ``_brand.yml`` instead of a ``brand.yaml`` is read
here, with our own YAML loader, so every problem names its line:

    meta.name (or meta.name.full)         -> organisation
    color.foreground / background         -> text / background
    color.primary / secondary / tertiary  -> primary / secondary / accent
      (a value may name a colour in color.palette)
    typography.fonts (source: file)       -> the font files
    typography.base / headings            -> the body / heading family
    logo: medium, else small, else large  -> the logo (the light variant)
    defaults.dnaoc-print                  -> footer, contact, css, our derived colours
                                             and unicode ranges (what brand.yml has
                                             no field for)

Every field we have no use for is reported once as a note; every field we need
that the file lacks is taken from the default brand, with a note saying so.
Fonts from Google or Bunny cannot be fetched (a build never reaches the network):
the warning says to download the files and list them with ``source: file``.
"""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.brand_folders import BRANDS_FOLDER, name_key
from dnaoc_print.brands import (
    DEFAULT_BRAND,
    FONT_SUFFIXES,
    LOGO_SUFFIXES,
    MAX_FONT_BYTES,
    MAX_LOGO_BYTES,
    SAFE_FAMILY,
    UNICODE_RANGE,
    UNICODE_RANGES,
    _BrandReader,
    derive_colours,
    load_brand,
)
from dnaoc_print.colours import HEX_COLOUR, normalise
from dnaoc_print.errors import ContentError, ContentErrors
from dnaoc_print.fields import Fields
from dnaoc_print.model import Brand, FontFamily, FontFile
from dnaoc_print.yaml_source import LineDict, LineList

TOP_FIELDS = ("meta", "logo", "color", "typography", "defaults")
# brand.yml's theme colours that we print, and the colour each becomes.
THEME_COLOURS = {
    "foreground": "text",
    "background": "background",
    "primary": "primary",
    "secondary": "secondary",
    "tertiary": "accent",
}
OTHER_THEME_COLOURS = ("success", "info", "warning", "danger", "light", "dark", "emphasis", "link")
# Our section under ``defaults``, for what brand.yml has no field for.
TOOL = "dnaoc-print"
TOOL_FIELDS = ("footer", "contact", "css", "colours", "unicode-ranges")
EXTRA_COLOURS = ("on_primary", "muted", "tint", "rule")
TYPOGRAPHY_FIELDS = (
    "fonts",
    "base",
    "headings",
    "monospace",
    "monospace-inline",
    "monospace-block",
    "link",
    "emphasis",
)
ROLES = {"base": "body", "headings": "headings"}
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
LOGO_SIZES = ("medium", "small", "large")
WEB_SOURCES = {"google": "Google Fonts", "bunny": "Bunny Fonts"}


def _is_web_address(value: str) -> bool:
    return "://" in value or value.startswith("//")


class BrandYmlReader(_BrandReader):
    """Reads ``brands/<name>/_brand.yml`` into a Brand, with notes for what is left out."""

    _default: Brand | None = None

    def note(self, fields: Fields, key: str | None, message: str, hint: str | None = None):
        line = fields.data.line_of(key) if key else fields.data.line
        self.notes.append(ContentError(message, path=self.shown, line=line, hint=hint))

    def unused(self, fields: Fields, key: str, why: str) -> None:
        self.note(fields, key, f"'{fields.name(key)}' is not used by dnaoc-print: {why}")

    def default(self) -> Brand | None:
        """The default brand, for what this file lacks (None when this is the default)."""
        if name_key(self.name) == DEFAULT_BRAND:
            return None
        if self._default is None:
            self._default = load_brand(self.root, DEFAULT_BRAND)[0]
        return self._default

    def fall_back(self, fields: Fields, field: str, what: str, shown_value: str) -> bool:
        """Note that ``what`` comes from the default brand; False if there is none."""
        if self.default() is None:
            fields.fail(None, f"missing field '{field}'", f"the default brand must give {what}")
            return False
        self.note(
            fields,
            None,
            f"no '{field}': {what} comes from the default brand ({shown_value})",
            f"add '{field}' to use your own",
        )
        return True

    def read(self) -> Brand:
        fields = Fields(self.load_data(), self.shown, self.errors)
        fields.check_keys(TOP_FIELDS)
        tool = self.tool_fields(fields.mapping("defaults"))
        organisation = self.organisation(fields)
        colours, colour_fields = self.colours(fields, tool)
        body, headings = self.fonts(fields, tool)
        logo = self.logo(fields)
        css = None
        if tool and (value := tool.text("css")):
            css = self.file(tool, "css", value, (".css",), MAX_LOGO_BYTES)
        if self.errors:
            raise ContentErrors(self.errors + self.warnings)
        self.check_contrast(colours, colour_fields)
        layouts = self.folder / "layouts"
        return Brand(
            name=self.name,
            folder=self.folder.resolve(),
            organisation=organisation,
            colours=derive_colours(colours),
            body_font=body,
            heading_font=headings,
            logo=logo,
            footer=tool.text("footer") if tool else None,
            contact=tool.text("contact") if tool else None,
            css=css,
            layouts=layouts if layouts.is_dir() else None,
        )

    def tool_fields(self, defaults: Fields | None) -> Fields | None:
        if defaults is None:
            return None
        for key in defaults.data:
            if key != TOOL:
                self.unused(defaults, key, "these are settings for another tool")
        tool = defaults.mapping(TOOL)
        if tool is not None:
            tool.check_keys(TOOL_FIELDS)
        return tool

    def organisation(self, fields: Fields) -> str | None:
        meta = fields.mapping("meta")
        name = None
        if meta is not None:
            if isinstance(meta.data.get("name"), LineDict):
                names = meta.mapping("name")
                names.check_keys(("full", "short"))
                name = names.text("full", required=True)
                if "short" in names.data:
                    self.unused(names, "short", "the full name is printed")
            else:
                name = meta.text("name")
            for key in meta.data:
                if key != "name":
                    self.unused(meta, key, "guides and handouts print only the name")
        if name is None and self.fall_back(
            meta or fields, "meta.name", "the organisation's name", self._default_value("name")
        ):
            name = self.default().organisation
        return name

    def _default_value(self, what: str) -> str:
        default = self.default()
        if default is None:
            return ""
        if what == "name":
            return default.organisation
        return default.colours[what]

    # Colours ------------------------------------------------------------------

    def colours(
        self, fields: Fields, tool: Fields | None
    ) -> tuple[dict[str, str], dict[str, tuple[str, int | None]]]:
        """The colours given (ours, by our names), and where each was given."""
        color = fields.mapping("color")
        palette: dict[str, object] = {}
        given: dict[str, str] = {}
        where: dict[str, tuple[str, int | None]] = {}
        used_names: set[str] = set()
        if color is not None:
            color.check_keys(("palette", *THEME_COLOURS, *OTHER_THEME_COLOURS))
            palette_fields = color.mapping("palette")
            palette = dict(palette_fields.data) if palette_fields else {}
            for key in OTHER_THEME_COLOURS:
                if key in color.data:
                    self.unused(
                        color,
                        key,
                        "the layouts print only foreground, background, "
                        "primary, secondary and tertiary",
                    )
        for theirs, ours in THEME_COLOURS.items():
            if color is not None and theirs in color.data:
                value = self.colour_value(color, theirs, palette, used_names)
                if value is not None:
                    given[ours] = value
                where[ours] = (f"color.{theirs}", color.data.line_of(theirs))
            elif self.fall_back(
                color or fields, f"color.{theirs}", f"the {ours} colour", self._default_value(ours)
            ):
                given[ours] = self.default().colours[ours]
                where[ours] = (f"color.{theirs} (from the default brand)", None)
        unused_palette = [name for name in palette if name not in used_names]
        if unused_palette:
            self.note(
                palette_fields,
                None,
                f"colours in 'color.palette' not used by dnaoc-print: {', '.join(unused_palette)}",
                "only the colours named by foreground, background, primary, secondary and "
                "tertiary are printed",
            )
        extra = tool.mapping("colours") if tool else None
        if extra is not None:
            extra.check_keys(EXTRA_COLOURS)
            for key in EXTRA_COLOURS:
                if key in extra.data:
                    value = self.colour_value(extra, key, palette, used_names)
                    if value is not None:
                        given[key] = value
                    where[key] = (extra.name(key), extra.data.line_of(key))
        return given, where

    def colour_value(
        self, fields: Fields, key: str, palette: dict[str, object], used: set[str]
    ) -> str | None:
        """A colour as "#rrggbb": written so, or the name of a palette colour."""
        value = fields.data.get(key)
        seen = []
        while isinstance(value, str) and value.strip() in palette and value.strip() not in seen:
            seen.append(value.strip())
            used.add(value.strip())
            value = palette[value.strip()]
        if isinstance(value, str) and HEX_COLOUR.match(value.strip()):
            return normalise(value.strip())
        if value is None:
            fields.fail(
                key,
                f"'{fields.name(key)}' has no colour",
                f'write it in quotes, e.g. {key}: "#1d5a73" (a bare # starts a YAML comment)',
            )
        else:
            known = f"; palette colours: {', '.join(palette)}" if palette else ""
            fields.fail(
                key,
                f"'{fields.name(key)}' is {value!r}, not a colour dnaoc-print can check",
                f'write "#rrggbb" in quotes, or the name of a colour in color.palette{known}',
            )
        return None

    # Fonts --------------------------------------------------------------------

    def fonts(self, fields: Fields, tool: Fields | None) -> tuple[FontFamily, FontFamily]:
        typography = fields.mapping("typography")
        ranges = self.unicode_ranges(tool)
        families: dict[str, list[FontFile]] = {}
        elsewhere: dict[str, str] = {}
        family_lines: dict[str, int] = {}
        if typography is not None:
            typography.check_keys(TYPOGRAPHY_FIELDS)
            for key in TYPOGRAPHY_FIELDS[3:]:
                if key in typography.data:
                    self.unused(typography, key, "guides and handouts set only base and headings")
            listed = typography.data.get("fonts")
            if listed is not None and not isinstance(listed, LineList):
                typography.fail("fonts", "'typography.fonts' must be a list of font families")
            for index, entry in enumerate(listed if isinstance(listed, LineList) else []):
                line = listed.line_of(index)
                if not isinstance(entry, LineDict):
                    typography.fail(
                        "fonts", f"font {index + 1} must be 'name: value' lines", line=line
                    )
                    continue
                self.font_entry(
                    Fields(entry, self.shown, self.errors, prefix=f"typography.fonts.{index + 1}."),
                    ranges,
                    families,
                    elsewhere,
                    family_lines,
                )
        chosen = {}
        for theirs, ours in ROLES.items():
            chosen[ours] = self.role_font(typography, fields, theirs, families, elsewhere)
        for family, line in family_lines.items():
            if family not in {font.family for font in chosen.values() if font}:
                self.notes.append(
                    ContentError(
                        f"font family '{family}' is listed but neither base nor headings uses it",
                        path=self.shown,
                        line=line,
                    )
                )
        return chosen["body"], chosen["headings"]

    def unicode_ranges(self, tool: Fields | None) -> dict[str, str]:
        ranges = tool.mapping("unicode-ranges") if tool else None
        if ranges is None:
            return {}
        found = {}
        for path in ranges.data:
            value = ranges.text(path)
            value = UNICODE_RANGES.get(value, value) if value else value
            if not value or not UNICODE_RANGE.match(value):
                ranges.fail(
                    path,
                    f"'{value}' is not a unicode range",
                    "write latin, latin-ext, or ranges like U+0000-00FF",
                )
                continue
            found[path] = value
        return found

    def font_entry(self, entry: Fields, ranges, families, elsewhere, family_lines) -> None:
        family = entry.text("family", required=True)
        if family and not SAFE_FAMILY.match(family):
            entry.fail(
                "family",
                f"font family name '{family}' has characters that are not allowed",
                "use letters, digits, spaces, dots and hyphens",
            )
            return
        if family is None:
            return
        source = entry.text("source") or ("file" if "files" in entry.data else "system")
        family_lines.setdefault(family, entry.data.line)
        if source != "file":
            if source not in (*WEB_SOURCES, "system"):
                entry.fail(
                    "source",
                    f"unknown font source '{source}'",
                    "use file (font files in the brand's folder), google, bunny or system",
                )
                return
            entry.check_keys(("family", "source", "weight", "style", "display"))
            elsewhere[family] = source
            return
        entry.check_keys(("family", "source", "files"))
        files = entry.data.get("files")
        if isinstance(files, str):
            files = LineList.of([files], entry.data.line_of("files"))
        if not isinstance(files, LineList) or not files:
            entry.fail(
                "files" if "files" in entry.data else None,
                f"'{entry.name('files')}' must list the font files",
                "one '- path: fonts/name.woff' per file, with weight and style",
            )
            return
        for index, item in enumerate(files):
            line = files.line_of(index)
            if isinstance(item, str):
                item = LineDict.empty(line)
                item.put("path", files[index], line)
            if not isinstance(item, LineDict):
                entry.fail(
                    "files", f"font file {index + 1} must be a path or 'path: ...' lines", line=line
                )
                continue
            file_fields = Fields(item, self.shown, self.errors, prefix=f"{entry.name('files')}.")
            file_fields.check_keys(("path", "weight", "style"))
            path_value = file_fields.text("path", required=True)
            weight = self.weight(file_fields)
            style = file_fields.choice("style", ("normal", "italic"), "normal")
            if path_value is None or weight is None:
                continue
            if _is_web_address(path_value):
                file_fields.fail(
                    "path",
                    f"font file '{path_value}' is on the web, and a build never fetches anything",
                    f"download it into {self.folder.relative_to(self.root)}/fonts/ and give "
                    "its path here, e.g. path: fonts/name.woff2",
                )
                continue
            path = self.file(
                file_fields,
                "path",
                path_value,
                FONT_SUFFIXES,
                MAX_FONT_BYTES,
                line=item.line_of("path"),
                also_in=self.root / "fonts",
            )
            if path is not None:
                families.setdefault(family, []).append(
                    FontFile(path, weight, style, ranges.get(path_value))
                )

    def weight(self, fields: Fields) -> int | None:
        value = fields.data.get("weight", 400)
        if isinstance(value, str):
            value = WEIGHT_NAMES.get(value.strip().lower(), value)
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value in range(100, 1000, 100)
        ):
            return value
        fields.fail(
            "weight",
            f"font weight {value!r} must be 100, 200, ... 900 or a name like bold",
            "a variable font's file is listed once for each weight used",
        )
        return None

    def role_font(
        self, typography: Fields | None, fields: Fields, theirs: str, families, elsewhere
    ) -> FontFamily | None:
        """The family ``typography.base`` (or ``headings``) names, with its files."""
        role = ROLES[theirs]
        family = None
        if typography is not None and theirs in typography.data:
            value = typography.data[theirs]
            if isinstance(value, LineDict):
                options = typography.mapping(theirs)
                family = options.text("family")
                for key in options.data:
                    if key != "family":
                        self.unused(
                            options,
                            key,
                            "sizes, weights and colours are set by the "
                            "layouts, so every guide and handout reads the same",
                        )
            else:
                family = typography.text(theirs)
        default = self.default()
        from_default = (
            (default.body_font if role == "body" else default.heading_font) if (default) else None
        )
        if family is None:
            if self.fall_back(
                typography or fields,
                f"typography.{theirs}",
                f"the {role} font",
                from_default.family if from_default else "",
            ):
                return from_default
            return None
        if family in families:
            return FontFamily(family, tuple(families[family]))
        folder = self.folder.relative_to(self.root)
        source = elsewhere.get(family)
        if source in WEB_SOURCES:
            problem = (
                f"font '{family}' comes from {WEB_SOURCES[source]}, and a build never "
                "fetches anything"
            )
        elif source == "system":
            problem = f"font '{family}' is an installed font, and a build uses only font files"
        else:
            problem = f"font '{family}' has no font files listed under typography.fonts"
        fallback = (
            f"; until then the default brand's {from_default.family} is used"
            if from_default
            else ""
        )
        hint = (
            f"download the font files (WOFF2, WOFF, TTF or OTF) into {folder}/fonts/ and "
            f"list them under typography.fonts with 'source: file'{fallback}"
        )
        if from_default is None:
            typography.fail(theirs, f"'typography.{theirs}': {problem}", hint)
            return None
        self.warnings.append(
            ContentError(
                f"'typography.{theirs}': {problem}",
                path=self.shown,
                line=typography.data.line_of(theirs),
                hint=hint,
            )
        )
        return from_default

    # Logo ---------------------------------------------------------------------

    def logo(self, fields: Fields) -> Path | None:
        value = fields.data.get("logo")
        if value is None:
            return None
        line = fields.data.line_of("logo")
        holder, key = fields, "logo"
        if isinstance(value, LineDict):
            logo = fields.mapping("logo")
            logo.check_keys(("images", *LOGO_SIZES))
            images = logo.mapping("images")
            sizes = [size for size in LOGO_SIZES if size in logo.data]
            if not sizes:
                return None
            for size in sizes[1:]:
                self.unused(logo, size, f"guides and handouts print one logo, the {sizes[0]} one")
            holder, key = logo, sizes[0]
            value = logo.data[key]
            if isinstance(value, LineDict):
                variants = logo.mapping(key)
                variants.check_keys(("light", "dark"))
                if "dark" in variants.data:
                    self.unused(variants, "dark", "the pages are light, so the light logo is used")
                if "light" not in variants.data:
                    return None
                holder, key, value = variants, "light", variants.data["light"]
            line = holder.data.line_of(key)
            if isinstance(value, str) and images is not None and value in images.data:
                image = images.data[value]
                if isinstance(image, LineDict):
                    image_fields = images.mapping(value)
                    image_fields.check_keys(("path", "alt"))
                    if "alt" in image.data:
                        self.unused(
                            image_fields,
                            "alt",
                            "the logo's alternative text is the organisation's name",
                        )
                    holder, key, value = image_fields, "path", image.get("path")
                else:
                    holder, key, value = images, value, image
                line = holder.data.line_of(key)
        if not isinstance(value, str) or not value.strip():
            holder.fail(key, f"'{holder.name(key)}' must be the path of an image file")
            return None
        if _is_web_address(value):
            holder.fail(
                key,
                f"logo '{value}' is on the web, and a build never fetches anything",
                f"download it into {self.folder.relative_to(self.root)}/ and give its "
                "file name here",
            )
            return None
        return self.file(holder, "logo", value.strip(), LOGO_SUFFIXES, MAX_LOGO_BYTES, line=line)


__all__ = ["BrandYmlReader", "BRANDS_FOLDER"]
