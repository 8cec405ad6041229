"""Rules on the shape of a PDF's structure tree, as a screen reader walks it: one
section per heading whatever the page breaks, the contents as a TOC, story cards
heading first, every sentence of the source readable with its words apart, the
handout's credit in the tree, an ID tree for elements with IDs.

Each rule returns a list of problems (empty: the PDF keeps the rule).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pikepdf
from pikepdf import Dictionary, Name, NameTree

from dnaoc_print.model import Guide, Handout, Project
from dnaoc_print.render.markup import MarkdownRenderer
from pdf_tagged import PdfTags, kids

HEADINGS = {f"/H{level}": level for level in range(1, 7)}
# Types read inside a line; every other element is a block of its own.
INLINE = {"/Span", "/Link", "/Em", "/Strong", "/NonStruct", "/Figure"}
# pdfium's mark for a hyphen a line ends with (the text is "Attribution-" as drawn).
PDFIUM_LINE_END_HYPHEN = "\x02"
# A sentence ends at . ! or ? (a closing quote or bracket may follow), then a space.
SENTENCE_END = re.compile(r"(?<=[.!?])[\u2019\u201d)]?\s+")


def elements(element):
    """``element``'s child elements (not marked-content or object references)."""
    return [
        kid
        for kid in kids(element)
        if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR)
    ]


def role(element) -> str:
    return str(element.get("/S"))


def walk(element):
    yield element
    for kid in elements(element):
        yield from walk(kid)


def document_element(tags: PdfTags):
    [document] = elements(tags.root)
    return document


def tree_text(tags: PdfTags, element=None) -> str:
    """The text of the tree (or of one element) as a reader of the tree gets it:
    each element's ActualText in place of its content, blocks on lines of their
    own, pieces of a line joined as they are (no space added between them)."""
    text_of = tags.text_of()
    pages = tags.page_index()
    parts: list[str] = []

    def read(node, page):
        if "/Pg" in node:
            page = pages.get(node.Pg.objgen, page)
        if "/ActualText" in node:
            parts.append(str(node.ActualText))
            return
        block = role(node) not in INLINE
        if block:
            parts.append("\n")
        for kid in kids(node):
            if isinstance(kid, int):
                parts.append(text_of.get((page, kid), ""))
            elif kid.get("/Type") == Name.MCR:
                parts.append(text_of.get((pages[kid.Pg.objgen], int(kid.MCID)), ""))
            elif kid.get("/Type") != Name.OBJR:
                read(kid, page)
        if block:
            parts.append("\n")

    read(element if element is not None else document_element(tags), None)
    return "".join(parts).replace(PDFIUM_LINE_END_HYPHEN, "-")


def folded(text: str) -> str:
    return " ".join(text.split())


def heading_text(tags: PdfTags, element) -> str:
    return folded(tree_text(tags, element))


# -- sections ----------------------------------------------------------------------


def section_problems(tags: PdfTags) -> list[str]:
    """The Document's children are sections, each opening with its heading; their
    headings are the document's headings of the top two levels, in order."""
    problems = []
    top = elements(document_element(tags))
    opening = []
    for index, element in enumerate(top):
        first = elements(element)[:1]
        if role(element) != "/Sect":
            problems.append(f"top-level element {index + 1} is {role(element)}, not Sect")
        elif not first or role(first[0]) not in HEADINGS:
            text = folded(tree_text(tags, element))[:60]
            problems.append(f"section {index + 1} does not open with a heading: {text!r}")
        else:
            opening.append(heading_text(tags, first[0]))
    headings = [
        heading_text(tags, element)
        for element in walk(document_element(tags))
        if HEADINGS.get(role(element), 9) <= 2
    ]
    if not problems and opening != headings:
        problems.append(f"sections open with {opening}, the headings are {headings}")
    return problems


def nested_section_problems(tags: PdfTags) -> list[str]:
    """Inside a section, a lower heading opens a section of its own."""
    problems = []
    for section in walk(document_element(tags)):
        if role(section) != "/Sect":
            continue
        for kid in elements(section)[1:]:
            if role(kid) in HEADINGS:
                text = heading_text(tags, kid)
                problems.append(f"heading {text!r} does not open a section of its own")
    return problems


# -- the contents --------------------------------------------------------------------


