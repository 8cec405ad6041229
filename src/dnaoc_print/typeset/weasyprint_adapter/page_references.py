"""A PDF's page references, made once a document rather than once an element.

WeasyPrint 70's tagging names the page of every structure element it makes with
pydyf's ``PDF.page_references``, which builds the reference of every page in the
document each time it is read. A batch of handouts has a few hundred elements on
each of its pages, so that cost grows with the square of the batch (a millisecond
or two a handout at 25 a batch). Here the references are kept on the PDF and made
again only when a page has been added since: pydyf only ever appends pages to its
page tree, so the same number of pages means the same references.
"""

from __future__ import annotations

import pydyf

# pydyf's own property, whose answer is kept.
_PYDYF_PAGE_REFERENCES = pydyf.PDF.page_references
_KEPT = "_dnaoc_page_references"


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    pages = len(pdf.pages["Kids"])
    kept = pdf.__dict__.get(_KEPT)
    if kept is None or kept[0] != pages:
        kept = (pages, _PYDYF_PAGE_REFERENCES.fget(pdf))
        pdf.__dict__[_KEPT] = kept
    return kept[1]


def install() -> None:
    pydyf.PDF.page_references = property(_page_references)


install()
