"""`dnaoc-print serve`: the handout composer and the paged preview, on 127.0.0.1.

A thin layer over the library: the composer's form is checked by the CLI's reader
(composer.py), handouts and guides are typeset by the CLI's pipeline in worker
processes (preview.py, page_images.py, preview_pool.py), and this module only answers
requests.

Built on Flask, whose threaded Werkzeug server needs nothing else to run; its pages
are plain HTML from Jinja templates with a little JavaScript, all served from here.

Safety (see also serving.py): every request must name this server as its Host (a
page elsewhere cannot reach it by DNS rebinding), and any Origin it carries must be
this server's (a page elsewhere cannot post to it); uploads are size-limited; of the
user's files, only the project's are read, and none is written.
"""

from __future__ import annotations

import base64
import ipaddress
import re
import struct

import jinja2
from flask import Flask, Response, abort, jsonify, render_template, request

from dnaoc_print.errors import ContentErrors
from dnaoc_print.web.composer import (
    MAX_SPEC_BYTES,
    check,
    loaded_composition,
    placeholder_warnings,
    read_uploaded_spec,
    save_errors,
    spec_yaml,
)
from dnaoc_print.web.composition import Composition
from dnaoc_print.web.form_errors import (
    LAYOUT_LABELS,
    NO_STORY_FOUND,
    NOTES_LABELS,
    PAPER_LABELS,
    SAVE_REFUSED,
    WARNING_LABELS,
    fit_advice,
)
from dnaoc_print.web.preview import Loaded, Workspace

FORM_FIELDS = (
    "guide", "stories", "questions", "title", "subtitle", "date", "time", "venue",
    "facilitator", "contact", "notes", "layout", "paper", "orientation", "brand", "link_params",
)  # fmt: skip


