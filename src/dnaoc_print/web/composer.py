"""The handout composer's form, as the spec the CLI reads.

The web form is only another way to write a handout spec: a ``Composition`` (what
the form holds) becomes the same plain spec a YAML file holds (``spec``), that spec
becomes the ``LineDict`` the CLI's ``HandoutReader`` validates, and "Save spec"
writes it as YAML. So the form's errors are the CLI's errors, and a saved spec
builds with ``dnaoc-print handout`` into the same PDF.

Each value is read as if written in a file named after its form field (``title``,
``session.venue``), so every error says which field it is about; ``form_errors``
words it for the form. What the form holds, and the spec it makes, is
``composition``'s work; checking that spec, saving it and loading one is this module's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dnaoc_print.content.brand_folders import DEFAULT_BRAND
from dnaoc_print.content.placeholders import MARKER
from dnaoc_print.content.spec_overrides import apply_overrides
from dnaoc_print.content.yaml_source import LineDict, parse_yaml
from dnaoc_print.errors import ContentError, ContentErrors
from dnaoc_print.model import Handout, Project
from dnaoc_print.web.composition import SESSION_KEYS, Composition, reader_for
from dnaoc_print.web.form_errors import (
    FORM,
    OWN_WARNING_EMPTY,
    field_of,
    form_message,
    left_out_text,
    load_problem,
)

# A spec uploaded with "Load spec" is at most this big (a spec is a few hundred bytes).
MAX_SPEC_BYTES = 100_000
# Form fields whose words are printed as typed, and the field each is shown beside.
PRINTED_FIELDS = {
    **{name: name for name in ("title", "subtitle", *SESSION_KEYS, "link_params")},
    "own_questions": "questions",
    "warning_text": "warning",
}


def spec_yaml(spec: dict) -> str:
    """A spec as the YAML file the CLI reads."""
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=1000)


def spec_data(spec: dict) -> LineDict:
    """A spec as the reader's input, each value marked with the form field it came from."""
    data = LineDict.empty()
    for key, value in spec.items():
        pairs = {f"session.{k}": v for k, v in value.items()} if key == "session" else {key: value}
        for dotted, item in pairs.items():
            data = apply_overrides(data, {dotted: item}, Path(dotted), None)
    return data


@dataclass
class Checked:
    """A composition checked by the CLI's reader: the handout, or what is wrong where."""

    handout: Handout | None
    # The title used when the form's is empty ("" if there is none).
    default_title: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Problems that belong to no one field.
    general: list[str] = field(default_factory=list)
    # Printed as asked, but probably not meant (a placeholder left in), by field.
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.handout is not None and not self.errors and not self.general


def check_form(composition: Composition, project: Project, brands: list[str]) -> Checked:
    """Validate a composition exactly as ``dnaoc-print handout`` validates its spec."""
    errors: list[ContentError] = []
    reader = reader_for(project, errors)
    default_title = composition.default_title(project)
    spec = composition.spec(default_title)
    handout = reader.handout(spec_data(spec), composition.file_name("", default_title), FORM)
    checked = Checked(handout, default_title, warnings=placeholder_warnings(composition))
    # A story (or a guide's questions) that cannot be used because its file is broken:
    # its own problems, file and line, beside the field that chose it.
    for story in composition.stories:
        for problem in project.broken_stories.get(story, ()):
            checked.errors.setdefault("stories", []).append(
                f"the story '{story}' cannot be used: {problem}"
            )
    borrowed = dict.fromkeys(reference.split(":")[0] for reference in composition.questions)
    for guide in borrowed:
        for problem in project.broken_questions.get(guide, ()):
            checked.errors.setdefault("questions", []).append(
                f"the questions of '{guide}' cannot be used: {problem}"
            )
    for error in errors:
        field_name = field_of(error)
        if field_name:
            checked.errors.setdefault(field_name, []).append(form_message(error))
        else:
            checked.general.append(form_message(error))
    for field_name, texts in save_errors(composition).items():
        checked.errors.setdefault(field_name, []).extend(texts)
    if composition.brand not in brands:
        checked.errors.setdefault("brand", []).append(
            f"there is no brand '{composition.brand}' (brands: {', '.join(brands)})"
        )
    # The guide only orders the form; one whose file is broken is no error in a handout.
    broken_guides = {broken.name for broken in project.broken if broken.kind == "guide"}
    guides = {guide.slug for guide in project.guides} | broken_guides
    if composition.guide and composition.guide not in guides:
        checked.errors.setdefault("guide", []).append(f"there is no guide '{composition.guide}'")
    return checked


