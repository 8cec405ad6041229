"""One part of a batch written as a PDF of its own, straight from the PDF as drawn.

The batch is never written: each part's objects (what its catalogue reaches) are
numbered afresh and written by pydyf, with their references renumbered, in one
compressed object stream. A stream is serialised and compressed once a batch however
many parts hold it (the fonts, the codes of the stories a batch repeats). Writing the
batch, reading it back with QPDF and saving each part again cost about twice as much.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib

import pydyf
from pydyf import _to_bytes

from dnaoc_print.pdf.drawn import Drawn, stream_bytes

# How pydyf writes a reference to an indirect object.
_REFERENCE = re.compile(rb"(\d+) 0 R")
# Streams left as they are: already filtered, or metadata, which readers and
# validators look for uncompressed (QPDF leaves it so too).
_UNCOMPRESSED_TYPES = ("/Metadata",)


class _Serialised(pydyf.Object):
    """An object of a part, already written out (references renumbered)."""

    def __init__(self, number: int | None, data: bytes, is_stream: bool) -> None:
        super().__init__()
        self.number = number
        self._data = data
        self._is_stream = is_stream

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return not self._is_stream


class PartWriter:
    """Writes parts of one drawn batch; ``version`` is the PDF version it is drawn
    for."""

    def __init__(self, drawn: Drawn, version) -> None:
        self._objects = drawn.pdf.objects
        # The batch's pages node and pages: a part reaching one not its own would take
        # it, and every page after it (checked in _numbered).
        self._pages = {drawn.pdf.pages.number} | {
            drawn[reference].number for reference in drawn.page_references
        }
        self._version = version
        # A stream's bytes as drawn, and its body as written (its filter, if it is
        # compressed here, and its bytes), by number.
        self._raws: dict[int, bytes] = {}
        self._bodies: dict[int, tuple[str | None, bytes]] = {}

    def raw(self, stream: pydyf.Stream) -> bytes:
        """A stream's bytes as drawn (a page's content, to find the resources it uses)."""
        if stream.number not in self._raws:
            self._raws[stream.number] = stream_bytes(stream)
        return self._raws[stream.number]

    def write(self, catalog: pydyf.Dictionary, info: pydyf.Dictionary, pages: set[int]) -> bytes:
        """The part whose catalogue (an indirect object of the drawn PDF) is
        ``catalog``, with ``info`` its document information; ``pages`` are the numbers
        of its pages and of its pages node, the only ones it may reach."""
        numbers = self._numbered([catalog.reference, info], self._pages - pages)
        pdf = pydyf.PDF()
        pdf.objects = pdf.objects[:1]  # the free object 0 alone
        for old, new in numbers.items():
            pdf.objects.append(self._serialised(self._objects[old], new, numbers))
        pdf.catalog = pdf.objects[numbers[catalog.number]]
        pdf.info = _Serialised(None, _value(info, numbers), is_stream=False)
        # The identifier is the MD5 of the part's objects: the same part, the same bytes.
        # pydyf would work it out by writing every object again, its object stream
        # compressed a second time (0.7 ms of a handout's 2 ms of pydyf's writing): it
        # is added here instead.
        digest = hashlib.md5(b"".join(thing.data for thing in [*pdf.objects[1:], pdf.info]))
        output = io.BytesIO()
        pdf.write(output, self._version, False, compress=True)
        return _identified(output.getvalue(), digest.hexdigest().encode())

    def _numbered(self, roots: list, others: set[int]) -> dict[int, int]:
        """Every object the roots reach (old number: new number), in the order met;
        ValueError if they reach one of ``others`` (another part's page)."""
        numbers: dict[int, int] = {}
        pending = list(roots)
        while pending:
            value = pending.pop()
            if isinstance(value, bytes):
                match = _REFERENCE.fullmatch(value)
                if match is None or int(match[1]) in numbers:
                    continue
                number = int(match[1])
                if number in others:
                    raise ValueError(f"a part refers to object {number}, a page not its own")
                numbers[number] = len(numbers) + 1
                found = self._objects[number]
                pending.append(found.extra if isinstance(found, pydyf.Stream) else found)
            elif isinstance(value, dict):
                pending.extend(value.values())
            elif isinstance(value, list | tuple):
                pending.extend(value)
        return numbers

    def _serialised(self, found, number: int, numbers: dict[int, int]) -> _Serialised:
        if not isinstance(found, pydyf.Stream):
            return _Serialised(number, _value(found, numbers), is_stream=False)
        body_filter, body = self._body(found)
        header = pydyf.Dictionary(found.extra)
        if body_filter is not None:
            header["Filter"] = body_filter
        header["Length"] = len(body)
        data = _value(header, numbers) + b"\nstream\n" + body + b"\nendstream"
        return _Serialised(number, data, is_stream=True)

    def _body(self, stream: pydyf.Stream) -> tuple[str | None, bytes]:
        if stream.number not in self._bodies:
            raw = self.raw(stream)
            # A stream with decoding parameters but no filter is left as it is: they
            # would apply to the compressed bytes.
            kept = "Filter" in stream.extra or "DecodeParms" in stream.extra
            if kept or stream.extra.get("Type") in _UNCOMPRESSED_TYPES:
                self._bodies[stream.number] = (None, raw)
            else:
                self._bodies[stream.number] = ("/FlateDecode", zlib.compress(raw))
            # Only the body is asked for again.
            self._raws.pop(stream.number, None)
        return self._bodies[stream.number]


def _identified(pdf: bytes, digest: bytes) -> bytes:
    """``pdf`` as pydyf writes it (a cross-reference stream, then "startxref", its
    offset and "%%EOF"), with the file identifier ``digest`` (hex digits) in that
    stream's dictionary. Nothing before the stream moves, and its data is after the
    dictionary, so every offset stays right."""
    offset = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    start = pdf.index(b"<<", offset) + 2
    return pdf[:start] + b"/ID [<" + digest + b"> <" + digest + b">]" + pdf[start:]


def _value(value, numbers: dict[int, int]) -> bytes:
    """``value`` as pydyf writes it, its references renumbered."""
    if isinstance(value, bytes):
        match = _REFERENCE.fullmatch(value)
        return value if match is None else b"%d 0 R" % numbers[int(match[1])]
    if isinstance(value, pydyf.String):
        return value.data
    if isinstance(value, dict):
        entries = (
            b"/" + _to_bytes(key) + b" " + _value(item, numbers) for key, item in value.items()
        )
        return b"<<" + b"".join(entries) + b">>"
    if isinstance(value, list | tuple):
        return b"[" + b" ".join(_value(item, numbers) for item in value) + b"]"
    return _to_bytes(value)
