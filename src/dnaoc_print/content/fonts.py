"""Fonts accounted for: every font file a brand names is a real font of the family,
weight and style it claims, and no PDF embeds a font that is not in the project.

A font file that cannot be read would otherwise be skipped by WeasyPrint, which
then typesets in whatever the system has (DejaVu, say) without a word; so a brand
whose font file is not a font does not load. A file of another family, weight or
style than its brand.yaml entry says is a warning (an error under ``--strict``).
After typesetting, the fonts embedded in each PDF are read back: one that is not
among the project's font files fails the output, naming the characters it printed.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
# Where the project's fonts live: fonts/, and each brand's folder.
FONT_FOLDERS = ("fonts", "brands")
# An OS/2 weight class this far from the claimed weight is another weight.
WEIGHT_TOLERANCE = 100


@dataclass(frozen=True)
class FontFacts:
    """What a font file says about itself."""

    family: str
    weights: tuple[int, int]  # lightest and heaviest (the same unless variable)
    italic: bool


def read_font(path: Path) -> FontFacts:
    """The family, weight and style a font file holds; ValueError if it is not a
    font that can be read."""
    from fontTools.ttLib import TTFont

    try:
        # Read from memory: a lazy font keeps its file open otherwise.
        font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
        # Every table's bytes, not only the few read below: a file cut short (a
        # download stopped halfway) loses its glyphs first, and WeasyPrint would
        # skip it without a word.
        for tag in list(font.reader.tables):
            font.reader[tag]  # noqa: B018 (reading is the check)
        family = _family_name(font["name"])
        os2 = font["OS/2"]
        weight = int(os2.usWeightClass)
        weights = (weight, weight)
        if "fvar" in font:
            for axis in font["fvar"].axes:
                if axis.axisTag == "wght":
                    weights = (int(axis.minValue), int(axis.maxValue))
        italic = bool(os2.fsSelection & 1) or bool(font["head"].macStyle & 2)
        font["cmap"]  # noqa: B018 (a font with no character map prints nothing)
    # A damaged file can fail in fontTools in many ways (zlib, brotli, struct, index).
    except Exception as error:  # noqa: BLE001 (whatever breaks, the file is not a usable font)
        raise ValueError(_reason(error)) from None
    if not family:
        raise ValueError("it has no family name")
    return FontFacts(family, weights, italic)


def _reason(error: Exception) -> str:
    text = str(error).strip()
    if "Not a TrueType or OpenType font" in text or "bad sfntVersion" in text:
        return "it is not a font file (not TrueType, OpenType or WOFF)"
    if "unexpected end of" in text or "truncated" in text.casefold():
        return f"it cannot be read as a font: it is damaged, cut short ({text})"
    return f"it cannot be read as a font ({text or type(error).__name__})"


def font_file_problems(
    path: Path, family: str | None, weight: int, style: str
) -> tuple[list, list]:
    """(errors, warnings) about one font file of a brand, as (message, hint) pairs."""
    try:
        facts = read_font(path)
    except ValueError as error:
        hint = (
            "copy or download the font file again: this copy is incomplete"
            if "damaged" in str(error)
            else "use a .woff, .woff2, .ttf or .otf font"
        )
        return [(f"font file '{path.name}': {error}", hint)], []
    warnings = []
    if family and facts.family.casefold() != family.casefold():
        warnings.append(
            (
                f"font file '{path.name}' is the family '{facts.family}', not '{family}'",
                f"check the file, or write family: {facts.family}",
            )
        )
    low, high = facts.weights
    if not low - WEIGHT_TOLERANCE < weight < high + WEIGHT_TOLERANCE:
        held = f"{low}" if low == high else f"{low} to {high}"
        warnings.append(
            (
                f"font file '{path.name}' has weight {held}, not {weight}",
                f"write weight: {low}, or use the file of weight {weight}",
            )
        )
    if facts.italic != (style == "italic"):
        actual = "italic" if facts.italic else "normal"
        warnings.append(
            (
                f"font file '{path.name}' is {actual}, not {style}",
                f"write style: {actual}, or use the {style} file",
            )
        )
    return [], warnings


def read_family(path: Path) -> str:
    """The family a font file names (its name table alone); ValueError if it has none
    that can be read. Whether the whole file is sound is read_font's to say."""
    from fontTools.ttLib import TTFont

    try:
        family = _family_name(TTFont(io.BytesIO(path.read_bytes()), lazy=True)["name"])
    except Exception as error:  # noqa: BLE001 (whatever breaks, the file names no family)
        raise ValueError(_reason(error)) from None
    if not family:
        raise ValueError("it has no family name")
    return family


def _family_name(names) -> str:
    """The family a font's name table gives: its typographic family, else its family."""
    return str(names.getDebugName(16) or names.getDebugName(1) or "")


@functools.cache
def project_font_files(root: Path) -> dict[str, tuple[Path, ...]]:
    """Every font file in the project's fonts/ and brands/, by the family it names
    (casefolded). Read from each file's name table only, a tenth of the cost of
    reading every table: whether a file is sound is asked only of the files of a
    family a PDF embeds (is_project_family)."""
    files: dict[str, list[Path]] = {}
    for folder in FONT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                try:
                    files.setdefault(read_family(path).casefold(), []).append(path)
                except ValueError:
                    continue
    return {family: tuple(paths) for family, paths in files.items()}


