"""What the composer's form offers: the guides and their questions, the stories (the
chosen guide's first, each findable by its title, storyteller and themes), the
layouts, papers and warnings, and the words the page shows."""

from __future__ import annotations

import re

from dnaoc_print.web.form_errors import (
    LAYOUT_LABELS,
    NO_STORY_FOUND,
    NOTES_LABELS,
    PAPER_LABELS,
    SAVE_REFUSED,
    WARNING_LABELS,
)
from dnaoc_print.web.preview import Loaded

FORM_FIELDS = (
    "guide", "stories", "questions", "title", "subtitle", "date", "time", "venue",
    "facilitator", "contact", "notes", "layout", "paper", "orientation", "brand", "link_params",
)  # fmt: skip


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
    guide_options = _guide_options(project)
    story_search = _story_search(stories, dict(guide_options))
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
        # The date as the handout writes it, whatever the browser's language.
        "weekdays": list(words.get("weekdays") or ()),
        "months": list(words.get("months") or ()),
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


def _guide_options(project) -> list[tuple[str, str]]:
    """(slug, title) of the series, a guide broken elsewhere than in its questions too
    (choosing a guide only orders the form); then any other guide whose questions can
    be borrowed."""
    if project is None:
        return []
    options = [(entry.slug, entry.title) for entry in project.series]
    listed = {slug for slug, _ in options}
    return options + [(slug, slug) for slug in project.questions if slug not in listed]


def _story_search(stories: list, theme_names: dict[str, str]) -> dict[str, str]:
    """A story is found by its title, storyteller and themes, each theme by the name the
    page gives it (its guide's title) and by its slug."""
    return {
        story.id: search_text(
            story.title,
            story.storyteller or "",
            *(name for theme in story.themes for name in (theme_names.get(theme, ""), theme)),
        )
        for _, story in stories
    }


def search_text(*parts: str) -> str:
    """Words as "Find a story" compares them: lower case, a hyphen or any run of spaces
    one space (composer.js reads what is typed the same way)."""
    return re.sub(r"[\s_-]+", " ", " ".join(parts).lower()).strip()


def _standard_warning(loaded: Loaded) -> str:
    words = loaded.project.words if loaded.project else {}
    handout_words = words.get("handout") if isinstance(words, dict) else None
    return str(handout_words.get("content_warning") or "") if handout_words else ""
