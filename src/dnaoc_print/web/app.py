"""`dnaoc-print serve`: the handout composer and the paged preview, on 127.0.0.1.

A thin layer over the library: the composer's form is checked by the CLI's reader
(composer.py), handouts and guides are typeset by the CLI's pipeline in worker
processes (preview.py, page_images.py, preview_pool.py), and this module only answers
requests.

Built on Flask, served by waitress (server.py); its pages are plain HTML from Jinja
templates with a little JavaScript, all served from here.

Safety (request_guard.py): every request must name this server as its Host (a page
elsewhere cannot reach it by DNS rebinding), and any Origin it carries must be this
server's (a page elsewhere cannot post to it); bodies are size-limited; of the
user's files, only the project's are read, and none is written. When every worker
is busy and the queue is full, the answer is 503 with Retry-After (server_busy.py).
"""

from __future__ import annotations

import jinja2
from flask import Flask, Response, render_template

from dnaoc_print.web.composer import MAX_SPEC_BYTES
from dnaoc_print.web.composer_routes import composer_blueprint
from dnaoc_print.web.document_routes import pages_blueprint
from dnaoc_print.web.help_pages import help_pages
from dnaoc_print.web.preview import Workspace
from dnaoc_print.web.request_guard import guard
from dnaoc_print.web.server_busy import answer_busy

# What a page may load and where it may post: this server's own files only. The help
# pages (help_pages.py) set their own, for their theme's inline scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def create_app(
    workspace: Workspace,
    allowed_hosts: set[str] | None = None,
    example_brands: tuple[str, ...] = (),
) -> Flask:
    """The web app for ``workspace``; ``allowed_hosts`` are the host:port names it
    answers to; ``example_brands`` the example brands its form offers all the same."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.jinja_env.undefined = jinja2.StrictUndefined
    app.config["WORKSPACE"] = workspace
    app.config["EXAMPLE_BRANDS"] = example_brands
    app.config["ALLOWED_HOSTS"] = allowed_hosts or set()
    guard(app)
    answer_busy(app)
    app.after_request(safety_headers)
    app.register_error_handler(404, plain_error)
    app.register_error_handler(413, plain_error)
    app.register_blueprint(composer_blueprint)
    app.register_blueprint(pages_blueprint)
    app.register_blueprint(help_pages)
    return app


def safety_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # "no-referrer" would make the browser send "Origin: null" with our own forms.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def plain_error(error):
    too_big = f"The file is too big: saved choices are at most {MAX_SPEC_BYTES:,} bytes."
    text = {413: too_big}.get(error.code, error.description)
    return render_template("message.html", title=error.name, text=text), error.code
