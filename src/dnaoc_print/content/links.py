"""Story links as printed: a story's address with the campaign parameters a handout
adds (``link_params``), checked to be a query string and to fit the QR code the
handout's layout has room for (qr_limits.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.qr_limits import address_length, most_characters
from dnaoc_print.model import Story


def with_link_params(url: str, params: str | None) -> str:
    """``url`` with campaign parameters (``utm_source=handout&...``) added to its query."""
    if not params:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += parse_qsl(params.lstrip("?"), keep_blank_values=True)
    return urlunsplit(parts._replace(query=urlencode(query)))


def checked_link_params(fields: Fields, stories: list[Story], layout: str) -> str | None:
    """The campaign parameters, if they are a query string and every story's
    address with them still fits the QR code the layout has room for
    (qr_limits.py); if not, they are blamed where they were written (the flag,
    the CSV cell, the spec's line) and left out."""
    params = fields.text("link_params")
    if not params:
        return None
    if not re.fullmatch(r"[\w.~%-]+=[\w.~%+-]*(&[\w.~%-]+=[\w.~%+-]*)*", params):
        fields.fail(
            "link_params",
            f"'link_params' is not a query string: '{params}'",
            "write it like utm_source=handout&utm_medium=print",
        )
        return None
    most = most_characters(layout)
    for story in stories:
        length = address_length(with_link_params(story.url, params))
        if length <= most:
            continue
        room = most - address_length(story.url) - 1
        hint = (
            f"shorten {fields.name('link_params')} to {room} characters or fewer"
            if room > 0
            else f"leave {fields.name('link_params')} out"
        )
        fields.fail(
            "link_params",
            f"with these link parameters the address of story '{story.id}' is {length:,} "
            f"characters long, too long for its QR code: a code on a '{layout}' handout "
            f"holds {most} at most",
            hint,
        )
        return None
    return params