def contents_problems(tags: PdfTags) -> list[str]:
    """One TOC, of TOCI entries each holding a Reference holding a Link with text:
    the document's headings of its second level, in order (but the contents' own)."""
    tocs = [element for element in walk(document_element(tags)) if role(element) == "/TOC"]
    if len(tocs) != 1:
        return [f"{len(tocs)} TOC elements, not 1"]
    [toc] = tocs
    entries = []
    problems = []
    for entry in elements(toc):
        # Its Link (in a Reference: PDF 1.7's TOCI holds no Link itself); an entry
        # on two lines is a Link a line, each with its own annotation.
        links = [kid for kid in walk(entry) if role(kid) == "/Link"]
        if [role(kid) for kid in elements(entry)] != ["/Reference"]:
            problems.append("contents entry without its Reference")
        text = folded("".join(tree_text(tags, link) for link in links))
        if role(entry) != "/TOCI" or not text:
            problems.append(f"contents entry {role(entry)} without a Link with text")
            continue
        entries.append(text)
    own = {element.objgen for element in walk(toc.P)}
    headings = [
        heading_text(tags, element)
        for element in walk(document_element(tags))
        if role(element) == "/H2" and element.objgen not in own
    ]
    if not problems and entries != headings:
        problems.append(f"contents entries {entries}, the headings {headings}")
    return problems


# -- story cards ----------------------------------------------------------------------


def story_cards(tags: PdfTags) -> list:
    """Elements holding a QR code: a Link holding a Figure."""
    return [
        element
        for element in walk(document_element(tags))
        if role(element) == "/Art"
        and any(
            role(kid) == "/Link" and any(role(inner) == "/Figure" for inner in elements(kid))
            for kid in elements(element)
        )
    ]


def story_card_problems(tags: PdfTags) -> list[str]:
    """Each card: heading first, its words before its QR code and address."""
    problems = []
    cards = story_cards(tags)
    if not cards:
        return ["no story cards"]
    for card in cards:
        parts = elements(card)
        name = folded(tree_text(tags, card))[:40]
        if role(parts[0]) not in HEADINGS:
            problems.append(f"card {name!r} begins with {role(parts[0])}, not its heading")
        code = next(
            index
            for index, kid in enumerate(parts)
            if role(kid) == "/Link" and any(role(inner) == "/Figure" for inner in elements(kid))
        )
        words_after = [
            kid for kid in parts[code + 1 :] if role(kid) == "/P" and not _holds_link(kid)
        ]
        if words_after:
            problems.append(f"card {name!r} reads its QR code before its words")
    return problems


def _holds_link(element) -> bool:
    return any(role(inner) == "/Link" for inner in walk(element))


# -- words and sentences ---------------------------------------------------------------


class _BlockTexts(HTMLParser):
    """The text of each block of an HTML fragment, leaving out what is hidden from
    a screen reader (aria-hidden: a pull quote)."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if self.hidden or dict(attrs).get("aria-hidden") == "true":
            self.hidden += 1
        elif tag in self.BLOCKS:
            self._end()

    def handle_endtag(self, tag) -> None:
        if self.hidden:
            self.hidden -= 1
        elif tag in self.BLOCKS:
            self._end()

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.current.append(data)

    def _end(self) -> None:
        text = folded("".join(self.current))
        if text:
            self.blocks.append(text)
        self.current = []


def sentences(html: str) -> list[str]:
    """Every sentence of an HTML fragment, white space folded."""
    parser = _BlockTexts()
    parser.feed(html)
    parser.close()
    parser._end()
    found = []
    for block in parser.blocks:
        found.extend(part for part in SENTENCE_END.split(block) if part.strip())
    return found


def guide_sentences(project: Project, guide: Guide) -> list[str]:
    """Every sentence of a guide's Markdown and of the shared sections it prints."""
    renderer = MarkdownRenderer(project.root)
    found = sentences(renderer.block(guide.body))
    for text in project.shared.values():
        found.extend(sentences(renderer.block(text)))
    return found


def handout_sentences(handout: Handout) -> list[str]:
    """Every sentence of a handout's questions (Markdown)."""
    renderer = MarkdownRenderer()
    found = []
    for question in handout.questions:
        found.extend(sentences(f"<p>{renderer.inline(question.text)}</p>"))
    return found


def missing_sentences(tags: PdfTags, wanted: list[str]) -> list[str]:
    """The sentences the tree's text does not hold, words apart as in the source."""
    text = folded(tree_text(tags))
    return [sentence for sentence in wanted if sentence not in text]


# -- the handout's credit, IDs -----------------------------------------------------------


def credit_problems(tags: PdfTags, credit: str) -> list[str]:
    """The credit is read, once, as the last element of the tree (a Note or P)."""
    top = elements(document_element(tags))
    wanted = folded(credit)
    if not top or wanted not in folded(tree_text(tags, top[-1])):
        return [f"the credit {wanted[:40]!r}... is not the tree's last element"]
    if role(top[-1]) not in ("/Note", "/P"):
        return [f"the credit is read as {role(top[-1])}, not a Note or P"]
    if folded(tree_text(tags)).count(wanted) != 1:
        return ["the credit is read more than once"]
    return []


