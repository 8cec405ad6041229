"""Every guide and handout of the project as its printed pages ("Guides and
handouts as pages"), typeset in the server's worker processes."""

from __future__ import annotations

import struct

from flask import Blueprint, Response, abort, current_app, render_template

from dnaoc_print.web.preview import Workspace

pages_blueprint = Blueprint("pages", __name__)
# What /pages shows as pages: guides, handouts, and each guide's slide pack.
DOCUMENT_KINDS = ("guide", "handout", "slides")


def _workspace() -> Workspace:
    return current_app.config["WORKSPACE"]


@pages_blueprint.get("/pages")
def pages_index():
    workspace = _workspace()
    loaded = workspace.loaded()
    return render_template(
        "pages.html",
        loaded=loaded,
        guides=loaded.documents("guide"),
        handouts=loaded.documents("handout"),
        slides=loaded.documents("slides"),
    )


@pages_blueprint.get("/pages/<kind>/<name>")
def document_pages(kind: str, name: str):
    if kind not in DOCUMENT_KINDS:
        abort(404)
    workspace = _workspace()
    loaded = workspace.loaded()
    result = workspace.document_pages(loaded, kind, name)
    if result is None:
        abort(404, f"There is no {kind} called '{name}'.")
    document = loaded.document(kind, name)
    if document.broken:
        problems = [str(error) for error in document.broken.errors]
    else:
        problems = [result.error] if result.error else []
    return render_template(
        "document.html",
        loaded=loaded,
        kind=kind,
        name=name,
        title=document.title,
        source=document.source,
        problems=problems,
        # Each image's size in pixels, so the page does not jump as they load.
        sizes=[struct.unpack(">II", image[16:24]) for image in result.images],
    )


@pages_blueprint.get("/pages/<kind>/<name>/<int:number>.png")
def page_image(kind: str, name: str, number: int):
    if kind not in DOCUMENT_KINDS:
        abort(404)
    workspace = _workspace()
    result = workspace.document_pages(workspace.loaded(), kind, name)
    if result is None or not 1 <= number <= len(result.images):
        abort(404)
    return Response(result.images[number - 1], mimetype="image/png")
