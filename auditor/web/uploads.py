"""Receiving `POST /api/audits`: the multipart body is streamed to disk part by part.

python-multipart's streaming parser does the parsing; nothing is held whole in memory. Files go
under generated names (uploads/0001.csv); the name the client gave is kept only as metadata.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.multipart import MultipartParser, parse_options_header

from .names import BadName, check_name, extension

FIELD_LIMIT = 200                 # as_of, lang: short text fields
SELF_ASSESSMENT_LIMIT = 1 << 20   # a YAML of five answers
MAX_PARTS = 20_000


class UploadRefused(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Received:
    name: str
    stored: Path
    size: int = 0


@dataclass
class Upload:
    """What one request sent: files (in the order sent), text fields, the self-assessment file."""
    folder: Path
    limit: int
    files: list[Received] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    self_assessment: Path | None = None
    total: int = 0
    _seq: int = 0

    def new_path(self, name: str) -> Path:
        self._seq += 1
        return self.folder / f"{self._seq:04d}{extension(name)}"


class _Parser:
    """Callbacks for python-multipart: headers → decide what the part is → write its data."""

    def __init__(self, upload: Upload):
        self.up = upload
        self.headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self.kind: str | None = None  # "file" | "self_assessment" | "field" | "ignore"
        self.fh: BinaryIO | None = None
        self.current: Received | None = None
        self.text = bytearray()
        self.name = ""
        self.parts = 0

    def callbacks(self) -> dict:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise UploadRefused(f"more than {MAX_PARTS:,} parts in one upload; send fewer files or a .zip", 413)
        self.headers, self._field, self._value = {}, b"", b""
        self.kind, self.fh, self.current, self.text = None, None, None, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self.headers[self._field.strip().lower()] = self._value.strip()
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        disp, opts = parse_options_header(self.headers.get(b"content-disposition", b""))
        if disp != b"form-data" or b"name" not in opts:
            raise UploadRefused("a part without Content-Disposition: form-data; name=...; send a multipart form")
        self.name = opts[b"name"].decode("utf-8", "replace")
        filename = opts.get(b"filename")
        if self.name == "files":
            if filename is None:
                raise UploadRefused("a `files` part without a file name; send each file with its name")
            try:
                name = check_name(filename.decode("utf-8", "replace"))
            except BadName as err:
                raise UploadRefused(str(err)) from None
            self.current = Received(name, self.up.new_path(name))
            self.fh = self.current.stored.open("xb")  # generated name; x: never overwrite
            self.kind = "file"
        elif self.name == "self_assessment" and filename is not None:
            if filename == b"":  # the form's empty file input
                self.kind = "ignore"
                return
            self.up.self_assessment = self.up.folder / "self_assessment.yaml"
            self.fh = self.up.self_assessment.open("xb")
            self.kind, self.current = "self_assessment", Received("self_assessment.yaml", self.up.self_assessment)
        elif self.name in ("as_of", "lang"):
            self.kind = "field"
        else:
            self.kind = "ignore"

    def part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        if self.kind in ("file", "self_assessment"):
            self.current.size += n
            if self.kind == "self_assessment" and self.current.size > SELF_ASSESSMENT_LIMIT:
                raise UploadRefused("the self-assessment file is over 1 MB; it holds five answers (see the README)")
            self.fh.write(data[start:end])
        elif self.kind == "field":
            self.text += data[start:end]
            if len(self.text) > FIELD_LIMIT:
                raise UploadRefused(f"field `{self.name}` is too long; send a short value")

    def part_end(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        if self.kind == "file":
            self.up.files.append(self.current)
        elif self.kind == "field":
            self.up.fields[self.name] = self.text.decode("utf-8", "replace").strip()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def boundary_of(content_type: str) -> bytes:
    ctype, opts = parse_options_header(content_type)
    if ctype != b"multipart/form-data" or not opts.get(b"boundary"):
        raise UploadRefused("send the files as multipart/form-data (one `files` part per file)", 415)
    return opts[b"boundary"]


async def receive(request, folder: Path, limit: int) -> Upload:
    """Stream the request body into `folder`; UploadRefused (with its status) on anything wrong."""
    boundary = boundary_of(request.headers.get("content-type", ""))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise UploadRefused(too_large(limit), 413)
    up = Upload(folder, limit)
    handler = _Parser(up)
    parser = MultipartParser(boundary, handler.callbacks())
    try:
        async for chunk in request.stream():
            up.total += len(chunk)
            if up.total > limit:
                raise UploadRefused(too_large(limit), 413)
            parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        raise
    except Exception as err:  # python-multipart raises its own errors on a malformed body
        raise UploadRefused(f"malformed multipart body ({type(err).__name__}); send a standard multipart form") from None
    finally:
        handler.close()
    return up


def too_large(limit: int) -> str:
    return (f"the upload is larger than {limit / 2**20:,.0f} MB (--max-upload-mb); send fewer files, "
            f"or start the server with a higher --max-upload-mb")
