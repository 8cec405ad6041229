"""The answer when every typesetting worker is busy and the queue is full.

``503 Service Unavailable`` with ``Retry-After``, at once, rather than a request that
waits minutes: the composer's script says "Busy, trying again..." and asks again
after that many seconds; a page opened or a form posted without it (Download, "Show
the page") gets a page saying the same, which tries again by itself (a GET by
reloading, a POST by sending the same form once more: busy.js).
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from dnaoc_print.web.preview_pool import Busy

# Seconds a browser waits before asking again: about the time a worker takes for a
# handout, so the queue has moved on by then.
RETRY_AFTER_SECONDS = 2


def answer_busy(app: Flask) -> None:
    """Register the busy answer for every route that typesets."""
    app.register_error_handler(Busy, _busy)


def _busy(error: Busy):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return jsonify(state="busy", retry_after=RETRY_AFTER_SECONDS), 503, headers
    page = render_template(
        "busy.html",
        retry_after=RETRY_AFTER_SECONDS,
        method=request.method,
        action=request.path,
        # The form as it was posted, to send again: it stays in this browser's page.
        fields=list(request.form.items(multi=True)) if request.method == "POST" else [],
    )
    return page, 503, headers
