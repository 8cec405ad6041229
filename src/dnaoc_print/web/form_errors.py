"""The CLI's errors in the composer's words: which form field each is about, and
its message there; and the form's own words for what it says of itself (its
choices' labels, the advice to fit a page, what a loaded spec left out).

Each value of the form is read as if written in a file named after its field
(``title``, ``session.venue``), so an error's file says its field; an error about
the spec as a whole comes from ``FORM``, and its message says which field it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from dnaoc_print.content.spec_checks import ONE_OF
from dnaoc_print.errors import ContentError, did_you_mean
from dnaoc_print.web.composition import SESSION_KEYS

# Where an error with no field of its own comes from.
FORM = Path("the form")
# The form's labels for its choices (the template shows these), for its messages too.
LAYOUT_LABELS = {
    "cards": "Story cards",
    "single": "One story, large",
    "questions": "Question sheet",
}
NOTES_LABELS = {"lines": "Lines", "box": "A box", "none": "None"}
PAPER_LABELS = {
    "a4": "A4",
    "a5": "A5",
    "letter": "US Letter",
    "half-letter": "Half letter (5.5 x 8.5 in)",
}
WARNING_LABELS = {
    "noted": "The standard warning, if a story you chose has a content warning",
    "standard": "The standard warning, always",
    "none": "No warning",
    "own": "A warning in my own words",
}
# The form's steps, where its lists are.
STORIES_STEP = "“2. Stories”"
QUESTIONS_STEP = "“3. Questions”"
SESSION_STEP = "“4. Your session”"
OWN_WARNING_EMPTY = "Write your warning in the box, or choose another content warning."
# Said when "Save spec" is asked while the form holds a choice no spec can keep.
SAVE_REFUSED = "Nothing was saved: fix the fields marked, then save the spec again."
# Said under "Find a story by title or theme" when no story has the words typed.
NO_STORY_FOUND = "No story has those words in its title, storyteller or themes."
# A hint clause that sends the reader to a terminal or a content file: the form has
# its own lists, so such a clause is replaced by where they are.
TERMINAL_OR_FILE = re.compile(r"dnaoc-print |content/|(^|\s)--[a-z]")
FORM_LISTS = {
    "stories": f"the stories are listed under {STORIES_STEP}",
    "questions": f"the guides' questions are listed under {QUESTIONS_STEP}",
}
COUNT_ERROR = re.compile(
    r"the '(?P<layout>\w+)' layout takes (?P<wanted>.+) "
    r"(?P<noun>stor(?:y|ies)|questions?), not (?P<count>\d+)"
)
# The spec's key a count error's noun ("story" or "stories") is about.
KEY_OF_NOUN = {**{key: key for key in ONE_OF}, **{one: key for key, one in ONE_OF.items()}}
# A spec's key -> the form field its errors are shown beside.
FIELD_OF_KEY = {
    **{f"session.{key}": key for key in SESSION_KEYS},
    "session": "date",
    "content_warning": "warning",
}


def field_of(error: ContentError) -> str | None:
    """The form field an error is about, from the pseudo-file its value came from."""
    key = error.path.as_posix() if error.path else ""
    if error.path == FORM:
        missing = re.search(r"missing field '([\w.]+)'", error.message)
        count = COUNT_ERROR.search(error.message)
        key = missing[1] if missing else KEY_OF_NOUN[count["noun"]] if count else ""
    return FIELD_OF_KEY.get(key, key) or None


def form_message(error: ContentError) -> str:
    """The CLI's message in the form's words where it speaks of the spec file's."""
    if re.search(r"missing field 'title'", error.message):
        return "Give the handout a title (or choose one story, and its title is used)."
    count = COUNT_ERROR.search(error.message)
    if count:
        wanted, key = count["wanted"], count["noun"]
        if wanted == "exactly 1":
            wanted = "one"
        layout = LAYOUT_LABELS.get(count["layout"], count["layout"])
        return (
            f"Choose {wanted} {key} for the layout “{layout}” "
            f"({count['count']} chosen now), or choose another layout."
        )
    return error_text(error)


def error_text(error: ContentError) -> str:
    """The CLI's message and hint, without the file (the field says where)."""
    hint = form_hint(error)
    return f"{error.message} ({hint})" if hint else error.message


def form_hint(error: ContentError) -> str | None:
    """The CLI's hint, with any part that names a command or a content file replaced
    by where the form lists the same things."""
    if not error.hint:
        return None
    # A form field's own error says its field; a loaded spec file's, only its key.
    about = field_of(error)
    if about not in FORM_LISTS:
        named = error.message.split("'")[0]  # "unknown story id ", "guide "
        about = (
            "stories" if "story" in named else "questions" if "question" in error.message else None
        )
    clauses = [part for part in error.hint.split("; ") if not TERMINAL_OR_FILE.search(part)]
    if len(clauses) < len(error.hint.split("; ")):
        clauses.append(FORM_LISTS.get(about or "", "see the form"))
    if about == "questions" and error.message.startswith("unknown guide"):
        # "guides: a, b, ...": slugs the form never shows; it lists them by title.
        clauses = [part for part in clauses if not part.startswith("guides: ")] or [
            FORM_LISTS["questions"]
        ]
    return "; ".join(dict.fromkeys(clauses))


def load_problem(error: ContentError) -> str:
    """A problem of a loaded spec: its file and line, then the CLI's message in the
    form's words (as beside a field)."""
    where = error.where()
    return f"{where}: {form_message(error)}" if where else form_message(error)


def left_out_text(
    stories: list[str],
    questions: list[str],
    brand: str = "",
    brands: list[str] | tuple[str, ...] = (),
    kept_brand: str = "",
) -> str:
    """What a loaded spec chose that the form cannot offer, so it is not in the form:
    stories, guide questions, and a brand (the form keeps ``kept_brand`` instead)."""
    items = [f"the story '{story}'" for story in stories]
    items += [f"the question {reference}" for reference in questions]
    if brand:
        close = did_you_mean(brand, brands)
        items.append(f"the brand '{brand}'" + (f" ({close})" if close else ""))
    steps = [STORIES_STEP] * bool(stories) + [QUESTIONS_STEP] * bool(questions)
    text = f"Left out of the form: {'; '.join(items)}."
    if steps:
        text += f" Choose from the lists under {' and '.join(steps)} instead."
    if brand:
        text += f" The brand is “{kept_brand}”: choose another under {SESSION_STEP}, Brand."
    return text


def fit_advice(notes: str, content_warning: bool | str | None, paper: str) -> str:
    """What to change in the form so a handout fits its page (the CLI's remedies,
    ``planning.handout_job``, named by the form's labels)."""
    remedies = ["remove a story or a question", "shorten the longest question"]
    if notes != "none":
        remedies.append(f"choose Room for notes: {NOTES_LABELS['none']}")
    if content_warning is True:
        remedies.append(f"choose Content warning: “{WARNING_LABELS['none']}”")
    elif content_warning:
        remedies.append("shorten your own warning")
    if paper == "a5":
        remedies.append(f"choose Paper: {PAPER_LABELS['a4']}")
    if paper == "half-letter":
        remedies.append(f"choose Paper: {PAPER_LABELS['letter']}")
    return f"To fit: {'; '.join(remedies)}."
