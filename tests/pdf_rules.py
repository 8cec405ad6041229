"""Accessibility and print rules, read back from a PDF as a screen reader and a
printer meet it. Each check returns a list of problems (empty when the PDF passes),
so a test can show it fails on a PDF that breaks the rule."""

from __future__ import annotations

import re

from pikepdf import Array, Dictionary, Name

from pdf_tagged import POINTS_PER_MM, PdfTags, kids

HEADINGS = {f"/H{level}" for level in range(1, 7)} | {"/H"}
PAGINATION = re.compile(r"Page \d+ of \d+")
# Text made only of leader dots: decoration, never content.
LEADER = re.compile(r"^[.\s\u2026]+$")


# -- the rules -------------------------------------------------------------------------


def pagination_in_tree(tags: PdfTags) -> list[str]:
    """Page furniture read as content: 'Page N of M' anywhere in the tree, or a
    tagged line where other pages draw the same line as a pagination artifact."""
    problems = []
    for page, text in tags.reading_order():
        if PAGINATION.search(text):
            problems.append(f"page {page + 1}: '{' '.join(text.split())}' is read as content")
    furniture = {
        (" ".join(item.text.split()), round(item.box[1]))
        for item in tags.texts
        if item.artifact == "Pagination"
    }
    for item in tags.texts:
        if item.artifact is None and (" ".join(item.text.split()), round(item.box[1])) in furniture:
            problems.append(f"page {item.page + 1}: furniture '{item.text.strip()}' is tagged")
    return problems


def untagged_content(tags: PdfTags) -> list[str]:
    """Text or images drawn neither as an artifact nor as marked content the tree holds."""
    in_tree = set(tags.reading_order_marks())
    problems = []
    for item in [*tags.texts, *tags.images]:
        if item.artifact is None and (item.page, item.mcid) not in in_tree:
            problems.append(f"page {item.page + 1}: '{item.text}' is in no structure element")
    return problems


def missing_pagination_artifacts(tags: PdfTags, first_page: int = 1) -> list[str]:
    """Pages (from ``first_page``, 0-based) with no 'Page N of M' pagination artifact."""
    problems = []
    for page in range(first_page, len(tags.pdf.pages)):
        if not any(
            item.page == page and item.artifact == "Pagination" and PAGINATION.search(item.text)
            for item in tags.texts
        ):
            problems.append(f"page {page + 1} has no page number drawn as a pagination artifact")
    return problems


def leaders_in_tree(tags: PdfTags) -> list[str]:
    """Leader dots read as content: an element holding three or more runs of dots
    only, or a run of four dots."""
    problems = []
    for element, _, page in tags.elements():
        texts = [
            "".join(item.text for item in tags.texts if item.page == page and item.mcid == kid)
            for kid in kids(element)
            if isinstance(kid, int)
        ]
        dots = [text for text in texts if text.strip() and LEADER.match(text)]
        if len(dots) >= 3 or any("...." in text for text in texts):
            problems.append(f"page {(page or 0) + 1}: leader dots are read as content")
    return problems


def repeated_text(tags: PdfTags, minimum_words: int = 6) -> list[str]:
    """Sentences read twice: a paragraph whose text is also part of another
    (a pull quote repeating a line of the text, say)."""
    paragraphs = [
        (tags.element_text(element), page)
        for element, _, page in tags.elements()
        if element.get("/S") == Name.P
    ]
    problems = []
    for index, (text, page) in enumerate(paragraphs):
        if len(text.split()) < minimum_words:
            continue
        text = text.rstrip(" .;:,!?")
        if any(text in other for number, (other, _) in enumerate(paragraphs) if number != index):
            problems.append(f"page {(page or 0) + 1}: '{text[:60]}' is read twice")
    return problems


def nested_headings(tags: PdfTags) -> list[str]:
    problems = []
    for element, _, page in tags.elements():
        if str(element.get("/S")) not in HEADINGS:
            continue
        stack = [kid for kid in kids(element) if isinstance(kid, Dictionary)]
        while stack:
            kid = stack.pop()
            if str(kid.get("/S")) in HEADINGS:
                problems.append(f"page {(page or 0) + 1}: a heading inside a heading")
            stack.extend(k for k in kids(kid) if isinstance(k, Dictionary))
    return problems


def empty_elements(tags: PdfTags) -> list[str]:
    problems = []
    for element, _, page in tags.elements():
        if not kids(element):
            problems.append(f"page {(page or 0) + 1}: empty {element.get('/S')} element")
    return problems


def link_problems(tags: PdfTags) -> list[str]:
    """Every link annotation in a Link element with a description; one annotation per
    Link element; no Link inside a Link."""
    numbers = tags.root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    problems = []
    for number, page in enumerate(tags.pdf.pages, 1):
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            key = annotation.get("/StructParent")
            element = parents.get(int(key)) if key is not None else None
            if not isinstance(element, Dictionary) or element.get("/S") != Name.Link:
                problems.append(f"page {number}: a link annotation outside a Link element")
            description = str(annotation.get("/Contents", "")).strip()
            if not description or re.fullmatch(r"[a-z0-9-]+", description):
                problems.append(f"page {number}: a link described as '{description}'")
    for element, _, page in tags.elements():
        if element.get("/S") != Name.Link:
            continue
        references = [
            kid
            for kid in kids(element)
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR
        ]
        if len(references) != 1:
            problems.append(
                f"page {(page or 0) + 1}: a Link element with {len(references)} annotations"
            )
        parent = element.get("/P")
        while parent is not None and parent.get("/Type") != Name.StructTreeRoot:
            if parent.get("/S") == Name.Link:
                problems.append(f"page {(page or 0) + 1}: a Link inside a Link")
                break
            parent = parent.get("/P")
    return problems