def create_app(workspace: Workspace, allowed_hosts: set[str] | None = None) -> Flask:
    """The web app for ``workspace``; ``allowed_hosts`` are the host:port names it answers to."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config["MAX_CONTENT_LENGTH"] = MAX_SPEC_BYTES + 10_000
    app.config["ALLOWED_HOSTS"] = allowed_hosts or set()
    app.config["EVERY_ADDRESS"] = False
    app.jinja_env.undefined = jinja2.StrictUndefined

    @app.before_request
    def refuse_other_sites():
        allowed = app.config["ALLOWED_HOSTS"]
        # Listening on every address (--host 0.0.0.0), other computers use this one's
        # address: any IP address is then allowed, but never a name.
        everywhere = app.config["EVERY_ADDRESS"] and is_address(request.host)
        if request.host not in allowed and not everywhere:
            abort(403, "This server answers only at its own address.")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            abort(403, "Requests from other sites are refused.")
        # A link from another site may open a page; nothing else from one is answered.
        navigating = request.method == "GET" and request.headers.get("Sec-Fetch-Mode") == "navigate"
        if request.headers.get("Sec-Fetch-Site") == "cross-site" and not navigating:
            abort(403, "Requests from other sites are refused.")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # "no-referrer" would make the browser send "Origin: null" with our own forms.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        return response

    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(413)
    def plain_error(error):
        text = {413: f"The file is too big: a spec is at most {MAX_SPEC_BYTES:,} bytes."}.get(
            error.code, error.description
        )
        return render_template("message.html", title=error.name, text=text), error.code

    @app.get("/")
    def composer():
        loaded = workspace.loaded()
        guide = request.args.get("guide", "")
        return compose_page(loaded, Composition(guide=guide, brand=workspace.brand))

    @app.post("/")
    def composer_submitted():
        """Without JavaScript, "Show the page" posts the form here."""
        loaded = workspace.loaded()
        composition = Composition.from_form(request.form)
        if loaded.project is None:
            return compose_page(loaded, composition)
        checked = check(composition, loaded.project, loaded.brand_names)
        preview = handout_preview(loaded, checked) if checked.ok else None
        return compose_page(loaded, composition, checked, preview)

    @app.post("/api/preview")
    def preview_api():
        loaded = workspace.loaded()
        if loaded.project is None:
            return jsonify(state="problem", general=loaded.problems, errors={})
        composition = Composition.from_form(request.form)
        checked = check(composition, loaded.project, loaded.brand_names)
        answer = {
            "errors": checked.errors,
            # The fields whose errors stop "Save spec" too (the page says so at once).
            "save_errors": sorted(save_errors(composition)),
            "general": checked.general,
            "warnings": checked.warnings,
            "default_title": checked.default_title,
            "version": loaded.version,
        }
        if not checked.ok:
            return jsonify(state="invalid", **answer)
        return jsonify(**handout_preview(loaded, checked), **answer)

    @app.post("/handout.pdf")
    def download():
        loaded = workspace.loaded()
        composition = Composition.from_form(request.form)
        if loaded.project is None:
            return compose_page(loaded, composition), 422
        checked = check(composition, loaded.project, loaded.brand_names)
        # A placeholder is never printed: the preview shows it, Download waits.
        if not checked.ok or checked.warnings:
            return compose_page(loaded, composition, checked), 422
        result = workspace.handout(loaded, checked.handout)
        if not result.pdf:
            preview = handout_preview(loaded, checked)
            return compose_page(loaded, composition, checked, preview), 422
        file_name = composition.file_name(".pdf", checked.default_title)
        return attachment(result.pdf, "application/pdf", file_name)

    @app.post("/spec.yaml")
    def save_spec():
        composition = Composition.from_form(request.form)
        loaded = workspace.loaded()
        project = loaded.project
        if project is not None and save_errors(composition):
            # Nothing is saved that would load back as another choice: as Download does,
            # the form comes back with its problems shown beside their fields.
            checked = check(composition, project, loaded.brand_names)
            return compose_page(loaded, composition, checked, save_refused=True), 422
        default_title = composition.default_title(project) if project else ""
        text = spec_yaml(composition.saved_spec(project))
        file_name = composition.file_name(".yaml", default_title)
        return attachment(text.encode(), "application/yaml", file_name)

    @app.post("/load")
    def load_spec():
        loaded = workspace.loaded()
        upload = request.files.get("spec")
        if upload is None or not upload.filename:
            return compose_page(loaded, Composition(), load_problems=["Choose a spec file."])
        content = upload.stream.read(MAX_SPEC_BYTES + 1)
        try:
            data = read_uploaded_spec(content, upload.filename)
        except ContentErrors as errors:
            problems = [str(error) for error in errors.errors]
            return compose_page(loaded, Composition(), load_problems=problems), 422
        composition, problems = loaded_composition(
            data, upload.filename, loaded.project, loaded.brand_names, workspace.brand
        )
        # Placeholders are said beside their fields at once, before any preview.
        warnings = placeholder_warnings(composition)
        return compose_page(loaded, composition, load_problems=problems, warnings=warnings)

    @app.get("/favicon.ico")
    def no_icon():
        return Response(status=204)

    @app.get("/api/version")
    def version():
        return jsonify(version=workspace.version())

    @app.get("/pages")
    def pages_index():
        loaded = workspace.loaded()
        return render_template(
            "pages.html",
            loaded=loaded,
            guides=loaded.documents("guide"),
            handouts=loaded.documents("handout"),
        )

    @app.get("/pages/<kind>/<name>")
    def document_pages(kind: str, name: str):
        if kind not in ("guide", "handout"):
            abort(404)
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

    @app.get("/pages/<kind>/<name>/<int:number>.png")
    def page_image(kind: str, name: str, number: int):
        if kind not in ("guide", "handout"):
            abort(404)
        result = workspace.document_pages(workspace.loaded(), kind, name)
        if result is None or not 1 <= number <= len(result.images):
            abort(404)
        return Response(result.images[number - 1], mimetype="image/png")

    def compose_page(
        loaded: Loaded,
        composition: Composition,
        checked=None,
        preview: dict | None = None,
        load_problems: list[str] | None = None,
        warnings: dict[str, list[str]] | None = None,
        save_refused: bool = False,
    ) -> str:
        return render_template(
            "composer.html",
            loaded=loaded,
            project=loaded.project,
            form=composition,
            errors=checked.errors if checked else {},
            general=checked.general if checked else [],
            warnings=checked.warnings if checked else warnings or {},
            preview=preview,
            load_problems=load_problems or [],
            save_refused=save_refused,
            default_title=composition.default_title(loaded.project) if loaded.project else "",
            **form_choices(loaded, composition.guide),
        )

    def handout_preview(loaded: Loaded, checked) -> dict:
        """The fit state and page image of a valid handout, for the page or as JSON."""
        result = workspace.handout(loaded, checked.handout)
        if result.pdf:
            image = "data:image/png;base64," + base64.b64encode(result.image).decode()
            return {"state": "fits", "image": image, "message": None}
        if result.overflow_mm is not None:
            handout = checked.handout
            return {
                "state": "too long",
                "overflow_mm": round(result.overflow_mm),
                "image": None,
                # What to change, named as the form names it (the CLI's words are a spec's).
                "message": fit_advice(handout.notes, handout.content_warning, handout.paper),
            }
        return {"state": "problem", "image": None, "message": result.error}

    return app


def form_choices(loaded: Loaded, chosen_guide: str) -> dict:
    """What the form offers: guides, brands, each guide's questions, and the stories
    (the chosen guide's first) with the guides that recommend each."""
    project = loaded.project
    guides = project.guides if project else ()
    words = (
        loaded.project.words if loaded.project and isinstance(loaded.project.words, dict) else {}
    )
    recommended: dict[str, list[str]] = {}
    for guide in guides:
        for story in guide.stories:
            recommended.setdefault(story.id, []).append(guide.slug)
    # (place in the catalogue, story), the chosen guide's first.
    stories = list(enumerate(loaded.project.stories.values())) if loaded.project else []
    stories.sort(key=lambda item: chosen_guide not in recommended.get(item[1].id, []))
    # The series, a guide broken elsewhere than in its questions too (choosing a guide
    # only orders the form); then any other guide whose questions can be borrowed.
    guide_options = [(entry.slug, entry.title) for entry in project.series] if project else []
    listed = {slug for slug, _ in guide_options}
    guide_options += [
        (slug, slug) for slug in (project.questions if project else {}) if slug not in listed
    ]
    # A story is found by its title, storyteller and themes, each theme by the name
    # the page gives it (its guide's title) and by its slug.
    theme_names = dict(guide_options)
    story_search = {
        story.id: search_text(
            story.title,
            story.storyteller or "",
            *(name for theme in story.themes for name in (theme_names.get(theme, ""), theme)),
        )
        for _, story in stories
    }
    return {
        "stories": stories,
        "guide_options": guide_options,
        # (slug, title, questions): every guide whose questions are sound, even one
        # broken elsewhere, since handouts may borrow them (as on the command line).
        "question_groups": [
            (slug, title, project.questions[slug])
            for slug, title in guide_options
            if slug in project.questions
        ]
        if project
        else [],
        "layout_options": list(LAYOUT_LABELS.items()),
        "notes_options": list(NOTES_LABELS.items()),
        "paper_options": list(PAPER_LABELS.items()),
        "warning_options": list(WARNING_LABELS.items()),
        "brand_options": [(name, name) for name in loaded.brand_names],
        # What "the standard warning" prints (content/shared/wording.yaml).
        "standard_warning": _standard_warning(loaded),
        # The PDFs' word for a story's note, so the form uses the same one.
        "warning_label": str(words.get("content_warning_label") or "Content warning"),
        "recommended": recommended,
        "story_search": story_search,
        "no_story_found": NO_STORY_FOUND,
        "save_refused_text": SAVE_REFUSED,
        # The form's labels, to name a field in the list of problems.
        "field_names": {
            **{name: name.replace("_", " ").capitalize() for name in FORM_FIELDS},
            "warning": "Content warning",
            "notes": "Room for notes",
        },
    }


def search_text(*parts: str) -> str:
    """Words as "Find a story" compares them: lower case, a hyphen or any run of spaces
    one space (composer.js reads what is typed the same way)."""
    return re.sub(r"[\s_-]+", " ", " ".join(parts).lower()).strip()


def _standard_warning(loaded: Loaded) -> str:
    words = loaded.project.words if loaded.project else {}
    handout_words = words.get("handout") if isinstance(words, dict) else None
    return str(handout_words.get("content_warning") or "") if handout_words else ""


def attachment(body: bytes, mimetype: str, file_name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def is_address(host: str) -> bool:
    """Whether a Host header names an IP address, which no DNS rebinding can point elsewhere."""
    name = host.rsplit(":", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
