"""The composer's requests: the form, its preview, the PDF, and saving and opening
a facilitator's choices. Each request stands alone: nothing of one facilitator's form
is kept for another (the previews are cached by the whole form, see preview.py)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from dnaoc_print.errors import ContentErrors
from dnaoc_print.web.composer import (
    MAX_SPEC_BYTES,
    check_form,
    loaded_composition,
    placeholder_warnings,
    read_uploaded_spec,
    save_errors,
    spec_yaml,
)
from dnaoc_print.web.composer_brands import offered_brands
from dnaoc_print.web.composition import Composition
from dnaoc_print.web.form_choices import form_choices
from dnaoc_print.web.form_errors import fit_advice
from dnaoc_print.web.preview import Loaded, Workspace
from dnaoc_print.web.responses import attachment, png_data

composer_blueprint = Blueprint("composer", __name__)


def _workspace() -> Workspace:
    return current_app.config["WORKSPACE"]


def brand_options(loaded: Loaded) -> list[tuple[str, str]]:
    """The brands the form offers, by their printed names (see composer_brands.py)."""
    examples = current_app.config["EXAMPLE_BRANDS"]
    return offered_brands(loaded.brand_choices, _workspace().brand, examples)


@composer_blueprint.get("/")
def composer():
    workspace = _workspace()
    loaded = workspace.loaded()
    guide = request.args.get("guide", "")
    return compose_page(loaded, Composition(guide=guide, brand=workspace.brand))


@composer_blueprint.post("/")
def composer_submitted():
    """Without JavaScript, "Show the page" posts the form here."""
    workspace = _workspace()
    loaded = workspace.loaded()
    composition = Composition.from_form(request.form)
    if loaded.project is None:
        return compose_page(loaded, composition)
    checked = check_form(composition, loaded.project, loaded.brand_names)
    preview = handout_preview(loaded, checked) if checked.ok else None
    return compose_page(loaded, composition, checked, preview)


@composer_blueprint.post("/api/preview")
def preview_api():
    workspace = _workspace()
    loaded = workspace.loaded()
    if loaded.project is None:
        return jsonify(state="problem", general=loaded.problems, errors={})
    composition = Composition.from_form(request.form)
    checked = check_form(composition, loaded.project, loaded.brand_names)
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


@composer_blueprint.post("/handout.pdf")
def download():
    workspace = _workspace()
    loaded = workspace.loaded()
    composition = Composition.from_form(request.form)
    if loaded.project is None:
        return compose_page(loaded, composition), 422
    checked = check_form(composition, loaded.project, loaded.brand_names)
    # A placeholder is never printed: the preview shows it, Download waits.
    if not checked.ok or checked.warnings:
        return compose_page(loaded, composition, checked), 422
    result = workspace.handout(loaded, checked.handout)
    if not result.pdf:
        preview = handout_preview(loaded, checked)
        return compose_page(loaded, composition, checked, preview), 422
    file_name = composition.file_name(".pdf", checked.default_title)
    return attachment(result.pdf, "application/pdf", file_name)


@composer_blueprint.post("/spec.yaml")
def save_spec():
    composition = Composition.from_form(request.form)
    workspace = _workspace()
    loaded = workspace.loaded()
    project = loaded.project
    if project is not None and save_errors(composition):
        # Nothing is saved that would load back as another choice: as Download does,
        # the form comes back with its problems shown beside their fields.
        checked = check_form(composition, project, loaded.brand_names)
        return compose_page(loaded, composition, checked, save_refused=True), 422
    default_title = composition.default_title(project) if project else ""
    text = spec_yaml(composition.saved_spec(project))
    file_name = composition.file_name(".yaml", default_title)
    return attachment(text.encode(), "application/yaml", file_name)


@composer_blueprint.post("/load")
def load_spec():
    workspace = _workspace()
    loaded = workspace.loaded()
    upload = request.files.get("spec")
    if upload is None or not upload.filename:
        return compose_page(
            loaded, Composition(), load_problems=["Choose a file of saved choices."]
        )
    content = upload.stream.read(MAX_SPEC_BYTES + 1)
    try:
        data = read_uploaded_spec(content, upload.filename)
    except ContentErrors as errors:
        problems = [str(error) for error in errors.errors]
        return compose_page(loaded, Composition(), load_problems=problems), 422
    offered = [name for name, _ in brand_options(loaded)]
    composition, problems = loaded_composition(
        data, upload.filename, loaded.project, offered, workspace.brand
    )
    # Placeholders are said beside their fields at once, before any preview.
    warnings = placeholder_warnings(composition)
    return compose_page(
        loaded,
        composition,
        load_problems=problems,
        warnings=warnings,
        loaded_file=Path(upload.filename).name,
    )


@composer_blueprint.get("/favicon.ico")
def no_icon():
    return Response(status=204)


@composer_blueprint.get("/api/version")
def version():
    return jsonify(version=_workspace().version())


def compose_page(
    loaded: Loaded,
    composition: Composition,
    checked=None,
    preview: dict | None = None,
    load_problems: list[str] | None = None,
    warnings: dict[str, list[str]] | None = None,
    save_refused: bool = False,
    loaded_file: str = "",
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
        loaded_file=loaded_file,
        default_brand=_workspace().brand,
        default_title=composition.default_title(loaded.project) if loaded.project else "",
        **{**form_choices(loaded, composition.guide), "brand_options": brand_options(loaded)},
    )


def handout_preview(loaded: Loaded, checked) -> dict:
    """The fit state and page image of a valid handout, for the page or as JSON."""
    result = _workspace().handout(loaded, checked.handout)
    if result.pdf:
        return {"state": "fits", "image": png_data(result.image), "message": None}
    if result.overflow_mm is not None:
        handout = checked.handout
        return {
            "state": "too long",
            "overflow_mm": round(result.overflow_mm),
            # The page as far as it goes, then what runs past its edge.
            "image": png_data(result.image) if result.image else None,
            "overflow_images": [png_data(image) for image in result.overflow_images],
            # What to change, named as the form names it (the CLI's words are a spec's).
            "message": fit_advice(handout.notes, handout.content_warning, handout.paper),
        }
    return {"state": "problem", "image": None, "message": result.error}
