"""What every request to `serve` passes before it is answered, and what is logged of it.

- Its Host must be a name of this server: its public URL, or (from this computer)
  the loopback names. A page elsewhere cannot reach it by DNS rebinding.
- Any Origin it carries must be this server's own: a page elsewhere cannot post to it.
- A body larger than any form of the composer's is refused before it is read.
- Behind a reverse proxy (``--behind-proxy``), and only then, the proxy's
  X-Forwarded-For/-Proto/-Host are believed, one hop deep, as werkzeug's ProxyFix
  does: without the flag a client could name any host or scheme it liked.
- The log line of a request is its method, path and status: never its form, which
  holds a facilitator's name, contact and venue (personal data).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, abort, current_app, render_template, request

from dnaoc_print.web.composer import MAX_SPEC_BYTES

# The largest body a request may have: a spec upload, with room for the form around it.
MAX_BODY_BYTES = MAX_SPEC_BYTES + 10_000
REQUEST_LOG = logging.getLogger("dnaoc_print.serve")


def trust_proxy(app: Flask) -> None:
    """Believe one reverse proxy's X-Forwarded-For/-Proto/-Host (and nothing else)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def guard(app: Flask) -> None:
    """Register the checks made on every request, and its log line."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config.setdefault("ALLOWED_HOSTS", set())
    app.config.setdefault("EVERY_ADDRESS", False)
    app.config.setdefault("PUBLIC_URL", None)
    app.before_request(_refuse_what_is_not_ours)
    app.after_request(_log_request)
    app.register_error_handler(403, _refused_page)


def _refuse_what_is_not_ours() -> None:
    config = _config()
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        abort(413)
    # Listening on every address (--host 0.0.0.0) with no public URL, other computers
    # use this one's address: any IP address is then allowed, but never a name.
    everywhere = config["EVERY_ADDRESS"] and not config["PUBLIC_URL"] and _is_address(request.host)
    if request.host not in config["ALLOWED_HOSTS"] and not everywhere:
        abort(403, "host")
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        abort(403, "origin")
    # A link from another site may open a page; nothing else from one is answered.
    navigating = request.method == "GET" and request.headers.get("Sec-Fetch-Mode") == "navigate"
    if request.headers.get("Sec-Fetch-Site") == "cross-site" and not navigating:
        abort(403, "origin")


def _config():
    return current_app.config


def _refused_page(error):
    """A page that says why, and where the composer is."""
    public_url = _config()["PUBLIC_URL"]
    return (
        render_template(
            "refused.html", reason=error.description, public_url=public_url, host=request.host
        ),
        403,
    )


def _log_request(response: Response) -> Response:
    # The path, never the query or the form: those may hold personal data.
    REQUEST_LOG.info("%s %s %s", request.method, request.path, response.status_code)
    return response


def _is_address(host: str) -> bool:
    """Whether a Host header names an IP address, which no DNS rebinding can point elsewhere."""
    import ipaddress

    name = host.rsplit(":", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
