"""Content: the project's own files read and checked into the model.

Owns the story catalogue, the guides' Markdown and front matter, the handout specs
(and the flags and CSV cells laid over them), the printed wording, YAML read with
its lines, placeholders, addresses, the project's fonts and which brand folders
exist. Reads files; typesets nothing.

May import: ``dnaoc_print.errors``, ``dnaoc_print.model``, ``dnaoc_print.atomic``.
"""
