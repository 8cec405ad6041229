"""`dnaoc-print list questions`: a guide's numbered questions, as handouts borrow them."""

from __future__ import annotations

from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean
from dnaoc_print.model import Project


def numbered_questions(project: Project, guide: str | None = None) -> list[str]:
    """``GUIDE:N  question`` lines for one guide, or for every guide when ``guide`` is None.

    A guide whose questions list has problems is refused with those problems.
    """
    slugs = [guide] if guide else list(project.questions)
    if guide and guide not in project.questions:
        if guide in project.broken_questions:
            raise ContentErrors(project.broken_questions[guide])
        known = sorted(project.questions)
        raise ContentErrors(
            [
                ContentError(
                    f"no guide '{guide}'",
                    hint=did_you_mean(guide, known) or f"guides: {', '.join(known)}",
                )
            ]
        )
    rows = []
    for slug in slugs:
        for question in project.questions[slug]:
            rows.append(f"{slug}:{question.number:<3} {question.text}")
    return rows
