"""Archive copies: PDF/A-2a, checked before they are written.

Why PDF/A-2, level a:
- Level a ("accessible") is the only level that keeps the structure tree, the
  reading order and the Unicode text; WeasyPrint 70 writes its tags for its a
  variants (pdf/a-1a, -2a, -3a) and not for b or u, so an archive copy is as
  accessible as the plain PDF.
- Part 2 rather than 1: part 1 forbids all transparency, and the pages use it
  (a handout's ruled note lines are drawn in transparency groups). Part 2 allows it under a colour
  profile, which WeasyPrint embeds (sRGB, as the output intent).
- Part 2 rather than 3: part 3 only adds attachments of any kind, and an archive
  copy has none; part 2 is the one archives and validators accept most widely.

WeasyPrint writes the PDF/A; ``pdfa_problems`` then reads the finished file back
and lists anything part 2 forbids that could have slipped in, so a copy that would
not pass is never written as an archive copy.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

from dnaoc_print.errors import BuildError

PDF_VARIANT = "pdf/a-2a"
PART, CONFORMANCE = "2", "A"

# ISO 19005-2, 6.2.10.4: the blend modes PDF/A-2 allows (all of PDF 1.7's).
STANDARD_BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
    "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
    "/Hue", "/Saturation", "/Color", "/Luminosity",
}  # fmt: skip
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript"}
# Annotation flags: 1 invisible, 2 hidden, 3 print, 6 no view.
PRINT_FLAG, HIDING_FLAGS = 4, 1 | 2 | 32


def finish_archive(pdf: bytes) -> tuple[bytes, int]:
    """Check an archive copy (see jobs.Job.finish); it is written unchanged."""
    problems = pdfa_problems(pdf)
    if problems:
        raise BuildError("not a valid PDF/A-2a archive copy: " + "; ".join(problems))
    return pdf, len(pikepdf.open(io.BytesIO(pdf)).pages)


def pdfa_problems(pdf: bytes) -> list[str]:
    """What in this PDF breaks PDF/A-2a, as far as can be read from its objects."""
    document = pikepdf.open(io.BytesIO(pdf))
    problems = _identification(document)
    root = document.Root
    if document.is_encrypted:
        problems.append("it is encrypted")
    if float(document.pdf_version) > 1.7:
        problems.append(f"PDF {document.pdf_version} is newer than PDF/A-2's 1.7")
    if "/ID" not in document.trailer:
        problems.append("the trailer has no file identifier")
    if not any(intent.get("/S") == Name.GTS_PDFA1 for intent in root.get("/OutputIntents", [])):
        problems.append("there is no PDF/A output intent (colour profile)")
    if "/StructTreeRoot" not in root or not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("it is not tagged (level a needs the structure tree)")
    names = root.get("/Names", {})
    if "/EmbeddedFiles" in names or "/AF" in root:
        problems.append("it has attached files")
    if "/JavaScript" in names or "/AA" in root or "/OpenAction" in root:
        problems.append("it has scripts or actions run on opening")
    if "/OCProperties" in root:
        problems.append("it has optional content")
    for objects in document.objects:
        problems += _object_problems(objects)
    return sorted(set(problems))


def _identification(document: pikepdf.Pdf) -> list[str]:
    metadata = document.open_metadata()
    part, conformance = metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")
    if (part, conformance) != (PART, CONFORMANCE):
        return [f"its XMP says PDF/A part {part} level {conformance}, not 2 A"]
    return []


def _object_problems(obj: pikepdf.Object) -> list[str]:
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return []
    kind, subtype = obj.get("/Type"), obj.get("/Subtype")
    problems = []
    filters = obj.get("/Filter") if isinstance(obj, pikepdf.Stream) else None
    if filters is not None and "/LZWDecode" in (
        [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    ):
        problems.append("a stream is LZW-compressed")
    if kind == Name.Font:
        problems += _font_problems(obj)
    if subtype == Name.Image:
        if obj.get("/Interpolate") is True:
            problems.append("an image asks to be interpolated")
        if "/Alternates" in obj or "/OPI" in obj:
            problems.append("an image has alternates or OPI")
    if subtype == Name.PS or "/OPI" in obj:
        problems.append("it holds PostScript")
    if kind == Name.ExtGState:
        if str(obj.get("/BM", "/Normal")) not in STANDARD_BLEND_MODES:
            problems.append(f"a non-standard blend mode {obj.BM}")
        if "/TR" in obj or obj.get("/TR2", Name.Default) != Name.Default:
            problems.append("a transfer function")
    if kind == Name.Annot:
        flags = int(obj.get("/F", 0))
        if not flags & PRINT_FLAG or flags & HIDING_FLAGS:
            problems.append(f"a {subtype} annotation is not set to print as shown")
    action = obj.get("/S") if kind in (None, Name.Action) else None
    if action is not None and str(action) in FORBIDDEN_ACTIONS:
        problems.append(f"a {action} action")
    if "/JS" in obj:
        problems.append("a script")
    return problems


def _font_problems(font: pikepdf.Object) -> list[str]:
    if font.get("/Subtype") in (Name.Type3, Name.Type0):
        # Type 3 glyphs are drawn in the file; a Type 0 font's glyphs are in its
        # descendant, which is checked as an object of its own.
        return []
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or not any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    ):
        return [f"the font {font.get('/BaseFont')} is not embedded"]
    return []
