"""Build: what a build makes, and making it.

Owns planning (the outputs, their inputs and their jobs, as data), running a plan
in worker processes, typesetting handout batches, the manifest, print production,
``check``, the handout command's batches and ``brand show``'s specimen.

May import: pdf, typeset, render, brands, content and the top-level modules.
"""