@functools.cache
def _is_sound(path: Path) -> bool:
    try:
        read_font(path)
    except ValueError:
        return False
    return True


def is_project_family(family: str, roots: list[Path]) -> bool:
    """Whether a sound font file of the project (under one of ``roots``) is of this
    family. A damaged file does not count: WeasyPrint skips it, and a font of its
    name on the system would be printed in its place."""
    key = family.casefold()
    return any(
        _is_sound(path)
        for root in roots
        for path in project_font_files(root.resolve()).get(key, ())
    )


def foreign_fonts(pdf: bytes, roots: list[Path]) -> list[str]:
    """The fonts embedded in a PDF that are none of the project's, each with the
    characters printed in it: 'DejaVu Sans (Ж, и)'."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return foreign_fonts_among(list(_embedded_fonts(document)), roots)


def foreign_fonts_among(fonts: Iterable[tuple[str, bytes | None]], roots: list[Path]) -> list[str]:
    """foreign_fonts of these fonts (each its /BaseFont name, and program if embedded)."""
    from fontTools.ttLib import TTFont

    found: dict[str, set[str]] = {}
    for base_font, program in fonts:
        name = base_font.lstrip("/").split("+")[-1]
        characters: set[str] = set()
        if program is not None:
            try:
                embedded = TTFont(io.BytesIO(program), lazy=True)
                name = _family_name(embedded["name"]) or name
                cmap = embedded.getBestCmap() or {}
                characters = {chr(code) for code in cmap if code > 32}
            except Exception:  # noqa: BLE001 (an unreadable program is foreign too)
                pass
        if not is_project_family(name, roots):
            found.setdefault(name, set()).update(characters)
    return [
        f"{name} ({', '.join(sorted(chars)[:12])})" if chars else name
        for name, chars in sorted(found.items())
    ]


def _embedded_fonts(document):
    """(/BaseFont name, program or None) of each font a written PDF's pages use."""
    for font in _font_dicts(document):
        descriptor = font.get("/FontDescriptor") or {}
        files = [key for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor]
        program = descriptor[files[0]].read_bytes() if files else None
        yield str(font.get("/BaseFont", "unnamed")), program


def _font_dicts(document):
    seen = set()
    # Pages, and the form XObjects they draw: an imposed sheet (a booklet, two-up
    # handouts) holds its pages' fonts only in the forms it places.
    resources = [page.resources for page in document.pages]
    visited = set()
    while resources:
        current = resources.pop()
        for xobject in current.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in visited:
                visited.add(xobject.objgen)
                resources.append(xobject.get("/Resources", {}))
        for font in current.get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            yield from font.get("/DescendantFonts", [font])


def foreign_font_error(pdf: bytes, roots: list[Path]) -> str | None:
    """Why a PDF must not be written, if it embeds a font that is not the project's."""
    found = foreign_fonts(pdf, roots)
    if not found:
        return None
    return (
        f"it would print in {'; '.join(found)}: not a font of the project but the "
        "system's. Either those characters are in none of the brand's font files (add "
        "a file that has them, or widen its unicode_range), or a stylesheet names a font "
        "family that no @font-face rule of the project provides"
    )


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_DESCRIPTOR = re.compile(r"font-(family|weight|style)\s*:\s*\"?([^\";]+)\"?\s*;")
BOLD = 600


def declared_faces(html: str) -> set[tuple[str, int, str]]:
    """(family, weight, style) of each @font-face rule in a document's HTML (the
    brand's fonts, from layouts/brand-style.html.j2)."""
    faces = set()
    for rule in _FONT_FACE.findall(html):
        values = dict(_DESCRIPTOR.findall(rule))
        if "family" in values:
            weight = values.get("weight", "400").strip()
            faces.add(
                (
                    values["family"].strip().casefold(),
                    int(weight) if weight.isdigit() else (700 if weight == "bold" else 400),
                    values.get("style", "normal").strip(),
                )
            )
    return faces


def missing_faces(
    used: set[tuple[str, int, str]], declared: set[tuple[str, int, str]]
) -> list[str]:
    """Warnings for each weight or style the text uses in one of the brand's families
    that the brand has no file for (WeasyPrint fakes it: a slanted or thickened
    other style)."""
    warnings = []
    families = {family for family, _, _ in declared}
    for family, weight, style in sorted(used):
        if family.casefold() not in families:
            continue
        style = "normal" if style == "normal" else "italic"
        weights = [w for f, w, s in declared if f == family.casefold() and s == style]
        bold = weight >= BOLD
        if weights and any((w >= BOLD) == bold for w in weights):
            continue
        kind = ("bold " if bold else "") + ("italic" if style == "italic" else "")
        kind = kind.strip() or "regular"
        warnings.append(
            f"text in {family} {kind} (weight {weight}, style {style}) has no font file in "
            f"the brand, so it is faked from another style\n  hint: add a {family} file "
            f"with weight: {weight}, style: {style} to the brand's fonts, or avoid {kind} "
            "text in that font"
        )
    return warnings
