"""brand.yml's ``typography``: the font files a brand.yml names, as our font families.

Only ``typography.fonts`` entries with ``source: file`` give files we can embed; a
family from Google or Bunny Fonts, or an installed one, gets a warning saying to
download the files, and the default brand's family stands in. ``base`` and
``headings`` choose the body and heading families; every other setting is a note.
"""

from __future__ import annotations

from dnaoc_print.brands.fonts import (
    FONT_SUFFIXES,
    MAX_FONT_BYTES,
    UNICODE_RANGE,
    UNICODE_RANGES,
    family_name,
)
from dnaoc_print.content.fields import Fields
from dnaoc_print.content.yaml_source import LineDict, LineList
from dnaoc_print.errors import ContentError
from dnaoc_print.model import FontFamily, FontFile

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
WEB_SOURCES = {"google": "Google Fonts", "bunny": "Bunny Fonts"}


def is_web_address(value: str) -> bool:
    return "://" in value or value.startswith("//")


class FontsReading:
    """The typography part of BrandYmlReader (brand_yml.py), which gives it ``file``,
    ``default``, ``fall_back``, ``unused`` and the error, warning and note lists."""

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
        family = family_name(entry)
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
            if is_web_address(path_value):
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