def id_problems(tags: PdfTags) -> list[str]:
    """Every element with an /ID is named, by that ID, in the root's /IDTree."""
    with_ids = [element for element in walk(document_element(tags)) if "/ID" in element]
    if not with_ids:
        return []
    if "/IDTree" not in tags.root:
        return [f"{len(with_ids)} elements carry /ID and the root has no /IDTree"]
    named = {str(key): value.objgen for key, value in NameTree(tags.root.IDTree).items()}
    return [
        f"/ID {element.ID} not in the /IDTree"
        for element in with_ids
        if named.get(str(element.ID)) != element.objgen
    ]


# -- for a person: the tree as text ------------------------------------------------------


def outline(path, text_width: int = 70) -> str:
    """The structure tree of a PDF, an element a line, indented by depth, with its
    page, its /ID and the text it holds (ActualText shown as read). For reading by
    hand: see docs/contributing/accessibility.md."""
    tags = PdfTags.open(path)
    pages = tags.page_index()
    lines = []

    def show(element, depth: int) -> None:
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        label = role(element)[1:] + (f" p{page + 1}" if page is not None else "")
        if "/ID" in element:
            label += f" id={element.ID}"
        if role(element) in INLINE or role(element) in HEADINGS or not elements(element):
            text = folded(tree_text(tags, element))
            label += f"  {text[:text_width]!r}" if text else ""
            lines.append("  " * depth + label)
            return
        lines.append("  " * depth + label)
        for kid in elements(element):
            show(kid, depth + 1)

    show(document_element(tags), 0)
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(outline(sys.argv[1]))


# -- an imposed file (booklet, two-up): the reading PDF's tree, in its forms -------------


def imposed_pages(imposed) -> dict[tuple[int, int], int]:
    """The reading page (index) each form XObject of an imposed PDF draws, by the
    form's objgen (imposition.py names them /Page1, /Page2...)."""
    found = {}
    for page in imposed.pages:
        for name, form in page.obj.Resources.get("/XObject", Dictionary()).items():
            if name.startswith("/Page"):
                found[form.objgen] = int(name[len("/Page") :]) - 1
    return found


def imposed_tree_text(imposed, reading: PdfTags) -> str:
    """The text of an imposed PDF's tree, each piece of marked content read from
    the reading PDF's page its form draws (as tree_text)."""
    forms = imposed_pages(imposed)
    text_of = reading.text_of()
    parts: list[str] = []

    def read(node) -> None:
        if "/ActualText" in node:
            parts.append(str(node.ActualText))
            return
        block = role(node) not in INLINE
        parts.append("\n" if block else "")
        for kid in kids(node):
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                parts.append(text_of.get((forms[kid.Stm.objgen], int(kid.MCID)), ""))
            elif isinstance(kid, Dictionary) and kid.get("/Type") != Name.OBJR:
                read(kid)
            elif not isinstance(kid, Dictionary):
                raise AssertionError(f"marked content {kid} named without its form")
        parts.append("\n" if block else "")

    [document] = elements(imposed.Root.StructTreeRoot)
    read(document)
    return "".join(parts).replace(PDFIUM_LINE_END_HYPHEN, "-")


def imposed_content_problems(imposed) -> list[str]:
    """Each form's marked content is read once: named by the tree (/Stm, MCID) and
    mapped back by the parent tree under the form's /StructParents."""
    root = imposed.Root.get("/StructTreeRoot")
    if root is None:
        return ["no structure tree"]
    numbers = root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    named: dict[tuple, int] = {}
    for element in walk(elements(root)[0]):
        for kid in kids(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                key = (kid.Stm.objgen, int(kid.MCID))
                named[key] = named.get(key, 0) + 1
    problems = [f"{key} read {count} times" for key, count in named.items() if count > 1]
    forms = {}
    for page in imposed.pages:
        for form in page.obj.Resources.get("/XObject", Dictionary()).values():
            forms[form.objgen] = form
    for objgen, form in forms.items():
        marked = [
            int(operands[1].MCID)
            for operands, operator in pikepdf.parse_content_stream(form)
            if str(operator) == "BDC" and operands[0] != Name.Artifact and "/MCID" in operands[1]
        ]
        entry = parents.get(int(form.get("/StructParents", -1)))
        for mcid in marked:
            if (objgen, mcid) not in named:
                problems.append(f"form {objgen} MCID {mcid} is not in the tree")
            elif entry is None or not isinstance(entry[mcid], Dictionary):
                problems.append(f"form {objgen} MCID {mcid} has no parent tree entry")
    for page in imposed.pages:
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" not in annotation:
                problems.append("a link annotation outside the tree")
    return problems
