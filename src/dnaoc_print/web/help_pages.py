"""The composer's Help: the documentation site, as `dnaoc-print docs` built it, under /help/.

Only files inside the built site are served (Flask's safe path joining refuses any
path that climbs out). The site is static pages made from docs/, with no user input,
and its theme needs its own inline scripts and styles: only these pages are allowed
them, the composer's own pages keep the strict policy. Where the site has not been
built, /help/ says so in plain words and points to the help the form itself gives.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory

from dnaoc_print.web.docs_site import built_site

HELP_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
)
NOT_BUILT_TITLE = "Help"
NOT_BUILT_TEXT = (
    "The help pages have not been built on this computer yet. Each step of the form "
    "says beside it what it needs; for the step-by-step guide with pictures, ask the "
    "person who set up dnaoc-print to build the help pages (dnaoc-print docs)."
)

help_pages = Blueprint("help", __name__)


@help_pages.get("/help/")
@help_pages.get("/help/<path:name>")
def help_page(name: str = "index.html"):
    site = built_site()
    if site is None:
        return render_template("message.html", title=NOT_BUILT_TITLE, text=NOT_BUILT_TEXT)
    if name.endswith("/"):
        name += "index.html"
    if not (site / name).is_file() and not (site / name / "index.html").is_file():
        abort(404, "There is no help page at this address.")
    if (site / name).is_dir():
        name += "/index.html"
    response = send_from_directory(site, name)
    response.headers["Content-Security-Policy"] = HELP_POLICY
    return response
