"""Keep a reading PDF's structure tree in a file its pages are imposed in.

A booklet or a two-up sheet draws each reading page as a form XObject on a sheet
(imposition.py). The marked content of a page is then in its form's content, so
the tree can stay the reading PDF's, in reading order, each piece of content named
by its form (``/Stm``) and the sheet it is drawn on (``/Pg``): ISO 32000-1, 14.7.4.2.
A page drawn twice (a handout twice on a sheet) is read once; the links of both
copies are held by the one Link element.

Done with pikepdf: the source's tree is reshaped in place (it is thrown away after),
with markers where output objects belong, copied across, and the markers replaced.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.pdf.tree import id_tree, kids_of

_MCR, _OBJR = Name.MCR, Name.OBJR
# Markers left in the source's tree for what is known only in the output.
_PAGE_KEY = "/DnaocImposedPage"  # the reading page (index) the content is on
_LINK_KEY = "/DnaocImposedLink"  # the reading PDF's annotation (its index, in order met)


def carry_structure(
    source: pikepdf.Pdf,
    output: pikepdf.Pdf,
    forms: dict[int, pikepdf.Object],
    sheets: dict[int, pikepdf.Object],
    links: dict[tuple[int, int], list[tuple[pikepdf.Object, pikepdf.Object]]],
) -> None:
    """Give ``output`` the structure tree of ``source`` (in place).

    ``forms``: the output's form XObject for each reading page drawn; ``sheets``:
    the output page each is first drawn on; ``links``: the output's annotations
    made for each of the source's (by its objgen), each with the page it is on.
    """
    root = source.Root.get("/StructTreeRoot")
    if root is None:
        return
    document = root.K[0] if isinstance(root.K, Array) else root.K
    page_index = {page.obj.objgen: number for number, page in enumerate(source.pages)}
    numbers = root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    annotations: list[tuple[int, int]] = []
    _mark(document, None, page_index, forms, annotations, links)
    nums = Array()
    for number in sorted(forms):
        key = source.pages[number].obj.get("/StructParents")
        if key is not None and int(key) in parents:
            nums.extend([number, parents[int(key)]])
    carried = source.make_indirect(
        Dictionary(Type=Name.StructTreeRoot, K=Array([document]), ParentTree=Dictionary(Nums=nums))
    )
    if "/RoleMap" in root:
        carried.RoleMap = Dictionary({key: root.RoleMap[key] for key in root.RoleMap})
    document.P = carried
    output.Root.StructTreeRoot = output.copy_foreign(carried)
    _place(output, forms, sheets, annotations, links)
    output.Root.MarkInfo = Dictionary(Marked=True)
    id_tree(output)


def _mark(element, page, page_index, forms, annotations, links) -> None:
    """In the source's tree: page references become markers, marked content on a
    drawn page is named with its form, links kept are marked, others dropped."""
    if "/Pg" in element:
        page = page_index.get(element.Pg.objgen, page)
        del element["/Pg"]
        if page is not None:
            element[_PAGE_KEY] = page
    kept = []
    for kid in kids_of(element):
        if isinstance(kid, int) or (isinstance(kid, Dictionary) and kid.get("/Type") == _MCR):
            content = _content(kid, page, page_index, forms)
            if content is not None:
                kept.append(content)
        elif isinstance(kid, Dictionary) and kid.get("/Type") == _OBJR:
            key = kid.Obj.objgen
            if links.get(key):
                annotations.append(key)
                kept.append(Dictionary(Type=_OBJR, **{_LINK_KEY[1:]: len(annotations) - 1}))
        elif isinstance(kid, Dictionary):
            _mark(kid, page, page_index, forms, annotations, links)
            kept.append(kid)
    element.K = Array(kept)


def _content(kid, page, page_index, forms):
    """A marked-content reference naming its form, or None if its page is not drawn."""
    if isinstance(kid, Dictionary):
        mcid = int(kid.MCID)
        if "/Pg" in kid:
            page = page_index.get(kid.Pg.objgen, page)
    else:
        mcid = int(kid)
    if page is None or page not in forms:
        return None
    return Dictionary(Type=_MCR, MCID=mcid, **{_PAGE_KEY[1:]: page})


def _place(output, forms, sheets, annotations, links) -> None:
    """In the output's tree: markers replaced by sheets, forms and annotations;
    the parent tree completed with the annotations."""
    root = output.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    next_key = max(forms) + 1 if forms else 0
    for number, form in forms.items():
        form.StructParents = number
    stack = kids_of(root)
    while stack:
        element = stack.pop()
        if _PAGE_KEY in element:
            element.Pg = sheets[int(element[_PAGE_KEY])]
            del element[_PAGE_KEY]
        kids = []
        for kid in kids_of(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") == _MCR:
                page = int(kid[_PAGE_KEY])
                kids.append(Dictionary(Type=_MCR, MCID=kid.MCID, Pg=sheets[page], Stm=forms[page]))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == _OBJR:
                for annotation, sheet in links[annotations[int(kid[_LINK_KEY])]]:
                    kids.append(Dictionary(Type=_OBJR, Obj=annotation, Pg=sheet))
                    annotation.StructParent = next_key
                    nums.extend([next_key, element])
                    next_key += 1
            else:
                kids.append(kid)
                if isinstance(kid, Dictionary):
                    stack.append(kid)
        element.K = Array(kids)
    root.ParentTreeNextKey = next_key


def join_structure(sources: list[pikepdf.Pdf], output: pikepdf.Pdf) -> None:
    """Give ``output``, whose pages are the sources' pages in order (copied with
    ``output.pages.extend``), one tree holding each source's in turn (in place).

    Every source must be tagged; if one is not, the output is left untagged."""
    roots = [source.Root.get("/StructTreeRoot") for source in sources]
    if not sources or any(root is None for root in roots):
        return
    document = output.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document))
    tops = Array()
    role_map = Dictionary()
    page_nums: list = []
    annotation_nums: list = []
    start = 0
    for number, (source, root) in enumerate(zip(sources, roots, strict=True), start=1):
        tops.extend(_joined_tops(output, root, document, f"part{number}-"))
        for key, value in root.get("/RoleMap", Dictionary()).items():
            role_map[key] = value
        numbers = root.ParentTree.Nums
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        for offset, page in enumerate(source.pages):
            copied = output.pages[start + offset].obj
            if "/StructParents" in page.obj:
                copied.StructParents = start + offset
                page_nums.append((start + offset, parents[int(page.obj.StructParents)]))
            for annotation in copied.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation_nums.append((annotation, parents[int(annotation.StructParent)]))
        start += len(source.pages)
    nums = Array()
    for key, entry in page_nums:
        copied = [output.copy_foreign(e) if isinstance(e, Dictionary) else e for e in entry]
        nums.extend([key, Array(copied)])
    for key, (annotation, element) in enumerate(annotation_nums, start=start):
        annotation.StructParent = key
        nums.extend([key, output.copy_foreign(element)])
    document.K = tops
    root = output.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=Array([document]),
            ParentTree=Dictionary(Nums=nums),
            ParentTreeNextKey=start + len(annotation_nums),
        )
    )
    document.P = root
    if role_map:
        root.RoleMap = role_map
    output.Root.StructTreeRoot = root
    output.Root.MarkInfo = Dictionary(Marked=True)
    id_tree(output)


def _joined_tops(output: pikepdf.Pdf, root, document, prefix: str) -> list:
    """The children of a source's Document element, copied, under ``document``;
    their IDs (and the table headers naming them) given ``prefix``, as two
    sources may use the same IDs."""
    source_document = root.K[0] if isinstance(root.K, Array) else root.K
    copied = []
    for kid in kids_of(source_document):
        kid = output.copy_foreign(kid)
        kid.P = document
        copied.append(kid)
    stack = list(copied)
    while stack:
        element = stack.pop()
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array(
                [pikepdf.String(prefix + str(header)) for header in attributes.Headers]
            )
        stack.extend(
            kid
            for kid in kids_of(element)
            if isinstance(kid, Dictionary) and kid.get("/Type") not in (_MCR, _OBJR)
        )
    return copied