def qr_code_links(tags: PdfTags, titles: set[str]) -> list[str]:
    """Each QR code: one link annotation over it, in a Link element holding the code's
    Figure, described with a story title."""
    numbers = tags.root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    problems = []
    codes = [image for image in tags.images if _is_qr_code(image.text)]
    for code in codes:
        left, bottom, right, top = code.box
        over = []
        for annotation in tags.pdf.pages[code.page].obj.get("/Annots", Array()):
            x1, y1, x2, y2 = (float(value) for value in annotation.Rect)
            # Annotations are in PDF space (origin bottom left), like pdfium's bounds.
            if (
                min(x1, x2) < right
                and max(x1, x2) > left
                and min(y1, y2) < top
                and max(y1, y2) > bottom
            ):
                over.append(annotation)
        if len(over) != 1:
            problems.append(f"page {code.page + 1}: a QR code under {len(over)} link annotations")
            continue
        annotation = over[0]
        element = parents.get(int(annotation.get("/StructParent", -1)))
        if not isinstance(element, Dictionary) or element.get("/S") != Name.Link:
            problems.append(f"page {code.page + 1}: a QR code's annotation is not in a Link")
            continue
        if not any(
            isinstance(kid, Dictionary) and kid.get("/S") == Name.Figure for kid in kids(element)
        ):
            problems.append(f"page {code.page + 1}: a QR code's Link holds no Figure")
        if str(annotation.get("/Contents", "")) not in titles:
            problems.append(
                f"page {code.page + 1}: a QR code's link is described as "
                f"'{annotation.get('/Contents', '')}', not a story title"
            )
    return problems


def _is_qr_code(pixels: str) -> bool:
    width, height = (int(value) for value in pixels.split("x"))
    return width == height and width >= 29 and (width - 25) % 4 == 0


def qr_module_sizes_mm(tags: PdfTags) -> list[float]:
    sizes = []
    for image in tags.images:
        if _is_qr_code(image.text):
            width = int(image.text.split("x")[0])
            left, _, right, _ = image.box
            sizes.append((right - left) / POINTS_PER_MM / width)
    return sizes


def small_text(tags: PdfTags, smallest_pt: float = 10.0) -> list[str]:
    return [
        f"page {item.page + 1}: '{item.text.strip()[:40]}' at {item.size_pt:.1f} pt"
        for item in tags.texts
        if item.text.strip() and item.size_pt < smallest_pt - 0.05
    ]


def glyphs_near_edge(tags: PdfTags, least_mm: float = 8.0) -> list[str]:
    problems = []
    least = least_mm * POINTS_PER_MM
    for page, char, (left, bottom, right, top) in tags.char_boxes():
        width, height = tags.page_sizes[page]
        distance = min(left, bottom, width - right, height - top)
        if distance < least - 0.01:
            problems.append(
                f"page {page + 1}: '{char}' {distance / POINTS_PER_MM:.1f} mm from the edge"
            )
    return problems


def empty_fractions(tags: PdfTags) -> list[float]:
    """For each page, the share of the content area left empty below its content.

    The content area is where the document's content goes, read from the pages
    themselves: from the highest to the lowest content (not artifacts) on any page.
    """
    content = [item for item in [*tags.texts, *tags.images] if item.artifact is None]
    if not content:
        return []
    area_top = max(item.box[3] for item in content)
    area_bottom = min(item.box[1] for item in content)
    fractions = []
    for page in range(len(tags.pdf.pages)):
        bottoms = [item.box[1] for item in content if item.page == page]
        lowest = min(bottoms) if bottoms else area_top
        fractions.append((lowest - area_bottom) / (area_top - area_bottom))
    return fractions


def pages_starting_sections(tags: PdfTags) -> list[bool]:
    """For each page, whether the first thing read on it is a heading (H1 or H2)."""
    numbers = tags.root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    first_read: dict[int, int] = {}
    for page, mcid in tags.reading_order_marks():
        first_read.setdefault(page, mcid)
    starts = []
    for number, page in enumerate(tags.pdf.pages):
        element = None
        if number in first_read:
            element = parents[int(page.obj.StructParents)][first_read[number]]
        roles = set()
        while isinstance(element, Dictionary) and element.get("/Type") != Name.StructTreeRoot:
            roles.add(str(element.get("/S")))
            element = element.get("/P")
        starts.append(bool(roles & {"/H1", "/H2"}))
    return starts


def near_empty_pages(tags: PdfTags, most_empty: float = 0.5) -> list[str]:
    """Pages more than ``most_empty`` empty, except those meant to end a section:
    the last page, and a page followed by one that starts a section at its top."""
    fractions = empty_fractions(tags)
    starts = pages_starting_sections(tags)
    problems = []
    for page, fraction in enumerate(fractions):
        ends_section = page == len(fractions) - 1 or starts[page + 1]
        if fraction > most_empty and not ends_section:
            problems.append(f"page {page + 1} is {fraction:.0%} empty")
    return problems


def split_addresses(page_texts: list[str], addresses: list[str]) -> list[str]:
    """Printed addresses broken inside their path: every address's path (what follows
    its host) must be whole on one line of the page text."""
    problems = []
    for address in addresses:
        parts = address.split("/", 3)
        if len(parts) < 4:
            continue
        path = parts[3].split("?")[0]
        head = path.split("/")[0] + "/"
        for number, text in enumerate(page_texts, 1):
            for line in text.splitlines():
                if (
                    head in line
                    and path not in line
                    and line.rstrip().endswith(
                        tuple(path[:cut] for cut in range(len(head), len(path)))
                    )
                ):
                    problems.append(f"page {number}: '{path}' is broken after '{line.strip()}'")
    return problems
