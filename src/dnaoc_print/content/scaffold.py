"""`dnaoc-print new guide|handout NAME`: a starting file that builds at once."""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.content.loading import load_project
from dnaoc_print.content.specs import safe_name
from dnaoc_print.errors import DnaocError

# Every word a person has to write is a placeholder, ((like this)): the file builds
# at once, and `check` and `build` name each placeholder left (see placeholders.py).
GUIDE = """\
---
# A new guide. Replace every ((placeholder)) with your own words, then run:
# dnaoc-print check
title: {title}
order: {order}
subtitle: ((A one-line description of the theme))
summary: >-
  ((One sentence on what this guide is for, used as the PDF's subject.))
keywords: [{title_lower}]
stories:
{stories}
questions:
{questions}
references:
  - "((Author A, year. *Title of a work you are sure exists*. Publisher.))"
---

## {title}

((Write the theme here, in your own words: what it means and why it matters.))

### Background and context

((Where the theme comes from, with short citations: author, year.))

### What it looks like in practice

((What people would see in a team where this goes well.))

### The link to improvement

((How the theme connects with making care better.))

Pull quote: ((A sentence from the text above, repeated large to draw the eye.))
"""

HANDOUT = """\
# A one-page handout. Replace every ((placeholder)) with your own words, set the
# date, then run: dnaoc-print build
title: {title}
subtitle: A session with DNA of Care digital stories
session:
  date: 2026-12-01
  time: ((14:00 to 15:30))
  venue: ((Where the session is))
  facilitator: ((Your name))
stories:
{stories}
questions:
{questions}
notes: lines
content_warning: true
"""


def _items(values: list[str]) -> str:
    return "\n".join(f"  - {value}" for value in values)


def new_file(root: Path, kind: str, name: str) -> Path:
    """Write a new guide or handout called ``name``; refuse to overwrite anything."""
    slug = safe_name(name, "")
    if not slug:
        raise DnaocError(f"'{name}' cannot be a file name: use letters, digits and hyphens")
    project = load_project(root)
    title = slug.replace("-", " ").capitalize()
    stories = list(project.stories)[:3]
    if kind == "guide":
        path = project.root / "content" / "guides" / f"{slug}.md"
        order = max((g.order for g in project.guides), default=0) + 1
        questions = [f"((Write question {n} for reflection here))" for n in range(1, 9)]
        text = GUIDE.format(
            title=title,
            title_lower=title.lower(),
            order=order,
            stories=_items(stories),
            questions=_items(questions),
        )
    else:
        path = project.root / "content" / "handouts" / f"{slug}.yaml"
        questions = [f"{g.slug}:1" for g in project.guides[:3]] or ["((A question for your group))"]
        text = HANDOUT.format(title=title, stories=_items(stories[:2]), questions=_items(questions))
    if path.exists():
        raise DnaocError(f"{path.relative_to(project.root)} already exists; choose another name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