def save_errors(composition: Composition) -> dict[str, list[str]]:
    """What stops "Save spec" (and "Download PDF"): a choice no spec file can hold.
    "A warning in my own words" with the box empty would be saved (and printed) as the
    standard warning, and loaded back as that, the choice lost without a word."""
    if composition.warning == "own" and not composition.warning_text:
        return {"warning": [OWN_WARNING_EMPTY]}
    return {}


def placeholder_warnings(composition: Composition) -> dict[str, list[str]]:
    """Placeholders, ``((Your name here))``, left in a field (a loaded spec may have
    them): the preview shows them, brackets and all, and Download waits until each,
    said beside its field, is replaced (a placeholder is never printed)."""
    warnings: dict[str, list[str]] = {}
    for name, shown_beside in PRINTED_FIELDS.items():
        for marker in MARKER.finditer(getattr(composition, name)):
            warnings.setdefault(shown_beside, []).append(
                f"'{marker[0]}' is a placeholder, never printed: write your own words "
                "in its place (Download waits until you do)"
            )
    return warnings


def read_uploaded_spec(content: bytes, file_name: str) -> LineDict:
    """A spec uploaded with "Load spec", read as the CLI reads a spec file."""
    shown = Path(Path(file_name or "spec.yaml").name)
    if len(content) > MAX_SPEC_BYTES:
        raise ContentErrors(
            [
                ContentError(
                    f"file is {len(content):,} bytes, more than the {MAX_SPEC_BYTES:,} allowed",
                    path=shown,
                    hint="a handout spec is a small YAML file; is this the right file?",
                )
            ]
        )
    try:
        text = content.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise ContentErrors(
            [ContentError("the file is not UTF-8 text", path=shown, hint="save it as UTF-8")]
        ) from None
    try:
        data = parse_yaml(text, shown)
    except ContentError as error:
        raise ContentErrors([error]) from None
    if data is None:
        return LineDict.empty()
    if not isinstance(data, LineDict):
        raise ContentErrors(
            [ContentError("a handout spec must be 'name: value' lines", path=shown, line=1)]
        )
    return data


def check_uploaded(data: LineDict, file_name: str, project: Project) -> list[str]:
    """The CLI's errors for an uploaded spec, with its lines, in the form's words."""
    errors: list[ContentError] = []
    reader_for(project, errors).handout(data, "handout", Path(Path(file_name or "spec.yaml").name))
    if not errors:
        from dnaoc_print.build.handout_requests import dependency_problems

        errors += dependency_problems(project, data)
    return [load_problem(error) for error in errors]


def loaded_composition(
    data: LineDict,
    file_name: str,
    project: Project | None,
    brands: list[str] | None = None,
    default_brand: str = DEFAULT_BRAND,
) -> tuple[Composition, list[str]]:
    """An uploaded spec as the form shows it, and its problems: the CLI's, then what
    the form leaves out because it cannot offer it (an unknown or broken story, a
    question no guide has, a brand not among ``brands``: the form keeps
    ``default_brand``), so nothing chosen is dropped or changed without a word."""
    composition = Composition.from_spec(data, project)
    if project is None:
        return composition, []
    problems = check_uploaded(data, file_name, project)
    stories, questions = composition.keep_offered(project)
    brand = ""
    if not data.get("brand"):
        # A spec naming no brand is made in the default one, as the form shows it.
        composition.brand = default_brand
    elif brands is not None and composition.brand not in brands:
        # The Brand list has no such choice: a browser would show (and save, and
        # typeset in) its first brand instead, so the form's default is kept, and said.
        brand, composition.brand = composition.brand, default_brand
    if stories or questions or brand:
        problems.append(left_out_text(stories, questions, brand, brands or [], default_brand))
        # Guessed again from what is kept: a guide named only by a question left out
        # is no guide the form offers.
        composition.guide = composition.likely_guide(project)
    return composition, problems
