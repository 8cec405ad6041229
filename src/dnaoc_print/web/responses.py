"""Answers the web app gives besides its pages: a file to download, an image inline."""

from __future__ import annotations

import base64

from flask import Response


def attachment(body: bytes, mimetype: str, file_name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def png_data(image: bytes) -> str:
    """A PNG image as a data: address, for an <img> on the page."""
    return "data:image/png;base64," + base64.b64encode(image).decode()
