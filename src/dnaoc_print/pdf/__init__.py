"""PDF: the structure tree finished and handouts split on the PDF as drawn (pydyf);
whole PDFs reworked with pikepdf.

Owns finishing the structure tree's tags (on pydyf's objects, before the PDF is
written: drawn.py), splitting a batch into one PDF a handout, imposition (booklets,
two-up), print-shop marks and archive (PDF/A) copies.

May import: typeset, render, brands, content and the top-level modules.
"""
