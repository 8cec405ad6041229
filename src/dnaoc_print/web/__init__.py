"""Web: ``dnaoc-print serve``, the handout composer and the pages preview.

Owns the Flask app, its templates and static files, the composer's form, and the
previews typeset in worker processes.

May import: build and every stage below it.
"""
