"""Make a text file readable by DuckDB, whose CSV reader takes only UTF-8 (FORMATS.md §0).

The encoding is decided over the whole file (charset.py), not the sniffer's head: UTF-8 files
are validated (and counted) in place; any other encoding, and UTF-8 with broken bytes (real
Asterisk caller ids), is written as a UTF-8 copy in the work folder, decoded strictly where it
can be. Replacement characters (U+FFFD) are counted, whether this decoding made them or the
file already held them, so the file's report can say so. The input file itself is never touched.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from . import charset

CHUNK = 16 * 1024 * 1024
_FFFD = "\ufffd".encode("utf-8")


@dataclass
class TextFile:
    path: Path              # what DuckDB should read
    encoding: str           # encoding of the original
    newlines: int           # "\n" count of the original text
    replaced: int = 0       # undecodable bytes replaced with U+FFFD by this decoding
    inherent: int = 0       # U+FFFD characters the file itself already held (damaged before export)
    transcoded: bool = False


def ensure_utf8(src: Path, encoding: str, workdir: Path, detect: bool = True) -> TextFile:
    """`encoding`: the sniffer's guess (or a mapping file's explicit one, then `detect=False`)."""
    codec = codecs.lookup(encoding).name
    head = src.open("rb").read(4096)
    if detect:
        bom = charset.bom_encoding(head)
        codec = bom or charset.utf16_without_bom(head) or codec
    if codec.startswith("utf-16"):
        # the plain "utf-16" codec consumes the BOM (utf-16-le would keep it in the first header cell)
        return _transcode(src, workdir, "utf-16" if charset.bom_encoding(head) else codec, codec)
    if codec in ("utf-8", "utf-8-sig") or detect:
        newlines, bad_at, inherent = _validate_utf8(src)
        if bad_at is None:
            return TextFile(src, "utf-8", newlines, inherent=inherent)
        if detect:
            codec = charset.choose(charset.nonascii_lines(src), hint=None if codec.startswith("utf-8") else codec)
        if codec == "utf-8-sig":
            codec = "utf-8"
    return _transcode(src, workdir, codec, codec)


def _transcode(src: Path, workdir: Path, codec: str, name: str) -> TextFile:
    dst = workdir / (src.name + ".utf8")
    try:
        newlines, _ = _rewrite(src, dst, codec, "strict")
        replaced = 0
    except UnicodeDecodeError:
        newlines, replaced = _rewrite(src, dst, codec, "replace")
    return TextFile(dst, name, newlines, replaced=replaced, transcoded=True)


def _validate_utf8(src: Path) -> tuple[int, int | None, int]:
    """(newline count, offset of the first invalid byte or None, U+FFFD already in the text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, offset, inherent, tail = 0, 0, 0, b""
    with src.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            newlines += chunk.count(b"\n")
            # pure ASCII is valid UTF-8 when no multi-byte sequence is pending from the last chunk;
            # the check is ~10x cheaper than decoding (call logs of numbers are all ASCII)
            if chunk.isascii() and not decoder.getstate()[0]:
                offset += len(chunk)
                tail = b""
                continue
            inherent += (tail + chunk).count(_FFFD)  # a 2-byte tail cannot hold a whole match: no double count
            tail = chunk[-2:]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                return newlines, offset + err.start, inherent
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return newlines, offset, inherent
    return newlines, None, inherent


def _rewrite(src: Path, dst: Path, codec: str, errors: str) -> tuple[int, int]:
    """Copy as UTF-8; returns (newline count, characters replaced because undecodable).
    Newlines are counted in the decoded text: in UTF-16 a 0x0A byte is also half of other letters."""
    decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    replaced = newlines = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(CHUNK):
            text = decoder.decode(chunk)
            newlines += text.count("\n")
            replaced += text.count("\ufffd")
            fout.write(text.encode("utf-8"))
        tail = decoder.decode(b"", final=True)
        replaced += tail.count("\ufffd")
        newlines += tail.count("\n")
        fout.write(tail.encode("utf-8"))
    return newlines, replaced
