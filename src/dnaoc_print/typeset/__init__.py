"""Typeset: HTML documents laid out and written as PDF by WeasyPrint.

Owns the WeasyPrint adapter (the only code that imports weasyprint or uses its
private parts), typesetting a document, and the pure decisions of how a handout
fits its page.

May import: render, brands, content and the top-level modules.
"""
