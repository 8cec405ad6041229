"""Page furniture and decoration tagged as artifacts, not content."""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import MarginBox

# -- Page furniture and decoration left out of the structure tree -------------------
# WeasyPrint 70 tags every box it draws and has no public way to mark one as an
# artifact. What it draws in a page margin (running title, page number, footer), and
# an element with aria-hidden="true" (decoration: the cover's helix, a pull quote
# repeating the text, ruled note lines), is tagged under a marker element that is
# never linked into the tree; pdf_tags.finish_tags turns the marked content under it
# into an artifact of the marker's type. This replaces a private function of
# weasyprint.pdf.tags; tests/test_accessibility.py has a contract test for it.
ARTIFACT_ROLE = "/Artifact"


def _artifact_of(box) -> tuple[str, str | None] | None:
    """(artifact type, subtype) for a box to tag apart, or None for content."""
    if isinstance(box, MarginBox):
        side = box.at_keyword.split("-")[0]
        return "/Pagination", {"@top": "/Header", "@bottom": "/Footer"}.get(side)
    element = getattr(box, "element", None)
    if (
        element is not None
        and getattr(box, "element_tag", None) == element.tag
        and element.get("aria-hidden") == "true"
    ):
        return "/Layout", None
    return None


def _tag_decoration_apart(original):
    import pydyf

    building: set[int] = set()

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        own = getattr(box, "_box", box)
        artifact = None if id(own) in building else _artifact_of(own)
        if artifact is None:
            yield from original(box, parent, pdf, page_number, nums, annotations, tags)
            return
        kind, subtype = artifact
        marker = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": ARTIFACT_ROLE,
                "K": pydyf.Array(),
                "P": parent.reference,
                "ArtifactType": kind,
            }
        )
        if subtype:
            marker["ArtifactSubtype"] = subtype
        pdf.add_object(marker)
        building.add(id(own))
        try:
            # Built (so its marked content is accounted for) but not yielded: not linked.
            children = own.children if isinstance(own, MarginBox) else [box]
            for child in children:
                for _ in original(child, marker, pdf, page_number, nums, annotations, tags):
                    pass
        finally:
            building.discard(id(own))

    return build_box_tree


def _install_decoration_tagging() -> None:
    from weasyprint.pdf import tags

    if not getattr(tags._build_box_tree, "dnaoc_decoration", False):
        tags._build_box_tree = _tag_decoration_apart(tags._build_box_tree)
        tags._build_box_tree.dnaoc_decoration = True


_install_decoration_tagging()
