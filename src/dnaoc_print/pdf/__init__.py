"""PDF: finished PDFs reworked with pikepdf.

Owns splitting a batch into one PDF a handout, finishing the structure tree's tags,
imposition (booklets, two-up), print-shop marks and archive (PDF/A) copies.

May import: typeset, render, brands, content and the top-level modules.
"""
