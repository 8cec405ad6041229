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

from dnaoc_print.brands.brand_yml_fonts import FontsReading, is_web_address
from dnaoc_print.brands.colours import HEX_COLOUR, normalise
from dnaoc_print.brands.contrast import derive_colours
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.brands.reader import MAX_LOGO_BYTES, BrandReader
from dnaoc_print.content.brand_folders import DEFAULT_BRAND, name_key
from dnaoc_print.content.fields import Fields
from dnaoc_print.content.yaml_source import LineDict
from dnaoc_print.errors import ContentError
from dnaoc_print.model import Brand

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
LOGO_SIZES = ("medium", "small", "large")


class BrandYmlReader(FontsReading, BrandReader):
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
        self.check_contrast(colours, colour_fields)
        self.stop_at_errors()
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
        if is_web_address(value):
            holder.fail(
                key,
                f"logo '{value}' is on the web, and a build never fetches anything",
                f"download it into {self.folder.relative_to(self.root)}/ and give its "
                "file name here",
            )
            return None
        return self.logo_file(holder, "logo", value.strip(), line=line)
