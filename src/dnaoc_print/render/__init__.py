"""Render: the model as whole HTML documents.

Owns Markdown to HTML, the Jinja layouts, QR codes, and the documents handed to
typesetting (a guide's document, a handout's sheet at each fit step).

May import: brands, content and the top-level modules.
"""
